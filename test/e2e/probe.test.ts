import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, tempConfigDir } from '../helpers/cli.js';
import { startListener } from '../../src/server/listener.js';
import { acceptsEverything, answers500, correctAnswer, ignoresTimestampAnswer, receiverFor, refusesRetriesAnswer, reserialisingAnswer, startReceiver } from '../helpers/receivers.js';

const WEBHOOK_KEY = 'whk_test_5f2c8a1e9b7d4c3a';
const SECRET_KEY = 'sk_test_0a9b8c7d6e5f4a3b';

interface ProbeJson {
  cases: { name: string; kind: string; status: string; sent: { description: string; headers: Record<string, string> }; got: { status?: number; error?: string }; hint: string; why: string }[];
  passed: number;
  failed: number;
  warned: number;
}

let config: ReturnType<typeof tempConfigDir>;
beforeAll(() => {
  config = tempConfigDir();
});
afterAll(() => config.cleanup());

async function probe(url: string, extra: string[] = [], env: Record<string, string> = {}) {
  const result = await runCli(['probe', '--to', url, '--json', ...extra], {
    env: cleanEnv(config.dir, { CASHIER_CHECK_WEBHOOK_KEY: WEBHOOK_KEY, CASHIER_CHECK_SECRET_KEY: SECRET_KEY, ...env }),
  });
  return { ...result, json: result.stdout ? (JSON.parse(result.stdout) as ProbeJson) : undefined };
}

const byName = (json: ProbeJson | undefined, name: string) => json?.cases.find((c) => c.name === name);
const FORGERIES = ['missing-signature', 'wrong-signature', 'tampered-body', 'wrong-key', 'stale-timestamp', 'future-timestamp', 'seconds-timestamp', 'malformed-json'];

describe.concurrent('probe', () => {
  it('passes every case against a careful endpoint', async (context) => {
    const receiver = await receiverFor(context, correctAnswer(WEBHOOK_KEY));
    const { code, json, stderr } = await probe(receiver.url);
    expect(stderr).not.toContain(WEBHOOK_KEY);
    expect(json?.cases.map((c) => c.name)).toEqual(['genuine', 'number-amount', 'retry', ...FORGERIES, 'replay', 'wrong-content-type', 'oversized-body']);
    expect(json?.cases.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(json).toMatchObject({ passed: 14, failed: 0, warned: 0 });
    expect(byName(json, 'genuine')?.kind).toBe('genuine');
    expect(byName(json, 'wrong-key')?.sent.description).toContain('with the secret key instead');
    expect(byName(json, 'missing-signature')?.sent.headers).not.toHaveProperty('BlockATM-Signature-V2');
    expect(code).toBe(0);
  });

  it('names every case it sends in --help', async (context) => {
    const receiver = await receiverFor(context, correctAnswer(WEBHOOK_KEY));
    const { json } = await probe(receiver.url);
    const help = await runCli(['probe', '--help'], { env: cleanEnv(config.dir) });
    for (const c of json?.cases.filter((item) => item.name !== 'genuine') ?? []) expect(help.stdout.replace(/\s+/g, ' '), c.name).toContain(` ${c.name}`);
  });

  it('finds no forgery accepted by the product\'s own listener', async () => {
    const listener = await startListener({ host: '127.0.0.1', port: 0, webhookKey: WEBHOOK_KEY });
    try {
      const { code, json } = await probe(listener.url);
      expect(byName(json, 'genuine')?.status).toBe('pass');
      for (const name of FORGERIES) expect(byName(json, name)?.status, name).toBe('pass');
      expect(byName(json, 'oversized-body')?.status).toBe('pass');
      expect(code).toBe(0);
    } finally {
      await listener.close();
    }
  });

  it('fails every forgery against an endpoint that accepts everything, and warns on hygiene', async (context) => {
    const receiver = await receiverFor(context, acceptsEverything, { maxBodyBytes: 8 * 1024 * 1024 });
    const { code, json, stdout } = await probe(receiver.url);
    for (const name of FORGERIES) expect(byName(json, name)?.status, name).toBe('fail');
    for (const name of ['replay', 'wrong-content-type', 'oversized-body']) expect(byName(json, name)?.status, JSON.stringify(byName(json, name)?.got)).toBe('warn');
    expect(byName(json, 'genuine')?.status).toBe('pass');
    const forged = byName(json, 'tampered-body');
    expect(forged?.got.status).toBe(200);
    expect(forged?.hint).toMatch(/raw body|exact bytes/);
    expect(forged?.why.length).toBeGreaterThan(20);
    expect(stdout).not.toContain(SECRET_KEY);
    expect(code).toBe(1);
  });

  it('catches an endpoint that checks the signature but not the timestamp', async (context) => {
    const receiver = await receiverFor(context, ignoresTimestampAnswer(WEBHOOK_KEY));
    const { code, json } = await probe(receiver.url);
    const failed = json?.cases.filter((c) => c.status === 'fail').map((c) => c.name);
    expect(failed).toEqual(['stale-timestamp', 'future-timestamp', 'seconds-timestamp']);
    expect(byName(json, 'wrong-key')?.status).toBe('pass');
    expect(code).toBe(1);
  });

  it('warns about an endpoint that re-serialises the body, with the lossless fix', async (context) => {
    const receiver = await receiverFor(context, reserialisingAnswer(WEBHOOK_KEY));
    const { code, json } = await probe(receiver.url);
    expect(byName(json, 'genuine')?.status).toBe('pass');
    expect(byName(json, 'number-amount')).toMatchObject({ status: 'warn', got: { status: 401 }, hint: expect.stringContaining('lossless') });
    expect(byName(json, 'number-amount')?.sent.description).toContain('2000.50');
    expect(byName(json, 'number-amount')?.hint, 'a strict schema refusing a number gets its fix too').toContain('accept amount as a number as well as a string');
    expect(code).toBe(0);
  });

  it('warns about an endpoint that refuses BlockATM\'s retry of an order it already handled', async (context) => {
    const receiver = await receiverFor(context, refusesRetriesAnswer(WEBHOOK_KEY));
    const { json } = await probe(receiver.url);
    expect(byName(json, 'genuine')?.status).toBe('pass');
    expect(byName(json, 'retry')).toMatchObject({ status: 'warn', got: { status: 409 }, hint: expect.stringContaining('answer 200') });
  });

  it('fails the genuine delivery and hygiene cases against an endpoint answering 500', async (context) => {
    const receiver = await receiverFor(context, answers500, { maxBodyBytes: 8 * 1024 * 1024 });
    const { code, json } = await probe(receiver.url);
    expect(byName(json, 'genuine')).toMatchObject({ status: 'fail', got: { status: 500 } });
    for (const name of ['number-amount', 'retry']) expect(byName(json, name)?.status, name).toBe('fail');
    for (const name of FORGERIES) expect(byName(json, name)?.status, name).toBe('warn');
    for (const name of ['replay', 'wrong-content-type', 'oversized-body']) expect(byName(json, name)?.status, name).toBe('fail');
    expect(code).toBe(1);
  });

  it('makes warnings fail only with --strict', async (context) => {
    const receiver = await receiverFor(context, correctAnswer(WEBHOOK_KEY, { dedupe: false }));
    const lenient = await probe(receiver.url);
    expect(lenient.json).toMatchObject({ passed: 13, failed: 0, warned: 1 });
    expect(byName(lenient.json, 'replay')?.hint).toContain('processed twice');
    expect(lenient.code).toBe(0);
    const strict = await probe(receiver.url, ['--strict']);
    expect(strict.json).toMatchObject({ failed: 0, warned: 1 });
    expect(strict.code).toBe(1);
  });

  it('explains each case in the human view', async (context) => {
    const receiver = await receiverFor(context, acceptsEverything, { maxBodyBytes: 8 * 1024 * 1024 });
    const human = await runCli(['probe', '--to', receiver.url], { env: cleanEnv(config.dir, { CASHIER_CHECK_WEBHOOK_KEY: WEBHOOK_KEY }) });
    expect(human.stdout).toMatch(/FAIL\s+no signature header\s+accepted a forgery with HTTP 200/);
    expect(human.stdout).toContain('fix:');
    expect(human.stdout).toMatch(/14 cases: 3 passed, 8 failed, 3 warned/);
  });

  it('reports an unreachable endpoint once, with the network hint', async () => {
    const closed = await startReceiver(acceptsEverything);
    const url = closed.url;
    await closed.close();
    const { code, json } = await probe(url);
    expect(json?.cases).toHaveLength(1);
    expect(json?.cases[0]).toMatchObject({ name: 'genuine', status: 'fail', got: { error: 'refused' } });
    expect(code).toBe(1);
    const human = await runCli(['probe', '--to', url], { env: cleanEnv(config.dir, { CASHIER_CHECK_WEBHOOK_KEY: WEBHOOK_KEY }) });
    expect(human.stdout).toMatch(/^1 case: 0 passed, 1 failed, 0 warned$/m);
  });

  it('refuses a production Webhook URL unless the owner confirms', async (context) => {
    const refused = await probe('https://shop.example.com/webhook', [], { CASHIER_CHECK_ENV: 'production' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--i-own-this-endpoint');
    const receiver = await receiverFor(context, correctAnswer(WEBHOOK_KEY));
    const local = await probe(receiver.url, [], { CASHIER_CHECK_ENV: 'production' });
    expect(local.code).toBe(0);
  });

  it('needs the Webhook key and a target', async () => {
    const noKey = await runCli(['probe', '--to', 'http://127.0.0.1:9/webhook'], { env: cleanEnv(config.dir) });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('the Webhook key is not set');
    const noUrl = await runCli(['probe'], { env: cleanEnv(config.dir, { CASHIER_CHECK_WEBHOOK_KEY: WEBHOOK_KEY }) });
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('--to');
  });
});
