import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signApiRequest } from '../src/core/request-signing.js';
import { buildDelivery, samplePayment, serialisePayload } from '../src/core/webhook-payload.js';
import { compareServers, startCommand, type RequestFactory, type Target } from './servers.js';
import type { Figure } from './stats.js';

const WEBHOOK_KEY = 'bench-webhook-key-0123456789abcdef';
const API_KEY = 'bench-api-key-0123456789';
const SECRET_KEY = 'bench-secret-key-0123456789abcdef';

export interface ServerBenchOptions {
  seconds: number;
  connections: number;
  rounds: number;
}

/**
 * Genuine deliveries, signed ahead of time with a time inside the listener's 5-minute window
 * (a new batch per run), each with its own order number so none is an exact replay.
 */
function deliveries(count: number): RequestFactory {
  const now = Date.now();
  const batch = Array.from({ length: count }, (_, n) => {
    const delivery = buildDelivery({ event: 'Payment', body: serialisePayload(samplePayment(now, { orderNo: `ORDER_${n}` })), webhookKey: WEBHOOK_KEY, timeMs: now });
    return { method: 'POST' as const, path: '/webhook', headers: delivery.headers, body: delivery.body };
  });
  let next = 0;
  return () => batch[next++ % batch.length]!;
}

/** Verified webhooks per second through `cashier-check listen`, against a bare node:http server. */
export async function benchListener(options: ServerBenchOptions): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const capture of [false, true]) {
    const config = mkdtempSync(join(tmpdir(), 'cashier-check-bench-'));
    const env = { CASHIER_CHECK_CONFIG_DIR: config, CASHIER_CHECK_WEBHOOK_KEY: WEBHOOK_KEY };
    const args = ['listen', '--port', '0', '--json', ...(capture ? [] : ['--no-capture'])];
    try {
      const name = capture ? 'listen (saving captures)' : 'listen --no-capture';
      const start = (): Promise<Target> => startCommand('listen', args, env, (ready) => String(ready.url));
      figures.push(...(await compareServers({ suite: 'listener', name, start, make: deliveries(50_000), ...options, goal: 0.7 })));
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  }
  return figures;
}

/** Signed API calls per second through `cashier-check mock` (payout/detail), against bare node:http. */
export async function benchEmulator(options: ServerBenchOptions): Promise<Figure[]> {
  const config = mkdtempSync(join(tmpdir(), 'cashier-check-bench-'));
  const env = { CASHIER_CHECK_CONFIG_DIR: config, CASHIER_CHECK_API_KEY: API_KEY, CASHIER_CHECK_SECRET_KEY: SECRET_KEY, CASHIER_CHECK_WEBHOOK_KEY: WEBHOOK_KEY };
  let n = 0;
  // Signed as each request goes out: the emulator's window is 30 s, as BlockATM's is.
  const make: RequestFactory = () => {
    const query = `bizOrderNo=BENCH_${n++}`;
    const signed = signApiRequest({ apiKey: API_KEY, signer: { version: 'v2', secretKey: SECRET_KEY }, timeMs: Date.now(), query });
    if (!signed.ok) throw new Error(signed.error);
    return { method: 'GET', path: `/order/api/v2/payout/detail?${query}`, headers: signed.value.headers };
  };
  const start = (): Promise<Target> => startCommand('mock', ['mock', '--port', '0', '--json', '--rate-limit', '1000000'], env, (ready) => String(ready.baseUrl));
  try {
    return await compareServers({ suite: 'emulator', name: 'mock: signed payout/detail', start, make, ...options, goal: 0.5 });
  } finally {
    rmSync(config, { recursive: true, force: true });
  }
}
