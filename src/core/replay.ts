import { capturedBodyBytes, type CapturedDelivery } from './capture.js';
import { applyFieldEdits, type AppliedEdit, type FieldEdit } from './payload-edit.js';
import { fail, ok, type Result } from './result.js';
import { formatDuration } from './time.js';
import { triggerHint } from './trigger.js';
import { SIGNATURE_HEADER, TIME_HEADER, signWebhook, type Recipe } from './webhook-signature.js';

/** Headers that describe one connection, not the delivery: the HTTP client sets its own. */
const CONNECTION_HEADERS = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect', 'proxy-connection']);

const STALE_AFTER_MS = 300_000;

export interface ReplayPlan {
  mode: 'as-captured' | 're-signed';
  method: string;
  headers: Record<string, string | string[]>;
  body: Buffer;
  time: string | null;
  signature: string | null;
  recipe: Recipe | null;
  edits: AppliedEdit[];
  warnings: string[];
}

export interface ResignOptions {
  webhookKey: string;
  timeMs: number;
  recipe: Recipe;
}

/**
 * What to send to replay a captured delivery: exactly as it arrived (same method, headers and
 * body bytes), or with edits applied and re-signed with a fresh time, as BlockATM's retries are.
 */
export function planReplay(capture: CapturedDelivery, options: { edits: FieldEdit[]; resign?: ResignOptions; nowMs: number }): Result<ReplayPlan> {
  const headers: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [name, values] of Object.entries(capture.headers)) {
    if (CONNECTION_HEADERS.has(name.toLowerCase()) || values.length === 0) continue;
    headers[name] = values.length === 1 ? values[0]! : [...values];
  }
  const body = capturedBodyBytes(capture);
  const timeHeader = TIME_HEADER.toLowerCase();
  const signatureHeader = SIGNATURE_HEADER.toLowerCase();
  if (options.resign === undefined) {
    if (options.edits.length > 0) return fail('edits need re-signing: the Webhook key is required');
    const warnings: string[] = [];
    const time = capture.headers[timeHeader]?.[0] ?? null;
    const age = time !== null && /^\d+$/.test(time.trim()) ? options.nowMs - Number(time.trim()) : null;
    if (age !== null && age > STALE_AFTER_MS) warnings.push(`the delivery was signed ${formatDuration(age)} ago: a correct endpoint rejects it as stale; add --resign to send it with a fresh time`);
    return ok({ mode: 'as-captured', method: capture.method, headers, body, time, signature: capture.headers[signatureHeader]?.[0] ?? null, recipe: null, edits: [], warnings });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return fail('the captured body is not UTF-8 text, so it cannot be re-signed; replay it as captured');
  }
  let edits: AppliedEdit[] = [];
  if (options.edits.length > 0) {
    const edited = applyFieldEdits(text, options.edits);
    if (!edited.ok) return edited;
    text = edited.value.body;
    edits = edited.value.applied;
  }
  const time = String(options.resign.timeMs);
  const signed = signWebhook(text, time, options.resign.webhookKey, options.resign.recipe);
  if (!signed.ok) return fail(`the body cannot be signed with the ${options.resign.recipe} recipe: ${signed.error}; try --recipe raw`);
  for (const name of Object.keys(headers)) if (name.toLowerCase() === timeHeader || name.toLowerCase() === signatureHeader) delete headers[name];
  headers[signatureHeader] = signed.value.signature;
  headers[timeHeader] = time;
  return ok({
    mode: 're-signed', method: capture.method, headers, body: Buffer.from(text, 'utf8'), time, signature: signed.value.signature,
    recipe: options.resign.recipe, edits, warnings: signed.value.warnings,
  });
}

/** What `replay` reports after sending: the endpoint's answer, or why there was none. */
export interface ReplayReport {
  id: string;
  url: string;
  mode: ReplayPlan['mode'];
  time: string | null;
  signature: string | null;
  recipe: Recipe | null;
  edits: AppliedEdit[];
  status: number | null;
  body: string | null;
  latencyMs: number;
  /** Only HTTP 200 counts as delivered (D10). */
  pass: boolean;
  error: { kind: string; message: string; hint: string } | null;
  /** What to do about a non-200 answer or no answer; empty when it passed. */
  hint: string;
}

type SendOutcome =
  | { ok: true; response: { status: number; body: string; latencyMs: number; headers?: Record<string, string> } }
  | { ok: false; failure: { kind: string; message: string; hint: string }; latencyMs: number };

/** The endpoint's answer to a replay, judged as BlockATM judges a delivery. */
export function replayReport(id: string, url: string, plan: ReplayPlan, outcome: SendOutcome): ReplayReport {
  const base = { id, url, mode: plan.mode, time: plan.time, signature: plan.signature, recipe: plan.recipe, edits: plan.edits };
  if (!outcome.ok) {
    const { kind, message, hint } = outcome.failure;
    return { ...base, status: null, body: null, latencyMs: outcome.latencyMs, pass: false, error: { kind, message, hint }, hint };
  }
  const { status, body, latencyMs, headers } = outcome.response;
  const location = headers?.location;
  // An old delivery sent as captured is refused by a correct endpoint: say so before blaming the key.
  const hint = status === 200 ? '' : plan.mode === 'as-captured' && status === 401
    ? 'sent as captured, with its original time and signature: a correct endpoint refuses it as stale or replayed; add --resign to send it with a fresh time'
    : triggerHint({ status, error: null, ...(location ? { location } : {}) });
  return { ...base, status, body, latencyMs, pass: status === 200, error: null, hint };
}

/** One line per capture for `replay --list`: the fields a person scans for. */
export interface CaptureSummary {
  id: string;
  receivedAt: string;
  method: string;
  path: string;
  event: string | null;
  status: string | null;
  verified: boolean;
  httpStatus: number;
  reason: string;
}

/** Keeps what `replay --list` shows; a hand-edited capture without a verdict still lists. */
export function summariseCapture(capture: CapturedDelivery): CaptureSummary {
  return {
    id: capture.id,
    receivedAt: capture.receivedAt,
    method: capture.method,
    path: capture.path,
    event: capture.verdict?.event ?? null,
    status: capture.verdict?.status ?? null,
    verified: capture.verdict?.verified === true,
    httpStatus: capture.verdict?.httpStatus ?? 0,
    reason: capture.verdict?.reason ?? '',
  };
}
