import type { DeliveryVerdict } from './delivery.js';

/** What the merchant's own app answered when a delivery was relayed to it (`--forward-to`). */
export interface ForwardResult {
  url: string;
  /** The app's HTTP status, or null when it could not be reached. */
  status: number | null;
  body: string;
  latencyMs: number;
  /** Network failure kind and message when there was no HTTP answer. */
  error: { kind: string; message: string; hint: string } | null;
  /** The app's Content-Type, relayed back with its body. */
  contentType: string | null;
}

/** One request the listener answered: the verdict, what was answered, and the relay result. */
export interface DeliveryReport {
  /** Also the capture id when the delivery was saved. */
  id: string;
  receivedAt: string;
  method: string;
  path: string;
  /** The HTTP status the listener answered with (the app's status when forwarding). */
  answered: number | null;
  /** Milliseconds from the request's arrival to the answer. */
  latencyMs: number;
  verdict: DeliveryVerdict;
  forward: ForwardResult | null;
  /** The signature doctor's one line on a mismatch it explains, else null. */
  diagnosis: string | null;
  /** Where the capture was saved, if it was. */
  captureId: string | null;
}

/**
 * A delivery passes when it verified and, if it was relayed, the app answered 200 (BlockATM
 * counts nothing else as delivered, D10). An app that accepts a forgery fails it too.
 */
export function deliveryPassed(report: DeliveryReport): boolean {
  if (!report.verdict.verified) return false;
  return report.forward === null || report.forward.status === 200;
}

/** Problems with the relay worth a line of their own, e.g. an app that accepts forgeries. */
export function forwardWarnings(report: DeliveryReport): string[] {
  const forward = report.forward;
  if (forward === null) return [];
  if (forward.error) return [`your app at ${forward.url} was not reached (${forward.error.kind}): ${forward.error.hint}`];
  if (!report.verdict.verified && forward.status !== null && forward.status >= 200 && forward.status < 300) {
    return [`your app answered ${forward.status} to a delivery that does not verify (${report.verdict.reason}): it must reject it with 401`];
  }
  if (report.verdict.verified && forward.status !== 200) {
    return [`your app answered ${forward.status} to a genuine delivery: BlockATM counts only 200 as delivered and will retry`];
  }
  return [];
}

/** One line on what to do about a delivery that did not pass; null when it passed. */
export function deliveryHint(report: DeliveryReport, listenPath: string): string | null {
  const v = report.verdict;
  if (deliveryPassed(report)) return null;
  if (v.verified) return forwardWarnings(report)[0] ?? null;
  switch (v.httpStatus) {
    case 404: return `point the Webhook URL at ${listenPath}, or start listen with --path ${report.path}`;
    case 405: return 'BlockATM delivers with POST; this came from a browser, a health check or a scanner';
    case 408: return 'a slow or broken client; BlockATM sends small bodies at once';
    case 413: return 'BlockATM webhooks are small JSON objects; this was not one';
    case 400: return 'BlockATM sends one compact, UTF-8 JSON object with single BlockATM headers';
    default: break;
  }
  if (v.recipe !== null) return 'the signature is right but the time is not: check the sender\'s clock (NTP) and that the time is epoch milliseconds; --tolerance widens the window';
  if (v.tried.some((attempt) => attempt.stringToSign !== null)) {
    return 'check that listen uses the Webhook key (not the secret or API key) of this desk, and that nothing between BlockATM and here re-serialised the body';
  }
  return 'BlockATM signs every delivery: send BlockATM-Signature-V2 and BlockATM-Request-Time';
}

/** The NDJSON object `listen --json` prints per delivery (PRODUCT.md fields first). */
export function deliveryEvent(report: DeliveryReport, listenPath: string): Record<string, unknown> {
  const v = report.verdict;
  return {
    type: 'delivery',
    verified: v.verified,
    recipe: v.recipe,
    event: v.event,
    status: v.status,
    reason: v.reason,
    diagnosis: report.diagnosis,
    id: report.id,
    receivedAt: report.receivedAt,
    method: report.method,
    path: report.path,
    httpStatus: report.answered,
    passed: deliveryPassed(report),
    hint: deliveryHint(report, listenPath),
    eventHeader: v.eventHeader,
    statusRaw: v.statusRaw,
    orderNo: v.orderNo,
    orderId: v.id,
    bizOrderNo: v.bizOrderNo,
    amount: v.amount,
    symbol: v.symbol,
    time: v.time,
    ageMs: v.ageMs,
    latencyMs: report.latencyMs,
    warnings: report.forward === null ? v.warnings.slice() : [...v.warnings, ...forwardWarnings(report)],
    forward: report.forward,
    captureId: report.captureId,
  };
}

export type ListenEnd = 'count' | 'timeout' | 'interrupted';

export interface ListenSummary {
  type: 'summary';
  end: ListenEnd;
  received: number;
  passed: number;
  failed: number;
  /** Deliveries answered but not saved as captures (past the capture budget, or the disk failed). */
  unsaved: number;
  exitCode: number;
}

/** How many requests a listener answered, and how many of them passed. */
export interface ListenTally {
  received: number;
  passed: number;
  /** Of those, how many were not saved while captures were on. */
  unsaved: number;
}

/**
 * How a listen run ends (PRODUCT.md): count reached → 0 if every delivery passed, else 1;
 * timeout → 3 when waiting for a count (or when nothing arrived at all), else 0/1;
 * interrupted → 130, or 1 if any delivery failed. Takes the reports, or just their tally.
 */
export function summariseListen(reports: readonly DeliveryReport[] | ListenTally, end: ListenEnd, waitingForCount: boolean): ListenSummary {
  // Reports alone do not say whether captures were on: they count none as unsaved.
  const { received, passed, unsaved } = Array.isArray(reports) ? { received: reports.length, passed: reports.filter(deliveryPassed).length, unsaved: 0 } : (reports as ListenTally);
  const failed = received - passed;
  let exitCode: number;
  if (end === 'timeout' && (waitingForCount || received === 0)) exitCode = 3;
  else if (end === 'interrupted') exitCode = failed > 0 ? 1 : 130;
  else exitCode = failed > 0 ? 1 : 0;
  return { type: 'summary', end, received, passed, failed, unsaved, exitCode };
}
