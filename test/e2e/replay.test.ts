import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { capturesDir } from '../../src/config/capture-store.js';
import { createCaptureWriter } from '../../src/config/capture-writer.js';
import type { CapturedDelivery } from '../../src/core/capture.js';
import { verifyDelivery } from '../../src/core/delivery.js';
import { signWebhook } from '../../src/core/webhook-signature.js';
import { cleanEnv, runCli, tempConfigDir } from '../helpers/cli.js';

const WEBHOOK_KEY = 'whk_replay_7c6b5a4f3e2d1c0b9a88';
const BODY = '{"orderNo":"ORDER_R1","amount":"2000.00","status":"SUCCESS","fee":1.50,"cashierId":86100021}';

interface Received {
  method: string;
  url: string;
  rawHeaders: string[];
  headers: Record<string, string[]>;
  body: Buffer;
}

/** A receiver that records every request and answers with the status it is told to. */
async function startRecorder(): Promise<{ url: string; received: Received[]; answer: { status: number; body: string }; close(): Promise<void> }> {
  const received: Received[] = [];
  const answer = { status: 200, body: 'success' };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string[]> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) (headers[req.rawHeaders[i]!.toLowerCase()] ??= []).push(req.rawHeaders[i + 1]!);
      received.push({ method: req.method ?? '', url: req.url ?? '', rawHeaders: req.rawHeaders, headers, body: Buffer.concat(chunks) });
      if (answer.status === 0) return; // never answers
      res.writeHead(answer.status, { 'Content-Type': 'text/plain' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhooks/blockatm`, received, answer, close: () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }) };
}

function capture(id: string, timeMs: number, overrides: Partial<CapturedDelivery> = {}): CapturedDelivery {
  const signed = signWebhook(BODY, String(timeMs), WEBHOOK_KEY);
  if (!signed.ok) throw new Error(signed.error);
  return {
    id, receivedAt: new Date(timeMs).toISOString(), method: 'POST', path: '/',
    headers: {
      host: ['127.0.0.1:9'], 'content-type': ['application/json'], 'content-length': [String(Buffer.byteLength(BODY))],
      'blockatm-signature-v2': [signed.value.signature], 'blockatm-request-time': [String(timeMs)], 'blockatm-event': ['Payment'], 'x-forwarded-for': ['203.0.113.7', '10.0.0.1'],
    },
    body: BODY, bodyEncoding: 'utf8',
    verdict: { verified: true, httpStatus: 200, reason: 'verified: signature valid (sorted recipe)', recipe: 'sorted', event: 'Payment', status: 'SUCCESS' },
    ...overrides,
  };
}

describe('replay', () => {
  let config: ReturnType<typeof tempConfigDir>;
  let env: NodeJS.ProcessEnv;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  const now = Date.now();
  const fresh = capture('20261126T080000-f00d', now - 2_000);
  const old = capture('20261126T070000-0ld1', now - 7_200_000, { verdict: { verified: false, httpStatus: 401, reason: 'signature mismatch', recipe: null, event: 'Payout', status: 'REFUSE' } });

  beforeAll(async () => {
    config = tempConfigDir();
    env = cleanEnv(config.dir, { CASHIER_CHECK_WEBHOOK_KEY: WEBHOOK_KEY });
    const writer = createCaptureWriter(capturesDir(env));
    await Promise.all([writer.save(old), writer.save(fresh)]);
    recorder = await startRecorder();
  });
  beforeEach(() => {
    recorder.received.length = 0;
    recorder.answer.status = 200;
    recorder.answer.body = 'success';
  });
  afterAll(async () => {
    await recorder.close();
    config.cleanup();
  });

  it('--list shows captured deliveries newest first, one line each', async () => {
    const human = await runCli(['replay', '--list'], { env });
    expect(human.code).toBe(0);
    const lines = human.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^20261126T080000-f00d .*Payment SUCCESS .*PASS/);
    expect(lines[1]).toMatch(/^20261126T070000-0ld1 .*Payout REFUSE .*FAIL .*401 signature mismatch/);
    const json = await runCli(['replay', '--list', '--json'], { env });
    expect(JSON.parse(json.stdout).deliveries.map((d: { id: string }) => d.id)).toEqual([fresh.id, old.id]);
  });

  it('--show prints headers and body', async () => {
    const result = await runCli(['replay', '--show', '20261126T0800'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('blockatm-event: Payment');
    expect(result.stdout).toContain(BODY);
    const json = await runCli(['replay', '--show', fresh.id, '--json'], { env });
    expect(JSON.parse(json.stdout)).toEqual(fresh);
  });

  it('re-sends a delivery byte for byte and reports the answer', async () => {
    recorder.answer.body = 'success';
    const result = await runCli(['replay', fresh.id, '--to', recorder.url, '--json'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ id: fresh.id, mode: 'as-captured', status: 200, body: 'success', pass: true, error: null, latencyMs: expect.any(Number) });
    const [got] = recorder.received;
    expect(got?.body.equals(Buffer.from(BODY))).toBe(true);
    expect(got?.method).toBe('POST');
    for (const name of ['content-type', 'blockatm-signature-v2', 'blockatm-request-time', 'blockatm-event', 'x-forwarded-for']) expect(got?.headers[name], name).toEqual(fresh.headers[name]);
    expect(got?.headers.host).toEqual([new URL(recorder.url).host]);
  });

  it('re-signs with a fresh time after --set, and a correct receiver verifies it', async () => {
    const result = await runCli(['replay', old.id, '--to', recorder.url, '--set', 'amount=12.50', '--set', 'status=PENDING', '--json'], { env });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ mode: 're-signed', recipe: 'sorted', edits: [{ field: 'amount', from: '"2000.00"', to: '"12.50"' }, { field: 'status', to: '"PENDING"' }] });
    const [got] = recorder.received;
    expect(got?.body.toString()).toBe(BODY.replace('2000.00', '12.50').replace('"SUCCESS"', '"PENDING"'));
    const verdict = verifyDelivery({ method: 'POST', headers: got!.headers, body: got!.body }, { webhookKey: WEBHOOK_KEY, nowMs: Date.now(), toleranceMs: 300_000 });
    expect(verdict).toMatchObject({ verified: true, amount: '12.50', status: 'PENDING' });
    expect(Number(report.time)).toBeGreaterThanOrEqual(now);
  });

  it('warns that a stale delivery replayed as captured will be rejected', async () => {
    const result = await runCli(['replay', old.id, '--to', recorder.url], { env });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('--resign');
    expect(result.stdout).toContain('HTTP 200');
  });

  it('exits 1 when the endpoint does not answer 200, and names a refused connection', async () => {
    recorder.answer.status = 401;
    recorder.answer.body = 'bad signature';
    const rejected = await runCli(['replay', fresh.id, '--to', recorder.url, '--json'], { env });
    expect(rejected.code).toBe(1);
    expect(JSON.parse(rejected.stdout)).toMatchObject({ status: 401, body: 'bad signature', pass: false });
    const refused = await runCli(['replay', fresh.id, '--to', 'http://127.0.0.1:9/', '--json'], { env });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ status: null, pass: false, error: { kind: 'refused' } });
  });

  it('gives a fix for a non-200 answer, as trigger does', async () => {
    recorder.answer.status = 500;
    recorder.answer.body = 'internal error';
    const crashed = await runCli(['replay', fresh.id, '--to', recorder.url], { env });
    expect(crashed.code).toBe(1);
    expect(crashed.stdout).toMatch(/fix: the endpoint failed while processing/);
    recorder.answer.status = 401;
    const stale = await runCli(['replay', old.id, '--to', recorder.url, '--json'], { env });
    expect(JSON.parse(stale.stdout)).toMatchObject({ status: 401, pass: false, hint: expect.stringContaining('--resign') });
  });

  it('refuses to re-send to a non-local URL on a production profile unless the owner confirms', async () => {
    const production = { ...env, CASHIER_CHECK_ENV: 'production' };
    // 0.0.0.0 reaches this machine, yet is not a loopback name: the guard must treat it as remote.
    const remoteLooking = recorder.url.replace('127.0.0.1', '0.0.0.0');
    const refused = await runCli(['replay', fresh.id, '--resign', '--to', remoteLooking], { env: production });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--i-own-this-endpoint');
    expect(recorder.received).toHaveLength(0);
    const local = await runCli(['replay', fresh.id, '--to', recorder.url], { env: production });
    expect(local.code).toBe(0);
    expect(recorder.received).toHaveLength(1);
    const confirmed = await runCli(['replay', fresh.id, '--resign', '--to', remoteLooking, '--i-own-this-endpoint'], { env: production });
    expect(confirmed.code).toBe(0);
    expect(recorder.received).toHaveLength(2);
  });

  it('fails with exit 1, like trigger, when the endpoint does not answer within --timeout', async () => {
    recorder.answer.status = 0;
    const result = await runCli(['replay', fresh.id, '--to', recorder.url, '--timeout', '1', '--json'], { env });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: null, pass: false, error: { kind: 'timeout' } });
  });

  it('refuses bad input with the field and exit 2', async () => {
    const cases: [string[], string][] = [
      [['replay'], 'replay: say what to do'],
      [['replay', '--list', fresh.id], 'give one of'],
      [['replay', 'nope-nope', '--to', recorder.url], 'no captured delivery "nope-nope"'],
      [['replay', fresh.id, '--to', 'ftp://x'], '--to'],
      [['replay', fresh.id, '--to', recorder.url, '--set', 'amount'], '--set'],
      [['replay', fresh.id, '--to', recorder.url, '--set', 'fee=cheap'], 'not a number'],
      [['replay', fresh.id], '--to: is required'],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args, { env })));
    for (const [i, [args, message]] of cases.entries()) {
      const result = results[i]!;
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
    }
    expect(recorder.received).toHaveLength(0);
  });
});
