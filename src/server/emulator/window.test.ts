import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS, call, emulator, manualClock, signedHeaders } from '../../../test/helpers/emulator.js';
import type { RunningEmulator } from './index.js';

const NOW = 1_760_000_000_000;
const clock = manualClock(NOW);
let mock: RunningEmulator;

beforeAll(async () => {
  mock = await emulator({ clock, rateLimitPerMinute: 1000 });
});
afterAll(() => mock.close());

/** A signed payout/detail at request time t; 000202 means the window and signature both passed. */
async function detailAt(target: RunningEmulator, t: number, extra: Record<string, string> = {}): Promise<{ code: string; msg: string }> {
  const answer = await call(`${target.baseUrl}/order/api/v2/payout/detail?bizOrderNo=W1`, { headers: signedHeaders(`bizOrderNo=W1&time=${t}`, t, extra) });
  return answer.json;
}

describe('time window', () => {
  it('accepts a request exactly 30000 ms old and rejects one 30001 ms old', async () => {
    expect((await detailAt(mock, NOW - 30_000)).code).toBe('000202');
    const stale = await detailAt(mock, NOW - 30_001);
    expect(stale.code).toBe('000105');
    expect(stale.msg).toContain('30001 ms');
  });

  it('allows 1000 ms into the future and no more', async () => {
    expect((await detailAt(mock, NOW + 1_000)).code).toBe('000202');
    const ahead = await detailAt(mock, NOW + 1_001);
    expect(ahead.code).toBe('000105');
    expect(ahead.msg).toContain('ahead of the server clock');
  });

  it('honours BlockATM-Rec_Window up to its 60000 ms cap, and BlockATM-RECV_WINDOW', async () => {
    expect((await detailAt(mock, NOW - 60_000, { 'BlockATM-Rec_Window': '60000' })).code).toBe('000202');
    expect((await detailAt(mock, NOW - 60_001, { 'BlockATM-Rec_Window': '90000' })).code).toBe('000105');
    expect((await detailAt(mock, NOW - 5_000, { 'BlockATM-RECV_WINDOW': '5000' })).code).toBe('000202');
    expect((await detailAt(mock, NOW - 5_001, { 'BlockATM-RECV_WINDOW': '5000' })).code).toBe('000105');
    expect((await detailAt(mock, NOW, { 'BlockATM-Rec_Window': 'soon' })).code).toBe('000102');
  });

  it('rejects a time in seconds and a missing time', async () => {
    const seconds = Math.floor(NOW / 1000);
    expect((await detailAt(mock, seconds)).code).toBe('000105');
    const answer = await call(`${mock.baseUrl}/order/api/v2/payout/detail?bizOrderNo=W1`, { headers: { 'BlockATM-API-Key': CREDENTIALS.apiKey, 'BlockATM-Signature-V2': 'a'.repeat(64) } });
    expect(answer.json.code).toBe('000105');
    expect(answer.json.msg).toContain('BlockATM-Request-Time header is missing');
  });

  it('--strict-v1-window rejects any timestamp ahead of the clock', async () => {
    const strict = await emulator({ clock, strictV1Window: true });
    try {
      expect((await detailAt(strict, NOW)).code).toBe('000202');
      expect((await detailAt(strict, NOW + 1)).code).toBe('000105');
    } finally {
      await strict.close();
    }
  });

  it('a clock offset skews both the window and the Date header', async () => {
    const behind = await emulator({ clock, clockOffsetMs: -5_000 });
    const ahead = await emulator({ clock, clockOffsetMs: 20_000 });
    try {
      expect((await detailAt(behind, NOW)).code).toBe('000105');
      expect((await detailAt(ahead, NOW)).code).toBe('000202');
      expect((await detailAt(ahead, NOW - 10_001)).code).toBe('000105');
      const answer = await call(`${behind.baseUrl}/admin/api/v2/pub/allNetworks`);
      expect(answer.headers.get('date')).toBe(new Date(NOW - 5_000).toUTCString());
    } finally {
      await Promise.all([behind.close(), ahead.close()]);
    }
  });
});

describe('rate limit', () => {
  it('answers 429 past the limit, 418 when the client keeps going, and recovers after a minute', async () => {
    const limitClock = manualClock(NOW);
    const limited = await emulator({ clock: limitClock, rateLimitPerMinute: 3 });
    try {
      const hit = () => call(`${limited.baseUrl}/admin/api/v2/pub/cashier/info`, { headers: { 'BlockATM-API-Key': CREDENTIALS.apiKey } });
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 7; i++) {
        last = await hit();
        statuses.push(last.status);
        if (last.status === 429) {
          expect(last.json.code).toBe('000113');
          expect(last.headers.get('retry-after')).toBe('60');
        }
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429, 429, 418]);
      expect(last!.json.success).toBe(false);
      const other = await call(`${limited.baseUrl}/admin/api/v2/pub/allNetworks`);
      expect(other.status).toBe(200);
      limitClock.advance(60_000);
      expect((await hit()).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
