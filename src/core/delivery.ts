import { flatCanonical, flatField, flatIsNumber, scanFlatObject, type FlatObject } from './json-flat.js';
import { isJsonObject, isLosslessNumber, parseJsonChecked, parseJsonCheckedFully, scalarText, type CheckedJson, type JsonObject } from './json.js';
import { normaliseStatus, parseEvent, type EventKind } from './status.js';
import { formatDuration, judgeTime, parseRequestTime } from './time.js';
import { EVENT_HEADER, SIGNATURE_HEADER, TIME_HEADER, verifyWebhookSignature, type Recipe, type RecipeAttempt } from './webhook-signature.js';

/** Header names in lower case, each with every value it was sent with. */
export type HeaderValues = Record<string, string[] | undefined>;

export interface IncomingDelivery {
  method: string;
  headers: HeaderValues;
  body: Buffer;
}

export interface DeliveryPolicy {
  webhookKey: string;
  nowMs: number;
  /** Accepted |now − t| in ms (D6 default 300000). */
  toleranceMs: number;
  recipe?: Recipe | 'auto';
}

export interface DeliveryVerdict {
  verified: boolean;
  /**
   * What a correct merchant endpoint answers: 200, 400, 401 or 405 from the request itself;
   * 404 (wrong path), 408 (body never completed) and 413 (body too large) from the server.
   */
  httpStatus: DeliveryStatus;
  reason: string;
  recipe: Recipe | null;
  event: EventKind | null;
  eventHeader: string | null;
  status: string | null;
  statusRaw: string | null;
  orderNo: string | null;
  id: string | null;
  bizOrderNo: string | null;
  amount: string | null;
  symbol: string | null;
  time: string | null;
  ageMs: number | null;
  warnings: string[];
  tried: RecipeAttempt[];
}

// Reused: a non-streaming decode keeps no state between calls.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type DeliveryStatus = 200 | 400 | 401 | 404 | 405 | 408 | 413;

const SIGNATURE_KEY = SIGNATURE_HEADER.toLowerCase();
const TIME_KEY = TIME_HEADER.toLowerCase();
const EVENT_KEY = EVENT_HEADER.toLowerCase();

const DEFAULT_FIELDS = {
  recipe: null, event: null, eventHeader: null, status: null, statusRaw: null, orderNo: null, id: null,
  bizOrderNo: null, amount: null, symbol: null, time: null, ageMs: null,
} as const;

/**
 * Judges one webhook request the way a correct merchant endpoint should (D4–D6, D11, D12):
 * parse it losslessly, verify the signature (recipe detection), then the timestamp window.
 * Returns the answer to give and the reason; never throws on hostile input.
 */
export function verifyDelivery(request: IncomingDelivery, policy: DeliveryPolicy): DeliveryVerdict {
  const reject = (status: Exclude<DeliveryStatus, 200>, reason: string, extra?: Partial<DeliveryVerdict>): DeliveryVerdict =>
    rejectedVerdict(status, reason, extra ?? knownFields(request.headers));
  if (request.method !== 'POST') return reject(405, `method ${request.method} is not allowed: BlockATM delivers webhooks with POST`);

  const signatures = request.headers[SIGNATURE_KEY];
  const times = request.headers[TIME_KEY];
  const events = request.headers[EVENT_KEY];
  if ((signatures?.length ?? 0) > 1) return reject(400, `duplicate ${SIGNATURE_HEADER} header: a request must carry exactly one`);
  if ((times?.length ?? 0) > 1) return reject(400, `duplicate ${TIME_HEADER} header: a request must carry exactly one`);
  if ((events?.length ?? 0) > 1) return reject(400, `duplicate ${EVENT_HEADER} header: a request must carry exactly one`);
  const signature = signatures?.[0];
  const time = times?.[0];
  const eventHeader = events?.[0];

  let text: string;
  try {
    text = UTF8.decode(request.body);
  } catch {
    return reject(400, 'the body is not valid UTF-8');
  }
  // The common body, one flat object, is read without building an object; any other goes
  // through the full parser, which names every error.
  const flat = scanFlatObject(text);
  let parsed: CheckedJson | undefined;
  let fields: PayloadFields;
  if (flat !== undefined) {
    fields = describeFlatPayload(flat, eventHeader);
  } else {
    parsed = parseJsonCheckedFully(text);
    if (!parsed.ok) return reject(400, `the body is not acceptable JSON: ${parsed.error}`);
    if (!isJsonObject(parsed.value)) return reject(400, 'the body must be a JSON object');
    fields = describePayload(parsed.value, eventHeader);
  }

  if (time === undefined) return reject(401, `missing ${TIME_HEADER} header`, fields);
  const timeMs = parseRequestTime(time);
  if (!timeMs.ok) return reject(401, `${TIME_HEADER}: ${timeMs.error}`, fields);

  const trimmedTime = time.trim();
  const sorted = flat !== undefined && policy.recipe !== 'raw' ? { canonical: flatCanonical(flat), warnings: [] } : undefined;
  const check = verifyWebhookSignature({ rawBody: text, time: trimmedTime, signature, key: policy.webhookKey, recipe: policy.recipe, parsed, sorted });
  if (!check.valid) {
    const reason = check.failure === 'missing' ? `missing ${SIGNATURE_HEADER} header` : check.reason;
    return reject(401, reason, { ...fields, time: trimmedTime, tried: check.tried });
  }
  const verdict = judgeTime(timeMs.value, policy.nowMs, policy.toleranceMs);
  if (!verdict.ok) return reject(401, verdict.reason, { ...fields, time: trimmedTime, tried: check.tried, recipe: check.recipe, ageMs: verdict.ageMs });

  const warnings = check.warnings.length === 0 ? fields.warnings : [...check.warnings, ...fields.warnings];
  const contentType = request.headers['content-type']?.[0];
  if (!contentType || !JSON_CONTENT_TYPE.test(contentType.trim())) warnings.push(`Content-Type is ${contentType ? `"${contentType.slice(0, 60)}"` : 'missing'}; BlockATM sends application/json`);
  // The hot path of a listener under load: one literal in one fixed shape (a spread is slower).
  return {
    event: fields.event,
    eventHeader: fields.eventHeader,
    status: fields.status,
    statusRaw: fields.statusRaw,
    orderNo: fields.orderNo,
    id: fields.id,
    bizOrderNo: fields.bizOrderNo,
    amount: fields.amount,
    symbol: fields.symbol,
    warnings,
    time: trimmedTime,
    tried: check.tried,
    verified: true,
    httpStatus: 200,
    recipe: check.recipe,
    ageMs: verdict.ageMs,
    reason: `verified: signature valid (${check.recipe} recipe), timestamp ${describeAge(verdict.ageMs)}`,
  };
}

const JSON_CONTENT_TYPE = /^application\/json\b/i;

/** A verdict for a request refused before (or instead of) judging its signature. */
export function rejectedVerdict(httpStatus: Exclude<DeliveryStatus, 200>, reason: string, extra: Partial<DeliveryVerdict> = {}): DeliveryVerdict {
  return { ...DEFAULT_FIELDS, warnings: [], tried: [], ...extra, verified: false, httpStatus, reason };
}

/**
 * What a refused request still tells about itself: the event header and, when the body is a
 * JSON object, its order fields — so a wrong path or a bad request is not reported blind.
 */
export function knownFields(headers: HeaderValues, body?: Buffer): Partial<DeliveryVerdict> {
  const eventHeader = headers[EVENT_HEADER.toLowerCase()]?.[0];
  if (body !== undefined && body.length > 0) {
    let text: string | undefined;
    try {
      text = UTF8.decode(body);
    } catch {
      text = undefined;
    }
    const parsed = text === undefined ? undefined : parseJsonChecked(text);
    if (parsed?.ok && isJsonObject(parsed.value)) return { ...describePayload(parsed.value, eventHeader), warnings: [] };
  }
  return { eventHeader: eventHeader ?? null, event: parseEvent(eventHeader) ?? null };
}

function describeAge(ageMs: number): string {
  return ageMs < 0 ? `${formatDuration(-ageMs)} ahead of this clock` : `${formatDuration(ageMs)} old`;
}

type PayloadFields = Pick<DeliveryVerdict, 'event' | 'eventHeader' | 'status' | 'statusRaw' | 'orderNo' | 'id' | 'bizOrderNo' | 'amount' | 'symbol' | 'warnings'>;

/** Pulls the fields a person wants to see out of a Payment or Payout payload. */
export function describePayload(payload: JsonObject, eventHeader: string | undefined): PayloadFields {
  const text = (key: string): string | null => {
    const value = payload[key];
    if (typeof value === 'string' || typeof value === 'boolean' || isLosslessNumber(value)) return scalarText(value);
    return null;
  };
  return describeFields(text, isLosslessNumber(payload.amount), eventHeader);
}

/** describePayload for a body read as a flat object. */
export function describeFlatPayload(flat: FlatObject, eventHeader: string | undefined): PayloadFields {
  return describeFields((key) => flatField(flat, key), flatIsNumber(flat, 'amount'), eventHeader);
}

function describeFields(text: (key: string) => string | null, amountIsNumber: boolean, eventHeader: string | undefined): PayloadFields {
  const warnings: string[] = [];
  const event = parseEvent(eventHeader) ?? null;
  if (eventHeader === undefined) warnings.push(`no ${EVENT_HEADER} header`);
  else if (event === null) warnings.push(`unknown ${EVENT_HEADER} "${eventHeader.slice(0, 40)}" (expected Payment or Payout)`);
  const statusRaw = text('status');
  const status = normaliseStatus(event ?? undefined, statusRaw ?? undefined) ?? null;
  if (statusRaw !== null && status === null) warnings.push(`unknown status "${statusRaw.slice(0, 40)}"`);
  if (amountIsNumber) warnings.push('amount is a JSON number; BlockATM sends decimal strings');
  return {
    event, eventHeader: eventHeader ?? null, status, statusRaw, orderNo: text('orderNo'), id: text('id'),
    bizOrderNo: text('bizOrderNo'), amount: text('amount'), symbol: text('symbol'), warnings,
  };
}
