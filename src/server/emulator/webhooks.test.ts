import { createPublicKey, verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CREDENTIALS, call, emulator, hmacHex, manualClock } from '../../../test/helpers/emulator.js';
import type { RunningEmulator } from './index.js';

interface Received {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver that answers each request with the next planned status (then 200). */
async function receiver(plan: number[] = []): Promise<{ url: string; received: Received[]; next(count: number): Promise<void>; close(): Promise<void> }> {
  const received: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = plan[received.length - 1] ?? 200;
      if (status === 0) return; // never answer
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status === 200 ? 'success' : `no thanks (${status})`);
      for (const waiter of [...waiters]) if (received.length >= waiter.count) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/blockatm`,
    received,
    next: (count) => (received.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(plan: number[], options: Parameters<typeof emulator>[0] = {}): Promise<{ mock: RunningEmulator; hooks: Awaited<ReturnType<typeof receiver>> }> {
  const hooks = await receiver(plan);
  const mock = await emulator({ webhookUrl: hooks.url, ...options });
  cleanups.push(() => hooks.close(), () => mock.close());
  return { mock, hooks };
}

describe('webhook delivery', () => {
  it('delivers a Payment webhook that an independent HMAC check verifies (sorted recipe)', async () => {
    const clock = manualClock(1_760_000_000_000);
    const { mock, hooks } = await setup([], { clock });
    const answer = await call(`${mock.baseUrl}/_mock/payments`, { method: 'POST', body: '{"orderNo":"ORD-W1","custNo":"C-1","amount":"25.00","status":"EXPIRED"}' });
    expect(answer.status).toBe(200);
    expect(answer.json.delivery).toMatchObject({ delivered: true, attempts: [{ attempt: 1, status: 200, responseExcerpt: 'success', errorKind: null }] });

    const [hit] = hooks.received;
    expect(hit!.method).toBe('POST');
    expect(hit!.headers['content-type']).toBe('application/json');
    expect(hit!.headers['blockatm-event']).toBe('Payment');
    expect(hit!.headers['blockatm-request-time']).toBe('1760000000000');
    const payload = JSON.parse(hit!.body);
    expect(hit!.body).toBe(JSON.stringify(payload));
    const expected = `amount=25.00&blockTime=0&cashierId=86100021&chainId=11155111&custNo=C-1&fromAddress=&id=${payload.id}&network=Ethereum&orderNo=ORD-W1&orderType=1&status=EXPIRED&symbol=USDT&txId=&time=1760000000000`;
    expect(hit!.headers['blockatm-signature-v2']).toBe(hmacHex(CREDENTIALS.webhookKey, expected));
  });

  it('signs the raw body with --recipe raw and sends integer statuses with --int-status', async () => {
    const { mock, hooks } = await setup([], { recipe: 'raw', intStatus: true });
    await mock.createPayment({ orderNo: 'ORD-W2', status: 'SUCCESS' });
    const [hit] = hooks.received;
    expect(JSON.parse(hit!.body).status).toBe(9);
    const time = hit!.headers['blockatm-request-time'] as string;
    expect(hit!.headers['blockatm-signature-v2']).toBe(hmacHex(CREDENTIALS.webhookKey, `${hit!.body}&time=${time}`));
  });

  it('delivers a Payout webhook for a payout settled through the control API', async () => {
    const { mock, hooks } = await setup([]);
    const answer = await call(`${mock.baseUrl}/_mock/payouts`, { method: 'POST', body: '{"bizOrderNo":"PO-1","status":"REFUSE","amount":"10.5"}' });
    expect(answer.json.order).toMatchObject({ bizOrderNo: 'PO-1', status: 'REFUSE' });
    const [hit] = hooks.received;
    expect(hit!.headers['blockatm-event']).toBe('Payout');
    const p = JSON.parse(hit!.body);
    const time = hit!.headers['blockatm-request-time'] as string;
    const expected = `amount=10.5&bizOrderNo=PO-1&blockTime=0&chainId=11155111&contractId=200910&createTime=${p.createTime}&custNo=CUST_0001&fee=1&gasAmount=0.35&id=${p.id}&network=Ethereum&status=REFUSE&symbol=USDT&toAddress=${p.toAddress}&txId=&type=1&time=${time}`;
    expect(hit!.headers['blockatm-signature-v2']).toBe(hmacHex(CREDENTIALS.webhookKey, expected));
  });

  it('retries until HTTP 200, re-signing every attempt with a fresh time', async () => {
    const { mock, hooks } = await setup([500, 503], { retrySchedule: [1000, 1000, 1000], retrySpeedup: 50 });
    const first = await mock.createPayment({ orderNo: 'ORD-R1' });
    expect(first.delivery).toMatchObject({ delivered: false, attempts: [{ attempt: 1, status: 500, nextRetryInMs: 20 }] });
    await hooks.next(3);
    const times = hooks.received.map((hit) => Number(hit.headers['blockatm-request-time']));
    expect(times[1]!).toBeGreaterThan(times[0]!);
    expect(times[2]!).toBeGreaterThan(times[1]!);
    for (const hit of hooks.received) {
      const p = JSON.parse(hit.body);
      const expected = `amount=2000.00&blockTime=${p.blockTime}&cashierId=86100021&chainId=11155111&custNo=CUST_0001&fromAddress=${p.fromAddress}&id=${p.id}&network=Ethereum&orderNo=ORD-R1&orderType=1&status=SUCCESS&symbol=USDT&txId=${p.txId}&time=${hit.headers['blockatm-request-time']}`;
      expect(hit.headers['blockatm-signature-v2']).toBe(hmacHex(CREDENTIALS.webhookKey, expected));
      expect(hit.body).toBe(hooks.received[0]!.body);
    }
    const listed = await call(`${mock.baseUrl}/_mock/deliveries`);
    const attempts = listed.json.deliveries.map((d: { attempt: number; status: number; delivered: boolean; nextRetryInMs: number | null }) => [d.attempt, d.status, d.delivered, d.nextRetryInMs]);
    expect(attempts).toEqual([[1, 500, false, 20], [2, 503, false, 20], [3, 200, true, null]]);
    expect(listed.json.deliveries[0].responseExcerpt).toBe('no thanks (500)');
    const narrowed = await call(`${mock.baseUrl}/_mock/deliveries?deliveryId=${first.delivery!.deliveryId}`);
    expect(narrowed.json.deliveries).toHaveLength(3);
    expect((await call(`${mock.baseUrl}/_mock/deliveries?orderNo=OTHER`)).json.deliveries).toEqual([]);
  });

  it('counts only 200 as delivered and gives up when the schedule runs out', async () => {
    const { mock, hooks } = await setup([201, 204], { retrySchedule: [5] });
    await mock.createPayment({ orderNo: 'ORD-G1' });
    await hooks.next(2);
    await expect.poll(() => mock.deliveries().length).toBe(2);
    expect(mock.deliveries().map((d) => [d.status, d.delivered, d.nextRetryInMs])).toEqual([[201, false, 5], [204, false, null]]);
  });

  it('records a refused connection and a timeout as error kinds', async () => {
    const closed = await receiver();
    await closed.close();
    const mock = await emulator({ webhookUrl: closed.url, retrySchedule: [] });
    cleanups.push(() => mock.close());
    const refused = await mock.createPayment({ orderNo: 'ORD-E1' });
    expect(refused.delivery!.attempts[0]).toMatchObject({ status: null, delivered: false, errorKind: 'refused', nextRetryInMs: null });

    const { mock: slow } = await setup([0], { retrySchedule: [], deliveryTimeoutMs: 200 });
    const timedOut = await slow.createPayment({ orderNo: 'ORD-E2' });
    expect(timedOut.delivery!.attempts[0]).toMatchObject({ status: null, errorKind: 'timeout' });
  });

  it('stops retry timers on close', async () => {
    const { mock, hooks } = await setup([500], { retrySchedule: [100] });
    await mock.createPayment({ orderNo: 'ORD-C1' });
    await mock.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(hooks.received).toHaveLength(1);
  });

  it('signs V1 webhooks with ECDSA that BlockATM\'s published public key verifies', async () => {
    const { mock, hooks } = await setup([], { v1: {
      merchantPublicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEaB9M2IdxbRyZWEMgwSBstzeBG79w6LBDE1n/n9KQLuVSew3slRt5K2H7kwqCbpzOsuDRY4kMe8ybuaoBKy4RbA==',
      webhookPrivateKey: 'MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCAaXAqWZaVeWG4zQWjAT+RqFUwMKfLIAOQQqi6a3JObrg==',
    } });
    await mock.createPayment({ orderNo: 'ORD-V1', status: 'CANCELLED' });
    const [hit] = hooks.received;
    const p = JSON.parse(hit!.body);
    const time = hit!.headers['blockatm-request-time'] as string;
    const message = `amount=2000.00&blockTime=0&cashierId=86100021&chainId=11155111&custNo=CUST_0001&fromAddress=&id=${p.id}&network=Ethereum&orderNo=ORD-V1&orderType=1&status=CANCELLED&symbol=USDT&txId=&time=${time}`;
    const publicKey = createPublicKey({ key: Buffer.from('MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEsjqDDEF5uuVoAFCxftskpMszLQMro888rFlrowcTzVibc4J2PgDywFZYXc6x21yHcenJ2bCZ/03XkMrbKqqEwA==', 'base64'), format: 'der', type: 'spki' });
    const signature = Buffer.from(hit!.headers['blockatm-signature-v1'] as string, 'base64');
    expect(verify('sha256', Buffer.from(message), { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
    expect(hit!.headers['blockatm-signature-v2']).toBeUndefined();
  });
});

describe('control API', () => {
  it('moves an existing order to a new status and keeps the store consistent', async () => {
    const { mock } = await setup([]);
    await mock.createPayment({ orderNo: 'ORD-S1', status: 'WAITING_PAYMENT' });
    const paid = await mock.createPayment({ orderNo: 'ORD-S1', status: 'SUCCESS' });
    expect(paid.order.status).toBe('SUCCESS');
    expect(paid.order.txId).toMatch(/^0x[0-9a-f]{64}$/);
    expect(mock.store.payments.size).toBe(1);
    const orders = await call(`${mock.baseUrl}/_mock/orders`);
    expect(orders.json.payments).toMatchObject([{ orderNo: 'ORD-S1', status: 'SUCCESS' }]);
    expect((await call(`${mock.baseUrl}/_mock/health`)).json).toEqual({ ok: true });
  });

  it('says why nothing was delivered when no Webhook URL is set', async () => {
    const mock = await emulator({});
    cleanups.push(() => mock.close());
    for (const path of ['/_mock/payments', '/_mock/payouts']) {
      const answer = await call(`${mock.baseUrl}${path}`, { method: 'POST', body: '{}' });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ delivery: null, note: 'no Webhook URL is set, so no webhook was sent: start mock with --webhook-url <url>, or add "webhookUrl" to this request' });
    }
  });

  it('names the field of a bad control request', async () => {
    const { mock } = await setup([]);
    const badStatus = await call(`${mock.baseUrl}/_mock/payments`, { method: 'POST', body: '{"status":"PAID"}' });
    expect(badStatus.status).toBe(400);
    expect(badStatus.json.error.field).toBe('status');
    const unknown = await call(`${mock.baseUrl}/_mock/payments`, { method: 'POST', body: '{"ammount":"1"}' });
    expect(unknown.json.error).toMatchObject({ field: 'ammount' });
    const garbage = await call(`${mock.baseUrl}/_mock/payments`, { method: 'POST', body: 'status=SUCCESS' });
    expect(garbage.status).toBe(400);
    expect(mock.store.payments.size).toBe(0);
  });
});
