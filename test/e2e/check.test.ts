import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { spawn as spawnPty } from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runCli, tempConfigDir } from '../helpers/cli.js';
import { acceptsEverything, answers500, correctAnswer, receiverFor, redirectsToHttps, reserialisingAnswer, startReceiver } from '../helpers/receivers.js';
import type { RunningEmulator } from '../../src/server/emulator/index.js';
import { emulatorFor } from '../helpers/emulator.js';

const KEYS = {
  CASHIER_CHECK_SECRET_KEY: 'sk_test_Qx81cvb0aa2e6f1',
  CASHIER_CHECK_API_KEY: 'pk_test_Lm34zzh7c0d9e2b',
  CASHIER_CHECK_WEBHOOK_KEY: 'whk_test_Ty55aa9f3b8c1d4',
};

interface CheckJson {
  steps: { step: number; title: string; status: string; detail: string; hint: string }[];
  passed: number;
  failed: number;
}

let config: ReturnType<typeof tempConfigDir>;
let emulator: RunningEmulator;
beforeAll(async () => {
  config = tempConfigDir();
  emulator = await emulatorFor(KEYS);
});
afterAll(async () => {
  await emulator.close();
  config.cleanup();
});

async function check(args: string[], env: Record<string, string> = {}) {
  const result = await runCli(['check', ...args], { env: cleanEnv(config.dir, { ...KEYS, CASHIER_CHECK_BASE_URL: emulator.baseUrl, ...env }) });
  return { ...result, json: args.includes('--json') && result.stdout ? (JSON.parse(result.stdout) as CheckJson) : undefined };
}

/** A production profile without an API key: the API steps skip, so nothing leaves this machine. */
const OFFLINE_PRODUCTION = { CASHIER_CHECK_ENV: 'production', CASHIER_CHECK_BASE_URL: '', CASHIER_CHECK_API_KEY: '' };

const statuses = (json: CheckJson | undefined) => json?.steps.map((step) => step.status);

describe.concurrent('check against a configured endpoint', () => {
  it('passes the webhook steps for a careful endpoint', async (context) => {
    const receiver = await receiverFor(context, correctAnswer(KEYS.CASHIER_CHECK_WEBHOOK_KEY));
    const { code, json } = await check(['--json'], { CASHIER_CHECK_WEBHOOK_URL: receiver.url });
    expect(json?.steps.map((step) => step.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(statuses(json)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    expect(json?.steps[4]?.detail).toContain('000202');
    expect(json?.steps[3]?.detail).toContain('secret key');
    expect(json?.failed).toBe(0);
    expect(code).toBe(0);
  });

  it('fails steps 5 and 7 when the API rejects the secret key, with the key to check', async (context) => {
    const receiver = await receiverFor(context, correctAnswer(KEYS.CASHIER_CHECK_WEBHOOK_KEY));
    const { code, json } = await check(['--json'], { CASHIER_CHECK_WEBHOOK_URL: receiver.url, CASHIER_CHECK_SECRET_KEY: 'sk_test_not_the_right_one' });
    expect(json?.steps[4]).toMatchObject({ status: 'fail', detail: expect.stringContaining('000105') });
    expect(json?.steps[6]?.status).toBe('fail');
    expect(json?.steps[0]?.status).toBe('pass');
    expect(code).toBe(1);
  });

  it('fails steps 4 and 6 for an endpoint that accepts everything, and says why', async (context) => {
    const receiver = await receiverFor(context, acceptsEverything, { maxBodyBytes: 8 * 1024 * 1024 });
    const { code, json } = await check(['--json'], { CASHIER_CHECK_WEBHOOK_URL: receiver.url });
    expect(json?.steps[3]).toMatchObject({ status: 'fail', hint: expect.stringContaining('Webhook key') });
    expect(json?.steps[5]).toMatchObject({ status: 'fail', detail: expect.stringContaining('accepted 8 of 8 forgeries') });
    expect(json?.steps[7]?.status).toBe('pass');
    expect(code).toBe(1);
  });

  it('skips what it cannot judge without a Webhook URL, and fails missing keys with the env var to set', async () => {
    const { code, json } = await check(['--json'], { CASHIER_CHECK_SECRET_KEY: '' });
    expect(json?.steps[0]).toMatchObject({ status: 'fail', detail: 'the secret key is not set', hint: expect.stringContaining('CASHIER_CHECK_SECRET_KEY') });
    for (const index of [2, 3, 4, 5, 6, 7]) expect(json?.steps[index]?.status).toBe('skip');
    expect(json?.steps[2]?.detail).toBe('no Webhook URL yet');
    expect(json?.steps[4]?.detail).toContain('secret key');
    expect(code).toBe(1);
  });

  it('fails step 3 with a network hint when nothing listens at the Webhook URL', async () => {
    const closed = await startReceiver(acceptsEverything);
    const url = closed.url;
    await closed.close();
    const { json } = await check(['--json'], { CASHIER_CHECK_WEBHOOK_URL: url });
    expect(json?.steps[2]).toMatchObject({ status: 'fail', hint: expect.stringContaining('nothing is listening') });
    expect(statuses(json)?.slice(3)).toEqual(['skip', 'pass', 'skip', 'pass', 'skip']);
    expect(json?.steps[5]?.detail).toContain('did not answer a POST (step 3)');
  });

  it('fails step 3 for a Webhook URL that redirects, naming where it points', async (context) => {
    const receiver = await receiverFor(context, redirectsToHttps);
    const { json } = await check(['--json'], { CASHIER_CHECK_WEBHOOK_URL: receiver.url });
    expect(json?.steps[2]).toMatchObject({ status: 'fail', detail: expect.stringContaining('redirects (HTTP 301 to https://shop.example.com/webhook)'), hint: expect.stringContaining('final address') });
    expect(json?.steps[7]).toMatchObject({ status: 'fail', hint: expect.stringContaining('https://shop.example.com/webhook') });
  });

  it('blames the key in step 4 only when the genuine delivery is refused as unauthorised', async (context) => {
    const crashing = await receiverFor(context, answers500);
    const crashed = await check(['--json'], { CASHIER_CHECK_WEBHOOK_URL: crashing.url });
    expect(crashed.json?.steps[3]).toMatchObject({ status: 'fail', detail: expect.stringContaining('HTTP 500') });
    expect(crashed.json?.steps[3]?.hint).not.toContain('different Webhook key');
    const otherKey = await receiverFor(context, correctAnswer('whk_test_someone_elses_key'));
    const refused = await check(['--json'], { CASHIER_CHECK_WEBHOOK_URL: otherKey.url });
    expect(refused.json?.steps[3]).toMatchObject({ status: 'fail', hint: expect.stringContaining('different Webhook key') });
  });

  it('warns in step 6 when the endpoint re-serialises the body before checking the signature', async (context) => {
    const receiver = await receiverFor(context, reserialisingAnswer(KEYS.CASHIER_CHECK_WEBHOOK_KEY));
    const { json } = await check(['--json'], { CASHIER_CHECK_WEBHOOK_URL: receiver.url });
    expect(json?.steps[5]).toMatchObject({ status: 'warn', detail: expect.stringContaining('amount as a number: refused with HTTP 401'), hint: expect.stringContaining('lossless') });
  });

  it('still names the refused number amount when step 6 fails for other reasons', async (context) => {
    const receiver = await receiverFor(context, reserialisingAnswer(KEYS.CASHIER_CHECK_WEBHOOK_KEY, { checkTime: false }));
    const { json } = await check(['--json'], { CASHIER_CHECK_WEBHOOK_URL: receiver.url });
    expect(json?.steps[5]).toMatchObject({ status: 'fail', detail: expect.stringMatching(/accepted 3 of 8 forgeries: .*amount as a number: refused with HTTP 401/) });
  });

  it('writes a JUnit report CI readers accept: one case per step, failures with messages, no secrets', async (context) => {
    const receiver = await receiverFor(context, acceptsEverything, { maxBodyBytes: 8 * 1024 * 1024 });
    const file = join(config.dir, 'report.xml');
    const { code, stdout, stderr } = await check(['--junit', file], { CASHIER_CHECK_WEBHOOK_URL: receiver.url });
    expect(code).toBe(1);
    const xml = readFileSync(file, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    for (const secret of Object.values(KEYS)) for (const text of [xml, stdout, stderr]) expect(text).not.toContain(secret);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: { tests: string; failures: string; testsuite: { tests: string; failures: string; skipped: string; testcase: { name: string; classname: string; time: string; failure?: { message: string; '#text': string }; skipped?: { message: string } }[] } };
    };
    const suite = doc.testsuites.testsuite;
    expect(suite.testcase).toHaveLength(8);
    expect(suite).toMatchObject({ tests: '8', failures: '2' });
    expect(doc.testsuites).toMatchObject({ tests: '8', failures: '2' });
    expect(suite.testcase.map((testcase) => testcase.name.split(':')[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `step ${n}`));
    const failed = suite.testcase.filter((testcase) => testcase.failure);
    expect(failed.map((testcase) => testcase.name.split(':')[0])).toEqual(['step 4', 'step 6']);
    expect(failed[1]?.failure?.message).toContain('forgeries');
    expect(failed[1]?.failure?.['#text']).toContain('fix:');
    expect(suite.testcase.filter((testcase) => testcase.skipped)).toHaveLength(Number(suite.skipped));
    for (const testcase of suite.testcase) expect(Number(testcase.time)).toBeGreaterThanOrEqual(0);
  });

  it('prints a readable table with a summary line, and no spinner when stderr is not a terminal', async (context) => {
    const receiver = await receiverFor(context, correctAnswer(KEYS.CASHIER_CHECK_WEBHOOK_KEY));
    const { stdout, stderr } = await check([], { CASHIER_CHECK_WEBHOOK_URL: receiver.url });
    expect(stdout).toMatch(/^ 1 {2}PASS {2}Configure the integration key to sign request data$/m);
    expect(stdout).toMatch(/^ 4 {2}PASS {2}Configure the Webhook key; verify signatures of notifications$/m);
    expect(stdout).toMatch(/^8 steps: \d passed, 0 failed, \d warned, \d skipped$/m);
    expect(stderr).not.toContain('\r');
  });

  it('shows a progress line on a terminal', async () => {
    const terminal = spawnPty(process.execPath, [BIN, 'check'], { env: cleanEnv(config.dir, { ...KEYS, CASHIER_CHECK_BASE_URL: emulator.baseUrl }) as Record<string, string>, cols: 200 });
    let screen = '';
    terminal.onData((data) => (screen += data));
    const exitCode = await new Promise<number>((resolve) => terminal.onExit(({ exitCode: code }) => resolve(code)));
    expect(screen).toContain('\r\u001b[2K');
    expect(screen).toMatch(/\S step 1\/8: Configure the integration key/);
    expect(screen).toMatch(/8 steps: .*passed/);
    expect(exitCode).toBe(0);
  });

  it('grades V1 keys and skips the webhook steps it cannot sign for', async (context) => {
    const receiver = await receiverFor(context, acceptsEverything);
    const pair = (): { privateKey: string; publicKey: string } => {
      const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      return {
        privateKey: keys.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
        publicKey: keys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      };
    };
    const { json } = await check(['--json'], {
      CASHIER_CHECK_SIGNATURE_VERSION: 'v1', CASHIER_CHECK_V1_PRIVATE_KEY: pair().privateKey, CASHIER_CHECK_V1_PUBLIC_KEY: pair().publicKey,
      CASHIER_CHECK_WEBHOOK_URL: receiver.url,
    });
    expect(statuses(json)?.slice(0, 4)).toEqual(['pass', 'pass', 'pass', 'skip']);
    expect(json?.steps[1]?.detail).toContain('V1 public key parses');
    for (const index of [3, 5, 7]) expect(json?.steps[index]?.detail).toContain('V1 webhooks');
    const missing = await check(['--json'], { CASHIER_CHECK_SIGNATURE_VERSION: 'v1' });
    expect(missing.json?.steps[0]).toMatchObject({ status: 'fail', hint: expect.stringContaining('CASHIER_CHECK_V1_PRIVATE_KEY') });
    expect(missing.json?.steps[1]).toMatchObject({ status: 'fail', hint: expect.stringContaining('CASHIER_CHECK_V1_PUBLIC_KEY') });
  });

  it('refuses bad flags with exit 2', async () => {
    const cases: [string[], string][] = [
      [['--vulnerable-receiver'], '--vulnerable-receiver'],
      [['--junit', join(config.dir, 'missing', 'r.xml')], '--junit'],
      [['--timeout', 'soon'], '--timeout'],
      [['--webhook-url', 'ftp://x'], '--webhook-url'],
      [['--mock', '--webhook-url', 'http://127.0.0.1:9/x'], '--webhook-url'],
      [['--mock', '--wait-real', 'https://x.example/hook'], '--wait-real'],
      [['--wait-real', 'https://x.example/hook', '--listen-port', '70000'], '--listen-port'],
      [['--listen-port', '4242'], '--listen-port'],
      [['--mock', '--wait-timeout', '60'], '--wait-timeout'],
    ];
    for (const [args, field] of cases) {
      const result = await check(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(field);
    }
  });

  it('sends nothing to a production Webhook URL unless the owner confirms, and requires HTTPS there', async () => {
    const { json } = await check(['--json'], { ...OFFLINE_PRODUCTION, CASHIER_CHECK_WEBHOOK_URL: 'https://shop.invalid/webhook' });
    for (const index of [2, 3, 5, 7]) expect(json?.steps[index]?.status).toBe('skip');
    expect(json?.steps[2]?.detail).toContain('not contacted');
    expect(json?.steps[3]?.hint).toContain('--i-own-this-endpoint');
    const plain = await check(['--json'], { ...OFFLINE_PRODUCTION, CASHIER_CHECK_WEBHOOK_URL: 'http://shop.invalid/webhook' });
    expect(plain.json?.steps[2]).toMatchObject({ status: 'fail', detail: expect.stringContaining('https://') });
  });
});
