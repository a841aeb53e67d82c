import { randomBytes } from 'node:crypto';
import type { Clock } from '../../context.js';
import type { EventKind } from '../../core/status.js';
import { formatDuration } from '../../core/time.js';
import type { HttpClient } from '../../http/client.js';
import type { DeliveryAttempt, DeliveryOutcome } from './types.js';

/** Headers that sign one attempt of a body at a given time. */
export type WebhookSigner = (event: EventKind, body: string, timeMs: number) => Record<string, string>;

export interface DelivererOptions {
  client: HttpClient;
  clock: Clock;
  sign: WebhookSigner;
  /** Delays before attempt 2, 3, … in ms. */
  schedule: number[];
  speedup: number;
  timeoutMs: number;
  log: (line: string) => void;
  maxRecorded?: number;
}

export interface Deliverer {
  /** Sends the first attempt and resolves with it; later attempts run on the schedule. */
  deliver(event: EventKind, orderNo: string, body: string, url: string): Promise<DeliveryOutcome>;
  attempts(): DeliveryAttempt[];
  /** Stops retry timers and waits for attempts in flight (aborting them after graceMs). */
  close(graceMs?: number): Promise<void>;
}

/**
 * BlockATM's webhook delivery (D10): POST the compact body, count only HTTP 200 as delivered,
 * otherwise retry on the schedule, re-signing every attempt with a fresh time.
 */
export function createDeliverer(options: DelivererOptions): Deliverer {
  const recorded: DeliveryAttempt[] = [];
  const maxRecorded = options.maxRecorded ?? 1000;
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<DeliveryAttempt>>();
  const abort = new AbortController();
  let closed = false;

  const attempt = async (deliveryId: string, event: EventKind, orderNo: string, body: string, url: string, number: number): Promise<DeliveryAttempt> => {
    const timeMs = options.clock.now();
    const headers = options.sign(event, body, timeMs);
    const outcome = await options.client.send({ method: 'POST', url, headers, body, timeoutMs: options.timeoutMs, maxBodyBytes: 4096, signal: abort.signal });
    const delay = options.schedule[number - 1];
    const delivered = outcome.ok && outcome.response.status === 200;
    const nextRetryInMs = !delivered && delay !== undefined && !closed ? Math.round(delay / options.speedup) : null;
    const record: DeliveryAttempt = {
      deliveryId, attempt: number, event, orderNo, url,
      requestTime: String(timeMs),
      sentAt: new Date(timeMs).toISOString(),
      status: outcome.ok ? outcome.response.status : null,
      delivered,
      latencyMs: outcome.ok ? outcome.response.latencyMs : outcome.latencyMs,
      responseExcerpt: outcome.ok ? excerpt(outcome.response.body) : '',
      errorKind: outcome.ok ? null : outcome.failure.kind,
      error: outcome.ok ? (delivered ? null : `HTTP ${outcome.response.status}: only 200 counts as delivered`) : outcome.failure.message,
      nextRetryInMs,
    };
    recorded.push(record);
    if (recorded.length > maxRecorded) recorded.splice(0, recorded.length - maxRecorded);
    options.log(describeAttempt(record));
    if (nextRetryInMs !== null) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!closed) track(attempt(deliveryId, event, orderNo, body, url, number + 1));
      }, nextRetryInMs);
      timer.unref();
      timers.add(timer);
    }
    return record;
  };

  const track = (promise: Promise<DeliveryAttempt>): Promise<DeliveryAttempt> => {
    inFlight.add(promise);
    // A retry has no caller to report to: its failure is logged, never left unhandled.
    promise.then(() => inFlight.delete(promise), (error: unknown) => {
      inFlight.delete(promise);
      options.log(`webhook attempt failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    return promise;
  };

  return {
    async deliver(event, orderNo, body, url) {
      const deliveryId = `dlv_${randomBytes(6).toString('hex')}`;
      const first = await track(attempt(deliveryId, event, orderNo, body, url, 1));
      return { deliveryId, url, delivered: first.delivered, attempts: [first] };
    },
    attempts: () => recorded.map((record) => ({ ...record })),
    async close(graceMs = 2_000) {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const grace = setTimeout(() => abort.abort(), graceMs);
      await Promise.allSettled([...inFlight]);
      clearTimeout(grace);
    },
  };
}

/** The start of a response body, printable and short. */
function excerpt(body: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const text = body.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Origin and path only: a URL's query may carry a merchant's token. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`;
  } catch {
    return '(invalid URL)';
  }
}

function describeAttempt(record: DeliveryAttempt): string {
  const answer = record.status !== null ? `HTTP ${record.status}` : `${record.errorKind}: ${record.error}`;
  const next = record.delivered ? 'delivered' : record.nextRetryInMs !== null ? `retry in ${formatDuration(record.nextRetryInMs)}` : 'giving up';
  return `webhook ${record.event} ${record.orderNo} -> ${safeUrl(record.url)}  ${answer}  ${record.latencyMs} ms  attempt ${record.attempt}, ${next}`;
}
