import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { captureBody, captureHeaders, type CapturedDelivery } from '../core/capture.js';
import { rejectedVerdict, verifyDelivery, type DeliveryVerdict } from '../core/delivery.js';
import type { DeliveryReport, ForwardResult } from '../core/listen.js';
import type { Recipe } from '../core/webhook-signature.js';
import { newCaptureId, saveCapture } from '../config/capture-store.js';
import { systemClock, type Clock } from '../context.js';
import type { HttpClient } from '../http/client.js';
import { createForwardClient, forwardDelivery } from './forward.js';
import { headerValues, readRequestBody, sendText, sendTooLarge, startServer, type ServerLimits } from './http-server.js';

export interface ListenerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Where deliveries are expected (default /webhook); other paths get 404. */
  path?: string;
  webhookKey: string;
  /** Accepted |now − t| in ms (default 300000, D6). */
  toleranceMs?: number;
  recipe?: Recipe | 'auto';
  /** Relay every delivery to this URL and answer with the app's status and body. */
  forwardTo?: string;
  forwardTimeoutMs?: number;
  /** Save each delivery here (src/config/capture-store.ts); nothing is saved without it. */
  captureDir?: string;
  clock?: Clock;
  maxBodyBytes?: number;
  limits?: Partial<ServerLimits>;
  /** Environment for the relay's proxy settings (HTTPS_PROXY, NO_PROXY). */
  env?: Record<string, string | undefined>;
  onDelivery?: (report: DeliveryReport) => void;
}

export interface RunningListener {
  /** The full delivery URL, e.g. http://127.0.0.1:4242/webhook. */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
  /** Every delivery so far, in the order they were answered. */
  reports(): DeliveryReport[];
}

export const DEFAULT_LISTEN_PATH = '/webhook';
export const DEFAULT_TOLERANCE_MS = 300_000;

/**
 * A webhook receiver that answers exactly as a correct merchant endpoint should (verifyDelivery),
 * reports every request it gets — hostile ones included — and keeps serving whatever arrives.
 */
export async function startListener(options: ListenerOptions): Promise<RunningListener> {
  const path = normalisePath(options.path ?? DEFAULT_LISTEN_PATH);
  const clock = options.clock ?? systemClock;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const forwardClient = options.forwardTo ? createForwardClient(options.forwardTo, options.env ?? {}) : undefined;
  const reports: DeliveryReport[] = [];
  const seen = new Map<string, string>();
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const report = await handleRequest(req, res, { ...options, path, clock, maxBodyBytes, forwardClient, seen });
    reports.push(report);
    options.onDelivery?.(report);
  };
  const server = await startServer({ host: options.host, port: options.port, handler, limits: { maxBodyBytes, ...options.limits } });
  return {
    url: `${server.origin}${path}`,
    host: server.host,
    port: server.port,
    reports: () => [...reports],
    async close() {
      await server.close(2_000);
      await forwardClient?.close();
    },
  };
}

function normalisePath(path: string): string {
  const trimmed = path.trim();
  const withSlash = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  // One spelling per path, percent-escaped as it arrives on the wire.
  const escaped = new URL(withSlash.replace(/[?#]/g, encodeURIComponent), 'http://listener').pathname;
  return escaped.length > 1 ? escaped.replace(/\/+$/, '') : escaped;
}

type Resolved = ListenerOptions & { path: string; clock: Clock; maxBodyBytes: number; forwardClient: HttpClient | undefined; seen: Map<string, string> };

/** BlockATM re-signs each retry with a fresh time (D10): the same signed string twice is a replay. */
function noteReplay(seen: Map<string, string>, verdict: DeliveryVerdict, id: string): void {
  const signed = verdict.verified ? verdict.tried.find((attempt) => attempt.recipe === verdict.recipe)?.stringToSign : undefined;
  if (!signed) return;
  const earlier = seen.get(signed);
  if (earlier) verdict.warnings.push(`an exact replay of delivery ${earlier} (same body and time): process each event once`);
  else if (seen.size < 10_000) seen.set(signed, id);
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, options: Resolved): Promise<DeliveryReport> {
  const started = performance.now();
  const receivedMs = options.clock.now();
  const id = newCaptureId(receivedMs, randomBytes(4).toString('hex'));
  const method = req.method ?? 'GET';
  const requestPath = (req.url ?? '/').split('?')[0] ?? '/';
  const headers = headerValues(req);
  const base = { id, receivedAt: new Date(receivedMs).toISOString(), method, path: requestPath.slice(0, 200) };
  const finish = (verdict: DeliveryVerdict, answered: number | null, forward: ForwardResult | null = null, captureId: string | null = null): DeliveryReport => ({
    ...base, verdict, answered, forward, captureId, latencyMs: Math.round(performance.now() - started),
  });

  if (normalisePath(requestPath) !== options.path) {
    req.resume();
    const verdict = rejectedVerdict(404, `nothing is served at ${base.path}: deliveries go to ${options.path} (check the path of the Webhook URL)`);
    sendText(res, 404, `not found: deliveries go to ${options.path}\n`, { Connection: 'close' });
    return finish(verdict, 404);
  }
  if (method !== 'POST') {
    req.resume();
    const verdict = verifyDelivery({ method, headers, body: Buffer.alloc(0) }, policy(options));
    sendText(res, 405, `${verdict.reason}\n`, { Allow: 'POST', Connection: 'close' });
    return finish(verdict, 405);
  }
  const read = await readRequestBody(req, options.maxBodyBytes);
  if (!read.ok && read.reason === 'too-large') {
    sendTooLarge(res, `body too large: the limit is ${options.maxBodyBytes} bytes\n`);
    return finish(rejectedVerdict(413, `the body is larger than ${options.maxBodyBytes} bytes: refused with 413`), 413);
  }
  if (!read.ok) {
    if (!req.socket.destroyed) sendText(res, 408, 'the body did not arrive complete\n', { Connection: 'close' });
    return finish(rejectedVerdict(408, 'the client closed the connection or was too slow: the body never arrived complete'), req.socket.destroyed ? null : 408);
  }
  const verdict = verifyDelivery({ method, headers, body: read.body }, policy(options));
  noteReplay(options.seen, verdict, id);
  const captureId = saveDelivery(options, { ...base, headers, body: read.body, verdict });
  if (options.forwardTo && options.forwardClient) {
    const forward = await forwardDelivery(options.forwardClient, options.forwardTo, { headers, body: read.body }, options.forwardTimeoutMs ?? 10_000);
    if (forward.status === null) sendText(res, 502, `the app at ${forward.url} could not be reached (${forward.error?.kind})\n`);
    else sendText(res, forward.status, forward.body, forward.contentType ? { 'Content-Type': forward.contentType } : {});
    return finish(verdict, forward.status ?? 502, forward, captureId);
  }
  if (verdict.verified) sendText(res, 200, 'success');
  else sendText(res, verdict.httpStatus, `${verdict.reason}\n`);
  return finish(verdict, verdict.httpStatus, null, captureId);
}

function policy(options: Resolved): Parameters<typeof verifyDelivery>[1] {
  return { webhookKey: options.webhookKey, nowMs: options.clock.now(), toleranceMs: options.toleranceMs ?? DEFAULT_TOLERANCE_MS, recipe: options.recipe };
}

/** Saves the headers and exact body (credentials left out); a full disk never fails a delivery. */
function saveDelivery(options: Resolved, input: { id: string; receivedAt: string; method: string; path: string; headers: Record<string, string[]>; body: Buffer; verdict: DeliveryVerdict }): string | null {
  if (!options.captureDir) return null;
  const { verified, httpStatus, reason, recipe, event, status } = input.verdict;
  const capture: CapturedDelivery = {
    id: input.id,
    receivedAt: input.receivedAt,
    method: input.method,
    path: input.path,
    headers: captureHeaders(input.headers),
    ...captureBody(input.body),
    verdict: { verified, httpStatus, reason, recipe, event, status },
  };
  try {
    saveCapture(options.captureDir, capture);
    return input.id;
  } catch (error) {
    input.verdict.warnings.push(`could not save the capture: ${(error as Error).message}`);
    return null;
  }
}
