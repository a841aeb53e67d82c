import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runCli, tempConfigDir, type RunResult } from '../helpers/cli.js';
import { vectors } from '../helpers/vectors.js';

const API_KEY = 'pk_payment_my3T68cbuIXf1x3QOEbWtFEfcJPxeBr8wTewDVM';
const SECRET_KEY = 'sck_QOoPSlHDSsgXYeNyTP2i0ug1HKLRjHw9Ug7mCc1Q0';
const WEBHOOK_KEY = 'whk_Zx81PqL0aa77TTmmQQ';
const KEYS = { CASHIER_CHECK_API_KEY: API_KEY, CASHIER_CHECK_SECRET_KEY: SECRET_KEY, CASHIER_CHECK_WEBHOOK_KEY: WEBHOOK_KEY };
const FLAGS = ['--cashier-id', '91', '--webhook-url', 'https://shop.example.com/hook'];

let config: { dir: string; cleanup: () => void };
beforeEach(() => {
  config = tempConfigDir();
});
afterEach(() => config.cleanup());

const configFile = (): string => join(config.dir, 'config.json');
const stored = () => JSON.parse(readFileSync(configFile(), 'utf8')) as { activeProfile?: string; profiles: Record<string, Record<string, string>> };
const init = (args: string[], env: Record<string, string> = {}): Promise<RunResult> => runCli(['init', ...args], { env: cleanEnv(config.dir, env) });

function expectNoSecrets(result: RunResult, secrets: string[] = [API_KEY, SECRET_KEY, WEBHOOK_KEY]): void {
  for (const secret of secrets) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

/** A usage error: exit 2, one `error:` line naming the field, an optional hint, no stack trace. */
function expectUsageError(result: RunResult, message: string | RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(typeof message === 'string' ? new RegExp(`^error: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : message);
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1]).toMatch(/^hint: /);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('init without prompts', () => {
  it('saves a profile from flags and env, prints a masked summary and the path', async () => {
    const result = await init(FLAGS, KEYS);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`saved profile "default" (active) to ${configFile()}`);
    expect(result.stdout).toMatch(/secret key\s+sck_…c1Q0/);
    expectNoSecrets(result);
    expect(stored()).toEqual({
      activeProfile: 'default',
      profiles: { default: { environment: 'sandbox', cashierId: '91', apiKey: API_KEY, secretKey: SECRET_KEY, webhookKey: WEBHOOK_KEY, webhookUrl: 'https://shop.example.com/hook', signatureVersion: 'v2' } },
    });
    expect(statSync(configFile()).mode & 0o777).toBe(0o600);
    expect(statSync(config.dir).mode & 0o777).toBe(0o700);
  });

  it('--json prints only the masked profile and the path', async () => {
    const result = await init(['--json', '--yes', '--environment', 'production', ...FLAGS], { ...KEYS, CASHIER_CHECK_SECRET_KEY: `  ${SECRET_KEY}\n` });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      profile: 'default',
      path: configFile(),
      active: true,
      settings: { environment: 'production', cashierId: '91', apiKey: 'pk_p…wDVM', secretKey: 'sck_…c1Q0', webhookKey: 'whk_…mmQQ', webhookUrl: 'https://shop.example.com/hook', signatureVersion: 'v2' },
    });
    expect(stored().profiles.default!.secretKey).toBe(SECRET_KEY);
    expectNoSecrets(result);
  });

  it('--yes lists exactly what is missing, with the flag or env var for each', async () => {
    const result = await init(['--yes', '--cashier-id', '91'], { CASHIER_CHECK_API_KEY: API_KEY });
    expectUsageError(
      result,
      'missing secret key (CASHIER_CHECK_SECRET_KEY), Webhook key (CASHIER_CHECK_WEBHOOK_KEY), Webhook URL (--webhook-url or CASHIER_CHECK_WEBHOOK_URL)',
    );
    expect(result.stderr).toContain('--yes forbids prompting');
    expectNoSecrets(result);
  });

  it('--yes with v1 also needs both EC keys', async () => {
    const result = await init(['--yes', '--signature-version', 'v1', ...FLAGS], KEYS);
    expectUsageError(result, 'missing V1 private key (CASHIER_CHECK_V1_PRIVATE_KEY), V1 BlockATM public key (CASHIER_CHECK_V1_PUBLIC_KEY)');
    const ecdsa = vectors.ecdsa[0]!;
    const ok = await init(['--yes', '--signature-version', 'v1', ...FLAGS], { ...KEYS, CASHIER_CHECK_V1_PRIVATE_KEY: ecdsa.privateKey!, CASHIER_CHECK_V1_PUBLIC_KEY: ecdsa.publicKey });
    expect(ok.code, ok.stderr).toBe(0);
    expect(stored().profiles.default).toMatchObject({ signatureVersion: 'v1', v1PrivateKey: ecdsa.privateKey, v1PublicKey: ecdsa.publicKey });
    expectNoSecrets(ok, [ecdsa.privateKey!, SECRET_KEY]);
  });

  it('without a terminal it never prompts and never waits, even with stdin left open', async () => {
    const child = spawn(process.execPath, [BIN, 'init'], { env: cleanEnv(config.dir), stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.destroy();
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: missing Cashier Desk ID \(--cashier-id or CASHIER_CHECK_CASHIER_ID\), API key/);
    expect(stderr).toContain('stdin is not a terminal');
  });

  it('re-running with --yes keeps stored values and changes only what is given', async () => {
    expect((await init(FLAGS, KEYS)).code).toBe(0);
    const result = await init(['--yes', '--cashier-id', '92'], { CASHIER_CHECK_WEBHOOK_KEY: 'whk_new_webhook_key_1' });
    expect(result.code, result.stderr).toBe(0);
    expect(stored().profiles.default).toMatchObject({ cashierId: '92', apiKey: API_KEY, secretKey: SECRET_KEY, webhookKey: 'whk_new_webhook_key_1', webhookUrl: 'https://shop.example.com/hook' });
  });

  it('a second profile is saved without taking over the active one', async () => {
    expect((await init(FLAGS, KEYS)).code).toBe(0);
    const result = await init(['--profile', 'staging', '--json', ...FLAGS], KEYS);
    expect(JSON.parse(result.stdout)).toMatchObject({ profile: 'staging', active: false });
    expect(stored().activeProfile).toBe('default');
    expect(Object.keys(stored().profiles).sort()).toEqual(['default', 'staging']);
  });

  it('the next step for a profile that is not the active one names it', async () => {
    expect((await init(FLAGS, KEYS)).code).toBe(0);
    const result = await init(['--profile', 'staging', ...FLAGS], KEYS);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('saved profile "staging" (not the active one;');
    expect(result.stdout).toContain('cashier-check --profile staging send-test');
    expect(result.stdout).toContain('cashier-check config use staging');
    const active = await init(['--yes'], {});
    expect(active.stdout).toMatch(/saved profile "default" \(active\)/);
    expect(active.stdout).toMatch(/next: cashier-check send-test /);
  });

  it('a corrupt profile file is reported, not overwritten', async () => {
    const text = `{"profiles":{"default":{"secretKey":"${SECRET_KEY}"}}`;
    writeFileSync(configFile(), text);
    const result = await init(FLAGS, KEYS);
    expectUsageError(result, `profile file ${configFile()} is corrupt (not valid JSON)`);
    expectNoSecrets(result);
    expect(readFileSync(configFile(), 'utf8')).toBe(text);
  });

  it('a config folder that cannot be created is exit 2 naming the file', async () => {
    writeFileSync(join(config.dir, 'not-a-folder'), '');
    const dir = join(config.dir, 'not-a-folder', 'cfg');
    const result = await runCli(['init', ...FLAGS], { env: cleanEnv(dir, KEYS) });
    expectUsageError(result, `cannot write the profile file ${join(dir, 'config.json')} (ENOTDIR)`);
    expectNoSecrets(result);
  });

  it('a profile name with path characters is refused', async () => {
    expectUsageError(await init(['--profile', '../x', ...FLAGS], KEYS), '--profile: "../x" is not a valid profile name');
  });
});

describe.concurrent('init refuses bad input: exit 2, one line naming the field, previous profile intact', () => {
  const shared = tempConfigDir();
  let before = '';
  beforeAll(async () => {
    expect((await runCli(['init', ...FLAGS], { env: cleanEnv(shared.dir, KEYS) })).code).toBe(0);
    before = readFileSync(join(shared.dir, 'config.json'), 'utf8');
  });
  afterAll(() => shared.cleanup());

  const bad: [string, string[], Record<string, string>, string][] = [
    ['a non-numeric desk ID', ['--cashier-id', 'desk-91'], {}, '--cashier-id: must be the numeric Cashier Desk ID'],
    ['an unknown environment', ['--environment', 'staging'], {}, '--environment: "staging" is not "sandbox", "production" or an http(s) base URL such as http://127.0.0.1:4010'],
    ['an invalid base URL in the env', [], { CASHIER_CHECK_BASE_URL: 'ftp://x' }, 'CASHIER_CHECK_BASE_URL: must be "sandbox", "production" or an http(s) base URL'],
    ['an invalid Webhook URL', ['--webhook-url', 'shop.example.com/hook'], {}, '--webhook-url: "shop.example.com/hook" has no scheme; write https://shop.example.com/hook'],
    ['http for a production Webhook URL', ['--environment', 'production', '--webhook-url', 'http://shop.example.com/hook'], {}, '--webhook-url: must use https:// for production'],
    ['a quoted secret key', [], { CASHIER_CHECK_SECRET_KEY: `'${SECRET_KEY}'` }, 'CASHIER_CHECK_SECRET_KEY: has quotes around it'],
    ['a key with a line break inside', [], { CASHIER_CHECK_API_KEY: `${API_KEY.slice(0, 20)}\n${API_KEY.slice(20)}` }, 'CASHIER_CHECK_API_KEY: contains whitespace or a line break'],
    ['a PEM private key', ['--signature-version', 'v1'], { CASHIER_CHECK_V1_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----' }, 'CASHIER_CHECK_V1_PRIVATE_KEY: paste the Base64 between the PEM lines'],
    ['a DER public key that is not a key', ['--signature-version', 'v1'], { CASHIER_CHECK_V1_PUBLIC_KEY: 'AAAAAAAAAAAA' }, 'CASHIER_CHECK_V1_PUBLIC_KEY: not an X.509 SubjectPublicKeyInfo DER public key'],
    ['an unknown signature version', ['--signature-version', '3'], {}, '--signature-version: must be v2'],
  ];
  for (const [what, args, env, message] of bad) {
    it(`refuses ${what}`, async () => {
      const result = await runCli(['init', '--yes', ...FLAGS, ...args], { env: cleanEnv(shared.dir, { ...KEYS, ...env }) });
      expectUsageError(result, message);
      expectNoSecrets(result);
      expect(readFileSync(join(shared.dir, 'config.json'), 'utf8')).toBe(before);
    });
  }
});
