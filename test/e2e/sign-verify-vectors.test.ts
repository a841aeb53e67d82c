import { verify as ecdsaVerify, createPublicKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, tempConfigDir, type RunResult } from '../helpers/cli.js';
import { vectors } from '../helpers/vectors.js';

const config = tempConfigDir();
afterAll(() => config.cleanup());

const V1_PRIVATE = vectors.ecdsa[0]!.privateKey!;

let files = 0;
function bodyFile(text: string): string {
  const path = join(config.dir, `body-${files++}.json`);
  writeFileSync(path, text);
  return path;
}

const cli = (args: string[], env: Record<string, string> = {}, input?: string): Promise<RunResult> => runCli(args, { env: cleanEnv(config.dir, env), input });

function expectNoSecrets(result: RunResult, secrets: string[]): void {
  for (const secret of secrets) expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
}

describe.concurrent('every published and derived vector through the CLI', () => {
  it('only the widget URL vector (no request time) cannot be expressed as a sign command', () => {
    expect(vectors.hmac.filter((vector) => vector.time === undefined).map((vector) => vector.id)).toEqual(['V-URL-1']);
  });

  for (const vector of vectors.hmac.filter((v) => v.time !== undefined)) {
    const webhook = vector.event !== undefined;
    const recipe = vector.id.endsWith('-raw') ? 'raw' : 'sorted';
    it(`${vector.id}: sign prints its string to sign and signature`, async () => {
      const source = vector.body !== undefined ? ['--body', bodyFile(vector.body)] : ['--query', vector.query!];
      const args = ['sign', '--json', '--time', vector.time!, ...source, ...(webhook ? ['--webhook', '--recipe', recipe] : [])];
      const result = await cli(args, webhook ? { CASHIER_CHECK_WEBHOOK_KEY: vector.key } : { CASHIER_CHECK_SECRET_KEY: vector.key });
      expect(result.code, result.stderr).toBe(0);
      const printed = JSON.parse(result.stdout);
      expect(Object.keys(printed)).toEqual(['stringToSign', 'signature', 'recipe', 'algorithm']);
      expect(printed).toEqual({ stringToSign: vector.stringToSign, signature: vector.signature, recipe, algorithm: 'HMAC-SHA256' });
      expect(result.stderr).toBe('');
    });
    if (vector.body !== undefined) {
      it(`${vector.id}: verify accepts its signature and names the ${recipe} recipe`, async () => {
        const result = await cli(['verify', '--json', '--body', bodyFile(vector.body!), '--time', vector.time!, '--signature', vector.signature], { CASHIER_CHECK_WEBHOOK_KEY: vector.key });
        expect(result.code, result.stderr).toBe(0);
        expect(JSON.parse(result.stdout)).toMatchObject({ valid: true, recipe, reason: `signature valid (${recipe} recipe)`, failure: null });
        expectNoSecrets(result, [vector.key]);
      });
    }
  }

  for (const vector of vectors.ecdsa) {
    it(`${vector.id}: V1 sign builds its string to sign and an ECDSA signature its public key verifies`, async () => {
      expect(vector.publicKey).toBe(vectors.ecdsa[0]!.publicKey);
      const result = await cli(['sign', '--json', '--time', vector.time, '--body', bodyFile(vector.body)], { CASHIER_CHECK_SIGNATURE_VERSION: 'v1', CASHIER_CHECK_V1_PRIVATE_KEY: V1_PRIVATE });
      expect(result.code, result.stderr).toBe(0);
      const printed = JSON.parse(result.stdout) as { stringToSign: string; signature: string; algorithm: string };
      expect(printed).toMatchObject({ stringToSign: vector.stringToSign, algorithm: 'SHA256withECDSA' });
      const publicKey = createPublicKey({ key: Buffer.from(vector.publicKey, 'base64'), format: 'der', type: 'spki' });
      expect(ecdsaVerify('sha256', Buffer.from(vector.stringToSign), { key: publicKey, dsaEncoding: 'der' }, Buffer.from(printed.signature, 'base64'))).toBe(true);
      expect(ecdsaVerify('sha256', Buffer.from(vector.stringToSign), { key: publicKey, dsaEncoding: 'der' }, Buffer.from(vector.signature, 'base64'))).toBe(true);
      expect(result.stderr.includes('nested objects or arrays')).toBe(vector.id === 'V-V1-3');
      expectNoSecrets(result, [V1_PRIVATE]);
    });
  }
});
