import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, tempConfigDir } from '../helpers/cli.js';
import { KEY, startPty } from '../helpers/pty.js';
import { vectors } from '../helpers/vectors.js';

const API_KEY = 'pk_payment_my3T68cbuIXf1x3QOEbWtFEfcJPxeBr8wTewDVM';
const SECRET_KEY = 'sck_QOoPSlHDSsgXYeNyTP2i0ug1HKLRjHw9Ug7mCc1Q0';
const WEBHOOK_KEY = 'whk_Zx81PqL0aa77TTmmQQ';
const SECRETS = [API_KEY, SECRET_KEY, WEBHOOK_KEY];

let config: { dir: string; cleanup: () => void };
beforeEach(() => {
  config = tempConfigDir();
});
afterEach(() => config.cleanup());

const configFile = (): string => join(config.dir, 'config.json');
const stored = (): { activeProfile?: string; profiles: Record<string, Record<string, string>> } => JSON.parse(readFileSync(configFile(), 'utf8'));

/** Answers the whole v2 questionnaire on a fresh profile, with one mistake corrected on the way. */
async function answerFreshInit(args: string[] = [], stdoutFile?: string) {
  const session = startPty(['init', ...args], cleanEnv(config.dir), { stdoutFile });
  await session.waitFor('Environment');
  session.type(KEY.enter);
  await session.waitFor('Cashier Desk ID');
  session.type(`abc${KEY.enter}`);
  await session.waitFor('digits only');
  session.type(`${KEY.backspace.repeat(3)}91${KEY.enter}`);
  await session.waitFor('API key');
  session.type(`${API_KEY}${KEY.enter}`);
  await session.waitFor('Secret key');
  session.type(`"${SECRET_KEY}"${KEY.enter}`);
  await session.waitFor('without quotes');
  session.type(`${KEY.backspace.repeat(SECRET_KEY.length + 2)}${SECRET_KEY}${KEY.enter}`);
  await session.waitFor('Webhook key');
  session.type(`${WEBHOOK_KEY}${KEY.enter}`);
  await session.waitFor('Webhook URL');
  session.type(`shop.example.com/hook${KEY.enter}`);
  await session.waitFor('has no scheme; write https://shop.example.com/hook');
  session.type(`${KEY.backspace.repeat(30)}https://shop.example.com/hook${KEY.enter}`);
  await session.waitFor('Signature version');
  session.type(KEY.enter);
  return session;
}

describe('init on a terminal', () => {
  it('asks every question, validates each answer as typed, masks secrets and saves a 0600 profile', async () => {
    const session = await answerFreshInit();
    const { exitCode, output } = await session.exited;
    expect(exitCode).toBe(0);
    expect(stored()).toEqual({
      activeProfile: 'default',
      profiles: { default: { environment: 'sandbox', cashierId: '91', apiKey: API_KEY, secretKey: SECRET_KEY, webhookKey: WEBHOOK_KEY, webhookUrl: 'https://shop.example.com/hook', signatureVersion: 'v2' } },
    });
    expect(statSync(configFile()).mode & 0o777).toBe(0o600);
    expect(output).toContain(`saved profile "default" (active) to ${configFile()}`);
    expect(output).toContain('sck_…c1Q0');
    for (const secret of SECRETS) expect(output).not.toContain(secret);
  });

  it('draws prompts on stderr: with --json, stdout gets only the masked profile', async () => {
    const stdoutFile = join(config.dir, 'stdout.json');
    const { exitCode, output } = await (await answerFreshInit(['--json'], stdoutFile)).exited;
    expect(exitCode).toBe(0);
    expect(output).toContain('Signature version');
    expect(JSON.parse(readFileSync(stdoutFile, 'utf8'))).toEqual({
      profile: 'default',
      path: configFile(),
      active: true,
      settings: { environment: 'sandbox', cashierId: '91', apiKey: 'pk_p…wDVM', secretKey: 'sck_…c1Q0', webhookKey: 'whk_…mmQQ', webhookUrl: 'https://shop.example.com/hook', signatureVersion: 'v2' },
    });
  });

  it('offers the current values on a re-run: Enter keeps each one, secrets included', async () => {
    await (await answerFreshInit()).exited;
    const before = stored();
    const session = startPty(['init'], cleanEnv(config.dir));
    await session.waitFor('Updating profile "default"');
    await session.waitFor('Environment');
    session.type(KEY.enter);
    await session.waitFor('Cashier Desk ID');
    await session.waitFor('(91)');
    session.type(KEY.enter);
    await session.waitFor('API key');
    await session.waitFor('pk_p…wDVM');
    session.type(KEY.enter);
    await session.waitFor('Secret key');
    session.type(KEY.enter);
    await session.waitFor('Webhook key');
    session.type(`whk_rotated_key_000${KEY.enter}`);
    await session.waitFor('Webhook URL');
    session.type(KEY.enter);
    await session.waitFor('Signature version');
    session.type(KEY.enter);
    const { exitCode, output } = await session.exited;
    expect(exitCode).toBe(0);
    expect(stored()).toEqual({ ...before, profiles: { default: { ...before.profiles.default, webhookKey: 'whk_rotated_key_000' } } });
    for (const secret of [...SECRETS, 'whk_rotated_key_000']) expect(output).not.toContain(secret);
  });

  it('Ctrl-C exits 130 and leaves the previous profile byte for byte', async () => {
    await (await answerFreshInit()).exited;
    const before = readFileSync(configFile(), 'utf8');
    const session = startPty(['init'], cleanEnv(config.dir));
    await session.waitFor('Environment');
    session.type(KEY.enter);
    await session.waitFor('Cashier Desk ID');
    session.type(`${KEY.backspace.repeat(2)}77${KEY.enter}`);
    await session.waitFor('API key');
    session.type(KEY.ctrlC);
    const { exitCode, output } = await session.exited;
    expect(exitCode).toBe(130);
    expect(output).toContain('interrupted; nothing was saved');
    expect(output).not.toMatch(/\n\s+at /);
    expect(readFileSync(configFile(), 'utf8')).toBe(before);
  });

  it('a custom base URL and V1 keys, with flags answering what they set', async () => {
    const ecdsa = vectors.ecdsa[0]!;
    const env = cleanEnv(config.dir, { CASHIER_CHECK_API_KEY: API_KEY, CASHIER_CHECK_SECRET_KEY: SECRET_KEY, CASHIER_CHECK_WEBHOOK_KEY: WEBHOOK_KEY });
    const session = startPty(['init', '--profile', 'legacy', '--cashier-id', '86100021', '--webhook-url', 'http://127.0.0.1:8080/hook'], env);
    await session.waitFor('Environment');
    session.type(`${KEY.down}${KEY.down}${KEY.enter}`);
    await session.waitFor('API base URL');
    session.type(`ftp://x${KEY.enter}`);
    await session.waitFor('http(s)');
    session.type(`${KEY.backspace.repeat(7)}http://127.0.0.1:4010/${KEY.enter}`);
    await session.waitFor('Signature version');
    session.type(`${KEY.down}${KEY.enter}`);
    await session.waitFor('EC private key');
    session.type(`-----BEGIN PRIVATE KEY-----${KEY.enter}`);
    await session.waitFor('without the -----BEGIN/END----- lines');
    session.type(`${KEY.backspace.repeat(27)}${ecdsa.privateKey}${KEY.enter}`);
    await session.waitFor('EC public key');
    session.type(`${ecdsa.publicKey}${KEY.enter}`);
    const { exitCode, output } = await session.exited;
    expect(exitCode).toBe(0);
    expect(stored().profiles.legacy).toEqual({
      environment: 'custom',
      baseUrl: 'http://127.0.0.1:4010',
      cashierId: '86100021',
      apiKey: API_KEY,
      secretKey: SECRET_KEY,
      webhookKey: WEBHOOK_KEY,
      webhookUrl: 'http://127.0.0.1:8080/hook',
      signatureVersion: 'v1',
      v1PrivateKey: ecdsa.privateKey,
      v1PublicKey: ecdsa.publicKey,
    });
    expect(stored().activeProfile).toBe('legacy');
    expect(output).not.toContain('Cashier Desk ID:');
    expect(output).not.toContain(ecdsa.privateKey!);
    for (const secret of SECRETS) expect(output).not.toContain(secret);
  });

  it('refuses an http Webhook URL for production and asks again', async () => {
    const env = cleanEnv(config.dir, { CASHIER_CHECK_API_KEY: API_KEY, CASHIER_CHECK_SECRET_KEY: SECRET_KEY, CASHIER_CHECK_WEBHOOK_KEY: WEBHOOK_KEY });
    const session = startPty(['init', '--environment', 'production', '--cashier-id', '91', '--signature-version', 'v2'], env);
    await session.waitFor('Webhook URL');
    session.type(`http://shop.example.com/hook${KEY.enter}`);
    await session.waitFor('must use https://');
    session.type(`${KEY.backspace.repeat(28)}https://shop.example.com/hook${KEY.enter}`);
    expect((await session.exited).exitCode).toBe(0);
    expect(stored().profiles.default).toMatchObject({ environment: 'production', webhookUrl: 'https://shop.example.com/hook' });
  });
});
