import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryReport } from '../core/listen.js';
import { hmacVector } from '../../test/helpers/vectors.js';
import { payment, post, signedDelivery } from '../../test/helpers/webhook-client.js';
import { listCaptures } from '../config/capture-store.js';
import { tempConfigDir } from '../../test/helpers/cli.js';
import { startListener, type RunningListener } from './listener.js';

const running: RunningListener[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((listener) => listener.close()));
});

async function start(options: Partial<Parameters<typeof startListener>[0]> & { webhookKey: string }): Promise<RunningListener & { next: () => Promise<DeliveryReport> }> {
  const waiting: ((report: DeliveryReport) => void)[] = [];
  const queued: DeliveryReport[] = [];
  const listener = await startListener({
    host: '127.0.0.1', port: 0, ...options,
    onDelivery: (report) => {
      const waiter = waiting.shift();
      if (waiter) waiter(report);
      else queued.push(report);
    },
  });
  running.push(listener);
  return { ...listener, next: () => (queued.length ? Promise.resolve(queued.shift()!) : new Promise((resolve) => waiting.push(resolve))) };
}

describe('startListener', () => {
  it('accepts the published webhook vectors in both recipes at their own time', async () => {
    const sorted = hmacVector('V-WH-1');
    const raw = hmacVector('V-WH-1-raw');
    const listener = await start({ webhookKey: sorted.key, clock: { now: () => Number(sorted.time) + 2_000 } });
    for (const vector of [sorted, raw]) {
      const answer = await post(listener.url, vector.body!, { 'Content-Type': 'application/json', 'BlockATM-Signature-V2': vector.signature, 'BlockATM-Request-Time': vector.time!, 'BlockATM-Event': vector.event! });
      expect(answer).toEqual({ status: 200, body: 'success' });
    }
    const reports = listener.reports();
    expect(reports.map((r) => r.verdict.recipe)).toEqual(['sorted', 'raw']);
    expect(reports[0]!.verdict).toMatchObject({ event: 'Payment', status: 'SUCCESS', statusRaw: '9', ageMs: 2_000 });
    expect(reports[0]!.verdict.warnings).toContain('amount is a JSON number; BlockATM sends decimal strings');
  });

  it('saves captures up to its budget, then reports deliveries it did not save, until time refills it', async () => {
    const config = tempConfigDir();
    try {
      let nowMs = Date.now();
      const key = 'whk_key_12345678';
      const notices: string[] = [];
      const listener = await start({ webhookKey: key, captureDir: config.dir, captureBudget: { burst: 2, perSecond: 2 }, clock: { now: () => nowMs }, onNotice: (text) => notices.push(text) });
      const deliver = async (orderNo: string): Promise<DeliveryReport> => {
        const delivery = signedDelivery(payment(orderNo), { key, timeMs: nowMs });
        expect((await post(listener.url, delivery.body, delivery.headers)).status).toBe(200);
        return listener.next();
      };
      const burst = [await deliver('B_1'), await deliver('B_2'), await deliver('B_3')];
      expect(burst.map((report) => report.captureId !== null)).toEqual([true, true, false]);
      // One line for the person running it, not a warning on every report of a flood.
      expect(burst[2]!.verdict).toMatchObject({ verified: true, warnings: [] });
      expect(notices).toEqual(['deliveries are arriving faster than they are saved: a burst of 2 is saved, then 2 a second (the folder holds the newest 1000); the others are answered and reported without a captureId (1 so far)']);
      nowMs += 500; // two a second: one more after half a second
      const later = await deliver('L_1');
      expect(later.captureId).toBe(later.id);
      expect(later.verdict.warnings).toEqual([]);
      // Within 10 s of the first notice, another delivery past the budget adds no line.
      expect((await deliver('L_2')).captureId).toBeNull();
      expect(notices).toHaveLength(1);
      nowMs += 10_000;
      const refilled = [await deliver('M_1'), await deliver('M_2')];
      expect(notices).toHaveLength(1);
      expect((await deliver('M_3')).captureId).toBeNull();
      expect(notices[1]).toMatch(/\(3 so far\)$/);
      expect(listener.tally()).toEqual({ received: 8, passed: 8, unsaved: 3 });
      const saved = [...burst.slice(0, 2), later, ...refilled].map((report) => report.id);
      expect(listCaptures(config.dir).map((capture) => capture.id).sort()).toEqual(saved.sort());
    } finally {
      config.cleanup();
    }
  });

  it('forces one recipe with recipe: sorted', async () => {
    const listener = await start({ webhookKey: 'whk_key_12345678', recipe: 'sorted' });
    const delivery = signedDelivery(payment('R_1'), { key: 'whk_key_12345678', timeMs: Date.now(), recipe: 'raw' });
    expect((await post(listener.url, delivery.body, delivery.headers)).status).toBe(401);
    expect((await listener.next()).verdict.reason).toBe('signature mismatch: no recipe matched (tried sorted)');
  });

  it('honours a custom tolerance and path', async () => {
    const listener = await start({ webhookKey: 'whk_key_12345678', toleranceMs: 1_000, path: 'hooks/blockatm/' });
    expect(listener.url).toMatch(/\/hooks\/blockatm$/);
    const delivery = signedDelivery(payment('TOL_1'), { key: 'whk_key_12345678', timeMs: Date.now() - 5_000 });
    expect((await post(listener.url, delivery.body, delivery.headers)).status).toBe(401);
    expect((await listener.next()).verdict.reason).toMatch(/stale: 5(\.\d)? s old, beyond the 1 s window/);
  });

  it('warns about an exact replay and a wrong content type, and still answers 200', async () => {
    const listener = await start({ webhookKey: 'whk_key_12345678' });
    const delivery = signedDelivery(payment('REPLAY_1'), { key: 'whk_key_12345678', timeMs: Date.now() });
    expect((await post(listener.url, delivery.body, delivery.headers)).status).toBe(200);
    expect((await post(listener.url, delivery.body, { ...delivery.headers, 'Content-Type': 'text/plain' })).status).toBe(200);
    const first = await listener.next();
    const second = await listener.next();
    expect(first.verdict.warnings).toEqual([]);
    expect(second.verdict.warnings).toEqual([
      'Content-Type is "text/plain"; BlockATM sends application/json',
      `an exact replay of delivery ${first.id} (same body and time): process each event once`,
    ]);
  });

  it('cuts a slow client without holding up other deliveries', async () => {
    const listener = await start({ webhookKey: 'whk_key_12345678', limits: { requestTimeoutMs: 600, headersTimeoutMs: 400 } });
    const { port } = new URL(listener.url);
    const slow = connect(Number(port), '127.0.0.1');
    const slowClosed = new Promise<string>((resolve) => {
      let answer = '';
      slow.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
      slow.on('close', () => resolve(answer));
      slow.on('error', () => undefined);
    });
    slow.write('POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"amount":');
    const delivery = signedDelivery(payment('FAST_1'), { key: 'whk_key_12345678', timeMs: Date.now() });
    expect((await post(listener.url, delivery.body, delivery.headers)).status).toBe(200);
    const reports = [await listener.next(), await listener.next()];
    expect(reports.filter((r) => r.verdict.verified)).toHaveLength(1);
    expect(reports.find((r) => !r.verdict.verified)!.verdict).toMatchObject({ httpStatus: 408, reason: expect.stringMatching(/too slow/) });
    expect(await slowClosed).toMatch(/^HTTP\/1\.1 (400|408)|^$/);
  });

  it('answers 502 and reports the failure kind when the app to forward to is down', async () => {
    const down = await startListener({ host: '127.0.0.1', port: 0, webhookKey: 'x' });
    const downUrl = down.url;
    await down.close();
    const listener = await start({ webhookKey: 'whk_key_12345678', forwardTo: downUrl });
    const delivery = signedDelivery(payment('FWD_DOWN'), { key: 'whk_key_12345678', timeMs: Date.now() });
    expect((await post(listener.url, delivery.body, delivery.headers)).status).toBe(502);
    const report = await listener.next();
    expect(report).toMatchObject({ answered: 502, forward: { status: null, error: { kind: 'refused' } } });
    expect(report.verdict.verified).toBe(true);
  });
});
