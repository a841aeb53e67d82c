import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS, call, emulator, manualClock, signedHeaders } from '../../../test/helpers/emulator.js';
import type { RunningEmulator } from './index.js';

const clock = manualClock(1_760_000_000_000);
let mock: RunningEmulator;
let port: number;
const lines: string[] = [];

beforeAll(async () => {
  mock = await emulator({ clock, rateLimitPerMinute: 100_000, timeouts: { headersTimeoutMs: 400, requestTimeoutMs: 800 }, log: (line) => lines.push(line) });
  port = Number(new URL(mock.baseUrl).port);
});
afterAll(() => mock.close());

/** Writes raw bytes and resolves with everything the server sent back before closing. */
function raw(payload: string | Buffer, options: { end?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(answer));
    socket.write(payload);
    if (options.end !== false) socket.end();
  });
}

async function stillServing(): Promise<void> {
  const answer = await call(`${mock.baseUrl}/admin/api/v2/pub/allNetworks`);
  expect(answer.json.code).toBe('200');
}

describe('hostile requests', () => {
  it('answers garbage bytes with 400 and keeps serving', async () => {
    expect(await raw('\x00\x01\x02GARBAGE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw('GET /admin/api/v2/pub/allNetworks HTTP/9.9\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 (400|505)/);
    await stillServing();
  });

  it('caps bodies at 1 MiB with a 413 envelope, declared or streamed', async () => {
    const declared = await raw(`POST /order/api/v2/payout/order HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n{"a":`);
    expect(declared).toMatch(/^HTTP\/1\.1 413/);
    expect(declared).toContain('"success":false');
    const chunk = 'x'.repeat(64 * 1024);
    const chunks = Array.from({ length: 18 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
    const streamed = await raw(`POST /order/api/v2/payout/order HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}`);
    expect(streamed).toMatch(/^HTTP\/1\.1 413/);
    await stillServing();
  });

  it('refuses invalid UTF-8, duplicate keys and non-object JSON with 400 000102', async () => {
    const t = clock.now();
    const empty = await call(`${mock.baseUrl}/order/api/v2/payout/order`, { method: 'POST', body: undefined, headers: signedHeaders(`time=${t}`, t) });
    expect(empty.json.code).toBe('000104');
    const bytes = await raw(Buffer.concat([Buffer.from('POST /order/api/v2/payout/order HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 8\r\nConnection: close\r\n\r\n'), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])]));
    expect(bytes).toMatch(/^HTTP\/1\.1 400/);
    expect(bytes).toContain('not valid UTF-8');
    const duplicate = await call(`${mock.baseUrl}/order/api/v2/payout/order`, { method: 'POST', body: '{"amount":"1","amount":"2"}', headers: signedHeaders(`amount=1&time=${t}`, t) });
    expect(duplicate.status).toBe(400);
    expect(duplicate.json).toMatchObject({ code: '000102' });
    expect(duplicate.json.msg).toMatch(/duplicate key/i);
    const array = await call(`${mock.baseUrl}/order/api/v2/payout/order`, { method: 'POST', body: '[1,2]', headers: signedHeaders(`time=${t}`, t) });
    expect(array.json.code).toBe('000102');
  });

  it('treats __proto__ as an ordinary key', async () => {
    const t = clock.now();
    const body = '{"__proto__":{"polluted":"yes"},"amount":"1"}';
    await call(`${mock.baseUrl}/order/api/v2/payout/order`, { method: 'POST', body, headers: signedHeaders(`polluted=yes&amount=1&time=${t}`, t) });
    await call(`${mock.baseUrl}/_mock/payments`, { method: 'POST', body: '{"__proto__":{"status":"SUCCESS"}}' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).status).toBeUndefined();
    await stillServing();
  });

  it('survives header floods and very long URLs', async () => {
    const flood = await raw(`GET /admin/api/v2/pub/allNetworks HTTP/1.1\r\nHost: x\r\nX-Flood: ${'a'.repeat(32 * 1024)}\r\n\r\n`);
    expect(flood).toMatch(/^HTTP\/1\.1 4\d\d/);
    const long = await call(`${mock.baseUrl}/${'p'.repeat(8000)}?${'q=1&'.repeat(500)}`);
    expect(long.status).toBe(404);
    expect(long.json.msg.length).toBeLessThan(300);
    await stillServing();
  });

  it('cuts a client that sends its headers too slowly, and serves others meanwhile', async () => {
    const started = Date.now();
    const slow = raw('GET /admin/api/v2/pub/allNetworks HTTP/1.1\r\nHost: x\r\n', { end: false });
    await stillServing();
    await slow;
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('keeps serving when a client hangs up mid-body', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('POST /order/api/v2/payout/order HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"amount":');
        socket.destroy();
        resolve();
      });
    });
    await stillServing();
  });

  it('answers any query, body and path with a non-5xx status (property)', async () => {
    const paths = ['/admin/api/v2/pub/allNetworks', '/admin/api/v2/pub/symbolList', '/admin/api/v2/pub/cashier/info', '/order/api/v2/payorder/list', '/order/api/v2/payorder/detail', '/order/api/v2/payout/order', '/order/api/v2/payout/detail', '/_mock/payments', '/_mock/payouts', '/nope'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.constantFrom('GET', 'POST', 'PUT'), fc.string({ maxLength: 40 }), fc.string({ maxLength: 200 }), async (path, method, query, body) => {
        const t = clock.now();
        const headers = { ...signedHeaders(`time=${t}`, t), 'Content-Type': 'application/json' };
        const answer = await call(`${mock.baseUrl}${path}?${encodeURIComponent(query)}`, { method, headers, body: method === 'GET' ? undefined : body });
        expect(answer.status).toBeLessThan(500);
        expect(answer.json).toBeTypeOf('object');
      }),
      { numRuns: 60 },
    );
    await stillServing();
  });

  it('never writes a secret to its log, even one sent in a query string', async () => {
    await call(`${mock.baseUrl}/admin/api/v2/pub/symbolList?apiKey=${CREDENTIALS.apiKey}&s=${encodeURIComponent(CREDENTIALS.secretKey)}`);
    expect(lines.some((line) => line.includes('symbolList?apiKey=pk_t'))).toBe(true);
    expect(lines.length).toBeGreaterThan(10);
    const all = lines.join('\n');
    for (const secret of [CREDENTIALS.apiKey, CREDENTIALS.secretKey, CREDENTIALS.webhookKey]) expect(all).not.toContain(secret);
  });
});
