import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, tempConfigDir, type RunResult } from '../helpers/cli.js';
import { vectors } from '../helpers/vectors.js';

const config = tempConfigDir();
afterAll(() => config.cleanup());

const SECRET = 'sck_QOoPSlHDSsgXYeNyTP2i0ug1HKLRjHw9Ug7mCc1Q0';
const WEBHOOK_KEY = 'whk_e2e_webhook_key_0001';

const cli = (args: string[], env: Record<string, string> = {}, input?: string): Promise<RunResult> => runCli(args, { env: cleanEnv(config.dir, env), input });

function expectNoSecrets(result: RunResult, secrets: string[]): void {
  for (const secret of secrets) expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
}

function expectUsageError(result: RunResult, firstLine: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr.split('\n')[0]).toMatch(firstLine);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stdout).toBe('');
}

describe.concurrent('sign', () => {
  const body = '{"orderNo":"A1","amount":"2000.00","note":null}';
  const env = { CASHIER_CHECK_SECRET_KEY: SECRET, CASHIER_CHECK_WEBHOOK_KEY: WEBHOOK_KEY };

  it('reads the body from stdin with --body - and prints the human view by default', async () => {
    const result = await cli(['sign', '--time', '1743060268000', '--body', '-'], env, body);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^string to sign +amount=2000\.00&orderNo=A1&time=1743060268000\nsignature +[0-9a-f]{64}\nalgorithm +HMAC-SHA256 with the secret key, sorted recipe\n$/);
    expectNoSecrets(result, [SECRET, WEBHOOK_KEY]);
  });

  it('--webhook signs with the Webhook key, --recipe raw signs the bytes', async () => {
    const sorted = JSON.parse((await cli(['sign', '--json', '--time', '1', '--body', '-', '--webhook'], env, body)).stdout);
    const raw = JSON.parse((await cli(['sign', '--json', '--time', '1', '--body', '-', '--webhook', '--recipe', 'raw'], env, body)).stdout);
    const request = JSON.parse((await cli(['sign', '--json', '--time', '1', '--body', '-'], env, body)).stdout);
    expect(sorted.stringToSign).toBe('amount=2000.00&orderNo=A1&time=1');
    expect(raw).toMatchObject({ stringToSign: `${body}&time=1`, recipe: 'raw' });
    expect(sorted.signature).not.toBe(request.signature);
    const check = await cli(['verify', '--json', '--body', '-', '--time', '1', '--signature', raw.signature], env, body);
    expect(JSON.parse(check.stdout)).toMatchObject({ valid: true, recipe: 'raw' });
  });

  it('without --time signs the current time', async () => {
    const before = Date.now();
    const printed = JSON.parse((await cli(['sign', '--json', '--query', 'b=2&a=1'], env)).stdout);
    const time = Number(/&time=(\d+)$/.exec(printed.stringToSign)![1]);
    expect(printed.stringToSign).toMatch(/^a=1&b=2&time=/);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
  });

  const bad: [string, string[], Record<string, string>, string | undefined, RegExp][] = [
    ['a time that is not an integer', ['--time', '17430602680.5', '--query', 'a=1'], env, undefined, /^error: --time: "17430602680\.5" is not an integer of epoch milliseconds$/],
    ['a body that is not JSON', ['--time', '1', '--body', '-'], env, '{"amount": 1,', /^error: --body: not valid JSON/],
    ['a body that is a JSON array', ['--time', '1', '--body', '-'], env, '[1,2]', /^error: --body: the body must be a JSON object$/],
    ['a body file that does not exist', ['--time', '1', '--body', '/nonexistent/body.json'], env, undefined, /^error: --body: \/nonexistent\/body\.json: no such file$/],
    ['both --body and --query', ['--time', '1', '--body', '-', '--query', 'a=1'], env, '{}', /^error: --body\/--query: give one of them, not both$/],
    ['--query with --webhook', ['--time', '1', '--query', 'a=1', '--webhook'], env, undefined, /^error: --query: webhooks have JSON bodies/],
    ['no secret key', ['--time', '1', '--query', 'a=1'], {}, undefined, /^error: secretKey is not set$/],
    ['no Webhook key', ['--time', '1', '--body', '-', '--webhook'], {}, '{}', /^error: webhookKey is not set$/],
    ['an unknown recipe', ['--time', '1', '--body', '-', '--webhook', '--recipe', 'json'], env, '{}', /^error: option '--recipe <recipe>' argument 'json' is invalid/],
    ['a secret key with whitespace inside', ['--time', '1', '--query', 'a=1'], { CASHIER_CHECK_SECRET_KEY: 'sck_abc def_0123456' }, undefined, /^error: CASHIER_CHECK_SECRET_KEY: contains whitespace or a line break/],
    ['a malformed V1 private key', ['--time', '1', '--query', 'a=1'], { CASHIER_CHECK_SIGNATURE_VERSION: 'v1', CASHIER_CHECK_V1_PRIVATE_KEY: 'bm90IGEga2V5' }, undefined, /^error: CASHIER_CHECK_V1_PRIVATE_KEY: not a PKCS#8 DER private key; paste the Base64 PKCS#8 DER private key/],
    ['--recipe raw without --webhook', ['--time', '1', '--body', '-', '--recipe', 'raw'], env, '{}', /^error: --recipe: raw applies to webhooks only/],
    ['an unknown profile', ['--profile', 'missing', '--time', '1', '--query', 'a=1'], env, undefined, /^error: unknown profile "missing"$/],
  ];
  for (const [what, args, extraEnv, input, message] of bad) {
    it(`exits 2 on ${what}, naming the field, with no secret in the output`, async () => {
      const result = await cli(['sign', ...args], extraEnv, input);
      expectUsageError(result, message);
      expectNoSecrets(result, [SECRET, WEBHOOK_KEY, 'sck_abc def_0123456']);
    });
  }

  it('--json errors are one JSON document on stdout', async () => {
    const result = await cli(['sign', '--json', '--time', 'soon', '--query', 'a=1'], env);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ error: { message: '--time: "soon" is not an integer of epoch milliseconds', hint: expect.any(String), field: '--time', exitCode: 2 } });
  });
});

describe.concurrent('verify', () => {
  const vector = vectors.hmac.find((v) => v.id === 'V-WH-2')!;
  const env = { CASHIER_CHECK_WEBHOOK_KEY: vector.key };
  const run = (args: string[], input = vector.body!, extraEnv = env) => cli(['verify', '--json', '--body', '-', '--time', vector.time!, ...args], extraEnv, input);

  it('reads the body from stdin and accepts uppercase hex', async () => {
    const result = await run(['--signature', vector.signature.toUpperCase()]);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(Object.keys(printed)).toEqual(['valid', 'recipe', 'reason', 'failure', 'tried', 'warnings', 'time', 'signature', 'diagnosis', 'request']);
    expect(printed).toMatchObject({ valid: true, recipe: 'sorted', tried: [{ recipe: 'sorted', stringToSign: vector.stringToSign }] });
    expect(printed.diagnosis.findings[0].mistakes).toEqual(['uppercase-hex']);
  });

  const invalid: [string, string[], string | undefined, string, RegExp][] = [
    ['a missing signature', [], undefined, 'missing', /^no BlockATM-Signature-V2 signature was given$/],
    ['a malformed signature', ['--signature', 'abc123'], undefined, 'malformed', /^the signature is not 64 hex characters/],
    ['a mismatch, with the recipes tried', ['--signature', 'ab'.repeat(32)], undefined, 'mismatch', /^signature mismatch: no recipe matched \(tried sorted, raw\)$/],
    ['a re-serialised body', ['--signature', vector.signature], JSON.stringify(JSON.parse(vector.body!), null, 2).replace('"2000.00"', '"2000"'), 'mismatch', /^signature mismatch/],
    ['the sorted signature when raw is forced', ['--signature', vector.signature, '--recipe', 'raw'], undefined, 'mismatch', /tried raw\)$/],
    ['a body with a duplicate key', ['--signature', vector.signature], '{"amount":"1","amount":"1"}', 'body', /duplicate key "amount"/],
  ];
  for (const [what, args, body, failure, reason] of invalid) {
    it(`exits 1 on ${what}`, async () => {
      const result = await run(args, body);
      expect(result.code, result.stderr).toBe(1);
      const printed = JSON.parse(result.stdout);
      expect(printed).toMatchObject({ valid: false, recipe: null, failure });
      expect(printed.reason).toMatch(reason);
      expectNoSecrets(result, [vector.key]);
    });
  }

  it('the human view says FAIL and shows each string tried', async () => {
    const result = await cli(['verify', '--body', '-', '--time', vector.time!, '--signature', 'ab'.repeat(32)], env, vector.body);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL {2}signature mismatch/);
    expect(result.stdout).toContain(`sorted string to sign: ${vector.stringToSign}`);
  });

  const usage: [string, string[], Record<string, string>, RegExp][] = [
    ['no --time', ['verify', '--body', '-', '--signature', 'ab'], env, /^error: --time: is required$/],
    ['a time that is not an integer', ['verify', '--body', '-', '--time', '1e12', '--signature', 'ab'], env, /^error: --time: "1e12" is not an integer/],
    ['no --body', ['verify', '--time', '1', '--signature', 'ab'], env, /^error: --body: is required$/],
    ['no Webhook key', ['verify', '--body', '-', '--time', '1', '--signature', 'ab'], {}, /^error: webhookKey is not set$/],
    ['a quoted Webhook key', ['verify', '--body', '-', '--time', '1', '--signature', 'ab'], { CASHIER_CHECK_WEBHOOK_KEY: `"${vector.key}"` }, /^error: CASHIER_CHECK_WEBHOOK_KEY: has quotes around it/],
  ];
  for (const [what, args, extraEnv, message] of usage) {
    it(`exits 2 on ${what}`, async () => {
      const result = await cli(args, extraEnv, '{}');
      expectUsageError(result, message);
      expectNoSecrets(result, [vector.key]);
    });
  }
});
