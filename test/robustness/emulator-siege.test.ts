import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/server/emulator/index.js';
import { CREDENTIALS, emulator, signedHeaders } from '../helpers/emulator.js';
import { siege, type Outcome } from '../helpers/hostile.js';
import { expectSurvivedSiege } from '../helpers/siege-expect.js';
import { heapAfterGc, unhandledRejections } from '../helpers/memory.js';

const PATH = '/order/api/v2/payout/order';
let mock: RunningEmulator;
const logged: string[] = [];

beforeAll(async () => {
  // A rate limit far above the siege, so hostile requests reach the signature and body checks.
  mock = await emulator({ rateLimitPerMinute: 1_000_000, log: (line) => logged.length < 100_000 && logged.push(line) });
});
afterAll(() => mock?.close());

/** BlockATM answers refusals with an error envelope; only `success: true` accepts a request. */
function acceptedByEmulator(outcome: Outcome): boolean {
  if (typeof outcome.answer !== 'number' || outcome.answer >= 400) return false;
  try {
    return (JSON.parse(outcome.body) as { success?: unknown }).success === true;
  } catch {
    return false;
  }
}

async function genuineCall(): Promise<boolean> {
  const time = Date.now();
  const query = `bizOrderNo=SIEGE_${time}`;
  const response = await fetch(`${mock.baseUrl}/order/api/v2/payout/detail?${query}`, { headers: signedHeaders(`${query}&time=${time}`, time) });
  const answer = (await response.json()) as { code?: string };
  // 000202 "not found": the signature and window checks passed, and the lookup ran.
  return response.status === 200 && answer.code === '000202';
}

describe('the emulator under hostile traffic', () => {
  it('refuses every hostile request without a 5xx, and still serves signed calls', async () => {
    const time = Date.now();
    const report = await siege({
      port: Number(new URL(mock.baseUrl).port),
      path: PATH,
      signedHeaders: Object.entries(signedHeaders(`amount=1.00&bizOrderNo=SIEGE_1&symbol=USDT&time=${time}`, time)),
      count: 2000,
      heapAfterGc,
      watchRejections: unhandledRejections,
      accepted: acceptedByEmulator,
      genuine: genuineCall,
    });
    expectSurvivedSiege(report, 2000);
    expect(report.kinds['oversized body']).toEqual(['413']);
    expect(logged.some((line) => line.includes('internal error'))).toBe(false);
    expect(logged.join('\n')).not.toContain(CREDENTIALS.secretKey);
  });
});
