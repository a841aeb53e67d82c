import type { IncomingMessage, ServerResponse } from 'node:http';
import { captureBody, captureHeaders, type CapturedDelivery } from '../core/capture.js';
import { createCaptureBudget, type CaptureBudget } from '../core/capture-budget.js';
import { knownFields, rejectedVerdict, verifyDelivery, type DeliveryVerdict } from '../core/delivery.js';
import { deliveryPassed, type DeliveryReport, type ForwardResult, type ListenTally } from '../core/listen.js';
import type { MismatchDoctor } from '../core/mismatch-doctor.js';
import { createReplayMemory, type ReplayMemory } from '../core/replay-memory.js';
import { SIGNATURE_HEADER, type Recipe } from '../core/webhook-signature.js';
import { captureIdMaker } from '../config/capture-store.js';
import { createCaptureWriter, KEPT_CAPTURES, type CaptureWriter } from '../config/capture-writer.js';
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
  /** Save each delivery here (the newest 1000 are kept); nothing is saved without it. */
  captureDir?: string;
  /** How many deliveries are saved at once, and then a second (default 1000, then 100: the folder keeps the newest 1000). */
  captureBudget?: { burst: number; perSecond: number };
  clock?: Clock;
  maxBodyBytes?: number;
  limits?: Partial<ServerLimits>;
  /** Environment for the relay's proxy settings (HTTPS_PROXY, NO_PROXY). */
  env?: Record<string, string | undefined>;
  onDelivery?: (report: DeliveryReport) => void;
  /** A line for the person running the listener, e.g. that a flood is no longer saved whole. */
  onNotice?: (text: string) => void;
  /** Explains a signature mismatch in one line (core/mismatch-doctor.ts), run after answering. */
  explainMismatch?: MismatchDoctor;
}

export interface RunningListener {
  /** The full delivery URL, e.g. http://127.0.0.1:4242/webhook. */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
  /** The latest deliveries (up to 100), in the order they were answered; tally() counts them all. */
  reports(): DeliveryReport[];
  /** Every delivery so far, counted. */
  tally(): ListenTally;
}

export const DEFAULT_LISTEN_PATH = '/webhook';
export const DEFAULT_TOLERANCE_MS = 300_000;
/**
 * Saving a capture costs far more than verifying a delivery, and past 1000 a flood only replaces
 * files written moments before: a burst of 1000 is saved whole, a steady flood 100 a second.
 */
export const DEFAULT_CAPTURE_BUDGET = { burst: KEPT_CAPTURES, perSecond: 100 };
const KEPT_REPORTS = 100;
const SIGNATURE_KEY = SIGNATURE_HEADER.toLowerCase();
const MISDIRECTED_BODY_BYTES = 64 * 1024;

/**
 * A webhook receiver that answers exactly as a correct merchant endpoint should (verifyDelivery),
 * reports every request it gets — hostile ones included — and keeps serving whatever arrives.
 */
export async function startListener(options: ListenerOptions): Promise<RunningListener> {
  const path = normalisePath(options.path ?? DEFAULT_LISTEN_PATH);
  const clock = options.clock ?? systemClock;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const forwardClient = options.forwardTo ? createForwardClient(options.forwardTo, options.env ?? {}) : undefined;
  // Only the latest reports are kept, so a long run or a flood cannot grow memory without bound.
  let reports: DeliveryReport[] = [];
  const tally: ListenTally = { received: 0, passed: 0, unsaved: 0 };
  const { burst, perSecond } = options.captureBudget ?? DEFAULT_CAPTURE_BUDGET;
  const resolved: Resolved = {
    ...options, path, clock, maxBodyBytes, forwardClient, replays: createReplayMemory(), newId: captureIdMaker(), isoTime: isoTimeMaker(),
    captures: options.captureDir ? createCaptureWriter(options.captureDir) : undefined,
    budget: budgetWithNotice(createCaptureBudget(perSecond, burst), { burst, perSecond }, tally, options.onNotice),
  };
  // Reports go out in the order requests were answered, each once its capture is on disk: those
  // waiting for a capture (and any answered after them) queue here, without a promise apiece.
  const queued: QueuedReport[] = [];
  let head = 0;
  let drained: (() => void) | undefined;
  const emit = (report: DeliveryReport): void => {
    tally.received += 1;
    if (deliveryPassed(report)) tally.passed += 1;
    options.onDelivery?.(report);
    reports.push(compact(report));
    if (reports.length > 2 * KEPT_REPORTS) reports = reports.slice(-KEPT_REPORTS);
  };
  const drain = (): void => {
    while (head < queued.length && queued[head]!.ready) emit(queued[head++]!.report);
    if (head === queued.length) {
      queued.length = 0;
      head = 0;
      drained?.();
    } else if (head > 1024) {
      queued.splice(0, head);
      head = 0;
    }
  };
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { report, capture } = await handleRequest(req, res, resolved);
    if (capture === undefined || resolved.captures === undefined) {
      if (queued.length === 0) emit(report); // nothing ahead of it: no need to queue
      else queued.push({ report, ready: true });
      return;
    }
    const entry: QueuedReport = { report, ready: false };
    queued.push(entry);
    const saved = (error: { message: string } | null): void => {
      if (error) {
        tally.unsaved += 1;
        report.verdict.warnings.push(`could not save the capture: ${error.message}`);
      } else report.captureId = report.id;
      entry.ready = true;
      drain();
    };
    const refused = resolved.captures.enqueue(capture, saved);
    if (refused !== undefined) saved({ message: refused });
  };
  const server = await startServer({ host: options.host, port: options.port, handler, limits: { maxBodyBytes, ...options.limits } });
  return {
    url: `${server.origin}${path}`,
    host: server.host,
    port: server.port,
    reports: () => reports.slice(-KEPT_REPORTS),
    tally: () => ({ ...tally }),
    async close() {
      await server.close(2_000);
      // Every answered request is reported before close resolves.
      if (queued.length > 0) await new Promise<void>((resolve) => (drained = resolve));
      await forwardClient?.close();
    },
  };
}

const KEPT_STRING_CHARS = 1_024;

/** The copy kept in memory: strings to sign cut short, so a flood of huge bodies cannot pile up. */
function compact(report: DeliveryReport): DeliveryReport {
  const long = report.verdict.tried.some((attempt) => (attempt.stringToSign?.length ?? 0) > KEPT_STRING_CHARS);
  if (!long) return report;
  const tried = report.verdict.tried.map((attempt) => {
    const text = attempt.stringToSign;
    return text !== null && text.length > KEPT_STRING_CHARS ? { ...attempt, stringToSign: `${text.slice(0, KEPT_STRING_CHARS)}… (${text.length - KEPT_STRING_CHARS} more characters)` } : attempt;
  });
  return { ...report, verdict: { ...report.verdict, tried } };
}

/** ISO time strings, the last one reused: under load many requests arrive in the same millisecond. */
function isoTimeMaker(): (ms: number) => string {
  let last = Number.NaN;
  let text = '';
  return (ms) => {
    if (ms !== last) {
      last = ms;
      text = new Date(ms).toISOString();
    }
    return text;
  };
}

function normalisePath(path: string): string {
  const trimmed = path.trim();
  const withSlash = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  // One spelling per path, percent-escaped as it arrives on the wire.
  const escaped = new URL(withSlash.replace(/[?#]/g, encodeURIComponent), 'http://listener').pathname;
  return escaped.length > 1 ? escaped.replace(/\/+$/, '') : escaped;
}

type Resolved = ListenerOptions & {
  path: string; clock: Clock; maxBodyBytes: number; forwardClient: HttpClient | undefined; replays: ReplayMemory; newId: (nowMs: number) => string; isoTime: (ms: number) => string;
  captures: CaptureWriter | undefined; budget: CaptureBudget;
};

const NOTICE_EVERY_MS = 10_000;

/**
 * The capture budget, telling the person running the listener when deliveries start going
 * unsaved, and every 10 s while they still do: one line, not a warning on every report of a flood.
 */
function budgetWithNotice(budget: CaptureBudget, limits: { burst: number; perSecond: number }, tally: ListenTally, notify: ((text: string) => void) | undefined): CaptureBudget {
  let noticedMs = Number.NEGATIVE_INFINITY;
  return {
    take(nowMs) {
      if (budget.take(nowMs)) return true;
      tally.unsaved += 1;
      if (notify && (nowMs - noticedMs >= NOTICE_EVERY_MS || nowMs < noticedMs)) {
        noticedMs = nowMs;
        notify(`deliveries are arriving faster than they are saved: a burst of ${limits.burst} is saved, then ${limits.perSecond} a second (the folder holds the newest ${KEPT_CAPTURES}); the others are answered and reported without a captureId (${tally.unsaved} so far)`);
      }
      return false;
    },
  };
}

function noteReplay(replays: ReplayMemory, verdict: DeliveryVerdict, signature: string | undefined, id: string): void {
  if (!verdict.verified || signature === undefined) return;
  const earlier = replays.note(signature, id);
  if (earlier !== undefined) verdict.warnings.push(`an exact replay of delivery ${earlier} (same body and time): process each event once`);
}

/** What a request left: its report, and the capture to save when captures are kept. */
interface Handled {
  report: DeliveryReport;
  capture?: CapturedDelivery;
}

interface QueuedReport {
  report: DeliveryReport;
  /** False while its capture is being written. */
  ready: boolean;
}

/** Answers one request; the caller saves the capture and then fills in the report's captureId. */
async function handleRequest(req: IncomingMessage, res: ServerResponse, options: Resolved): Promise<Handled> {
  const started = performance.now();
  const receivedMs = options.clock.now();
  const id = options.newId(receivedMs);
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const requestPath = query === -1 ? url : url.slice(0, query);
  const headers = headerValues(req);
  const base = { id, receivedAt: options.isoTime(receivedMs), method, path: requestPath.length > 200 ? requestPath.slice(0, 200) : requestPath };
  let diagnosis: string | null = null;
  const finish = (verdict: DeliveryVerdict, answered: number | null, forward: ForwardResult | null = null, capture?: CapturedDelivery): Handled => ({
    report: { id: base.id, receivedAt: base.receivedAt, method: base.method, path: base.path, verdict, answered, forward, captureId: null, diagnosis, latencyMs: Math.round(performance.now() - started) },
    capture,
  });

  // The configured path is already normal: the common exact match skips re-normalising it.
  if (requestPath !== options.path && normalisePath(requestPath) !== options.path) {
    // A small misdirected delivery is read so the report can say which order it was about.
    const read = method === 'POST' ? await readRequestBody(req, MISDIRECTED_BODY_BYTES) : undefined;
    req.resume();
    const verdict = rejectedVerdict(404, `nothing is served at ${base.path}: deliveries go to ${options.path} (check the path of the Webhook URL)`, knownFields(headers, read?.ok ? read.body : undefined));
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
    return finish(rejectedVerdict(413, `the body is larger than ${options.maxBodyBytes} bytes: refused with 413`, knownFields(headers)), 413);
  }
  if (!read.ok) {
    if (!req.socket.destroyed) sendText(res, 408, 'the body did not arrive complete\n', { Connection: 'close' });
    return finish(rejectedVerdict(408, 'the client closed the connection or was too slow: the body never arrived complete', knownFields(headers)), req.socket.destroyed ? null : 408);
  }
  const verdict = verifyDelivery({ method, headers, body: read.body }, policy(options));
  noteReplay(options.replays, verdict, headers[SIGNATURE_KEY]?.[0], id);
  const explain = (): void => {
    if (!verdict.verified && options.explainMismatch) diagnosis = options.explainMismatch({ method, headers, body: read.body }, verdict);
  };
  // Built now, so the body is not held while the disk catches up; the report waits, the client does not.
  const capture = options.captures && options.budget.take(receivedMs) ? captureOf({ ...base, headers, body: read.body, verdict }) : undefined;
  if (options.forwardTo && options.forwardClient) {
    const forward = await forwardDelivery(options.forwardClient, options.forwardTo, { headers, body: read.body }, options.forwardTimeoutMs ?? 10_000);
    if (forward.status === null) sendText(res, 502, `the app at ${forward.url} could not be reached (${forward.error?.kind})\n`);
    else sendText(res, forward.status, forward.body, forward.contentType ? { 'Content-Type': forward.contentType } : {});
    explain();
    return finish(verdict, forward.status ?? 502, forward, capture);
  }
  if (verdict.verified) sendText(res, 200, 'success');
  else sendText(res, verdict.httpStatus, `${verdict.reason}\n`);
  explain();
  return finish(verdict, verdict.httpStatus, null, capture);
}

function policy(options: Resolved): Parameters<typeof verifyDelivery>[1] {
  return { webhookKey: options.webhookKey, nowMs: options.clock.now(), toleranceMs: options.toleranceMs ?? DEFAULT_TOLERANCE_MS, recipe: options.recipe };
}

/** What is saved of a delivery: the headers and exact body (credentials left out), and the verdict. */
function captureOf(input: { id: string; receivedAt: string; method: string; path: string; headers: Record<string, string[]>; body: Buffer; verdict: DeliveryVerdict }): CapturedDelivery {
  const { verified, httpStatus, reason, recipe, event, status } = input.verdict;
  return {
    id: input.id,
    receivedAt: input.receivedAt,
    method: input.method,
    path: input.path,
    headers: captureHeaders(input.headers),
    ...captureBody(input.body),
    verdict: { verified, httpStatus, reason, recipe, event, status },
  };
}
