import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signApiRequest } from '../src/core/request-signing.js';
import { buildDelivery, samplePayment, serialisePayload } from '../src/core/webhook-payload.js';
import { compareServers, readyJson, startCommand, type RequestFactory, type Target } from './servers.js';
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
 * Requests signed ahead of time, so the load generator does no signing: a batch is built with
 * the current time and rebuilt once it is `maxAgeMs` old, staying inside the server's window.
 */
function presigned(count: number, maxAgeMs: number, build: (n: number, nowMs: number) => ReturnType<RequestFactory>): RequestFactory {
  let batch: ReturnType<RequestFactory>[] = [];
  let builtAt = 0;
  let next = 0;
  return () => {
    if (Date.now() - builtAt > maxAgeMs) {
      builtAt = Date.now();
      batch = Array.from({ length: count }, (_, n) => build(n + next, builtAt));
    }
    return batch[next++ % batch.length]!;
  };
}

/** Genuine deliveries inside the listener's 5-minute window, each its own order (no replays). */
function deliveries(): RequestFactory {
  return presigned(50_000, 60_000, (n, nowMs) => {
    const delivery = buildDelivery({ event: 'Payment', body: serialisePayload(samplePayment(nowMs, { orderNo: `ORDER_${n}` })), webhookKey: WEBHOOK_KEY, timeMs: nowMs });
    return { method: 'POST', path: '/webhook', headers: delivery.headers, body: delivery.body };
  });
}

function expectAnswer(status: number, good: (text: string) => boolean): (url: string, request: ReturnType<RequestFactory>) => Promise<void> {
  return async (url, request) => {
    const response = await fetch(new URL(request.path, url), { method: request.method, headers: request.headers, body: request.body });
    const text = await response.text();
    if (response.status !== status || !good(text)) throw new Error(`the bench request was not accepted: ${response.status} ${text.slice(0, 300)}`);
  };
}

/**
 * Verified webhooks per second through `cashier-check listen`, against a bare node:http server:
 * as it runs by default (a line per delivery, captures saved), printing NDJSON (--json), and
 * each of those without captures (--no-capture).
 */
export async function benchListener(options: ServerBenchOptions): Promise<Figure[]> {
  // Without --json the URL comes in the first line: "Listening for BlockATM webhooks on http://…".
  const humanReady = (line: string): string | undefined => /^Listening .* on (http:\/\/\S+)$/.exec(line)?.[1];
  const runs = [
    { name: 'listen --no-capture', args: ['--no-capture'], ready: humanReady },
    { name: 'listen --no-capture --json', args: ['--no-capture', '--json'], ready: readyJson('url') },
    { name: 'listen (a line per delivery, saving captures)', args: [], ready: humanReady },
    { name: 'listen --json (saving captures)', args: ['--json'], ready: readyJson('url') },
  ];
  const figures: Figure[] = [];
  for (const run of runs) {
    const config = mkdtempSync(join(tmpdir(), 'cashier-check-bench-'));
    const env = { CASHIER_CHECK_CONFIG_DIR: config, CASHIER_CHECK_WEBHOOK_KEY: WEBHOOK_KEY };
    try {
      const start = (): Promise<Target> => startCommand('listen', ['listen', '--port', '0', ...run.args], env, run.ready);
      figures.push(...(await compareServers({ suite: 'listener', name: run.name, start, make: deliveries(), ...options, goal: 0.7, check: expectAnswer(200, (text) => text === 'success') })));
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
  // The emulator's window is 30 s, as BlockATM's is: batches are rebuilt every 10 s.
  const make = presigned(10_000, 10_000, (n, nowMs) => {
    const query = `bizOrderNo=BENCH_${n}`;
    const signed = signApiRequest({ apiKey: API_KEY, signer: { version: 'v2', secretKey: SECRET_KEY }, timeMs: nowMs, query });
    if (!signed.ok) throw new Error(signed.error);
    return { method: 'GET', path: `/order/api/v2/payout/detail?${query}`, headers: signed.value.headers };
  });
  const start = (): Promise<Target> => startCommand('mock', ['mock', '--port', '0', '--json', '--rate-limit', '1000000'], env, readyJson('baseUrl'));
  try {
    // 000202 "not found" is the answer to a correctly signed call for an unknown order.
    const check = expectAnswer(200, (text) => (JSON.parse(text) as { code?: string }).code === '000202');
    return await compareServers({ suite: 'emulator', name: 'mock: signed payout/detail', start, make, ...options, goal: 0.5, check });
  } finally {
    rmSync(config, { recursive: true, force: true });
  }
}
