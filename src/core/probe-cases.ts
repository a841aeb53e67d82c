import { canonicalFromObject, rawStringToSign, withTime } from './canonical.js';
import { isJsonObject, parseJsonLossless, type JsonObject } from './json.js';
import { buildScenario, serialiseEntries } from './scenarios.js';
import { hmacHex } from './signing.js';
import { buildDelivery, type Randomness, type SignedDelivery } from './webhook-payload.js';
import { SIGNATURE_HEADER, TIME_HEADER, type Recipe } from './webhook-signature.js';

export type ProbeKind = 'genuine' | 'forgery' | 'hygiene';

/** What a probe case puts on the wire, and a sentence saying how it differs from a genuine one. */
export interface ProbeRequest {
  headers: Record<string, string>;
  body: string;
  description: string;
}

export interface CaseContext {
  webhookKey: string;
  /** Signs the wrong-key forgery: the secret key when known (the classic mix-up), else a random key. */
  wrongKey: { key: string; name: string };
  nowMs: number;
  recipe: Recipe;
  random?: Randomness;
  /** The genuine delivery, sent first; the replay repeats it byte for byte. */
  genuine: SignedDelivery;
}

export interface ProbeCaseSpec {
  name: string;
  kind: ProbeKind;
  title: string;
  why: string;
  fix: string;
  /** A genuine variant whose refusal is WARN, not FAIL: BlockATM's docs leave the shape open. */
  refusal?: 'warn';
  build(context: CaseContext): ProbeRequest;
}

/** A fresh, correctly signed payment.success (new order number each time) at a given time. */
export function genuineDelivery(webhookKey: string, timeMs: number, recipe: Recipe, random?: Randomness): SignedDelivery {
  const built = buildScenario({ scenario: 'payment.success', webhookKey, timeMs, recipe, random });
  if (!built.ok) throw new Error(built.error);
  return built.value.delivery;
}

const HOUR = 3_600_000;
const OVERSIZED_BYTES = 4 * 1024 * 1024;

function signedAt(context: CaseContext, timeMs: number, description: string, key = context.webhookKey): ProbeRequest {
  const delivery = genuineDelivery(key, timeMs, context.recipe, context.random);
  return { headers: delivery.headers, body: delivery.body, description };
}

function withoutHeader(headers: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== name.toLowerCase()));
}

const VERIFY_FIX = 'verify BlockATM-Signature-V2 with the Webhook key over the raw body (sorted key=value + &time=) and answer 401 on any mismatch before touching the order';
const TIME_FIX = 'reject a BlockATM-Request-Time (epoch milliseconds) more than 5 minutes from your clock, in either direction, with 401';

/** The cases `probe` sends, in order: the genuine delivery, the forgeries, the hygiene checks. */
export const PROBE_CASES: readonly ProbeCaseSpec[] = [
  {
    name: 'genuine', kind: 'genuine', title: 'genuine delivery',
    why: 'BlockATM counts a webhook as delivered only on HTTP 200; anything else means retries and an order that never confirms',
    fix: 'verify the signature and timestamp, process the order, then answer exactly HTTP 200 (body "success")',
    build: (context) => ({ headers: context.genuine.headers, body: context.genuine.body, description: `payment.success signed with the Webhook key (${context.recipe} recipe) at the current time` }),
  },
  {
    name: 'number-amount', kind: 'genuine', title: 'genuine, amount as a number', refusal: 'warn',
    why: 'BlockATM\'s own V2 signing example sends numbers ("amount": 999); an endpoint that re-serialises the body (JSON.parse, a framework\'s parsed object) signs 2000.5 where BlockATM signed 2000.50, and rejects a real payment',
    fix: 'build the string to sign from the raw body with a lossless parser (lossless-json, Jackson BigDecimal, json.loads(parse_float=Decimal)), keeping each number exactly as written, and accept amount as a number as well as a string; "cashier-check verify" shows the difference',
    build: (context) => {
      const built = buildScenario({ scenario: 'payment.success', webhookKey: context.webhookKey, timeMs: context.nowMs, recipe: context.recipe, random: context.random, overrides: [{ field: 'amount', value: '2000.50', raw: true }] });
      if (!built.ok) throw new Error(built.error);
      return { headers: built.value.delivery.headers, body: built.value.delivery.body, description: 'a fresh payment.success, correctly signed, with "amount":2000.50 as a JSON number (trailing zero kept)' };
    },
  },
  {
    name: 'retry', kind: 'genuine', title: 'genuine, BlockATM retry', refusal: 'warn',
    why: 'BlockATM retries a delivery it thinks failed (a timeout, a lost answer) with the same body and a fresh time, and stops only on HTTP 200; refusing an order already handled keeps it retrying for a day',
    fix: 'treat a repeat of an order and status already handled as success: skip the side effects and answer 200 (to refuse replays, refuse a repeated signature and time, not a repeated order)',
    build: (context) => {
      const retry = buildDelivery({ event: 'Payment', body: context.genuine.body, webhookKey: context.webhookKey, timeMs: Math.max(context.nowMs, context.genuine.timeMs + 1), recipe: context.recipe });
      return { headers: retry.headers, body: retry.body, description: 'the genuine delivery\'s body again, re-signed with a fresh time, as BlockATM retries' };
    },
  },
  {
    name: 'missing-signature', kind: 'forgery', title: 'no signature header',
    why: 'anyone who finds the URL can post a "payment SUCCESS" without any signature',
    fix: `answer 401 when ${SIGNATURE_HEADER} is missing or empty; never skip verification because a header is absent`,
    build: (context) => {
      const delivery = genuineDelivery(context.webhookKey, context.nowMs, context.recipe, context.random);
      return { headers: withoutHeader(delivery.headers, SIGNATURE_HEADER), body: delivery.body, description: `a fresh payment.success with no ${SIGNATURE_HEADER} header` };
    },
  },
  {
    name: 'wrong-signature', kind: 'forgery', title: 'wrong signature',
    why: 'an endpoint that only checks that a signature is present accepts any made-up value',
    fix: VERIFY_FIX,
    build: (context) => {
      const delivery = genuineDelivery(context.webhookKey, context.nowMs, context.recipe, context.random);
      return { headers: { ...delivery.headers, [SIGNATURE_HEADER]: hmacHex('not-the-key', delivery.stringToSign) }, body: delivery.body, description: 'a payment.success whose signature is well-formed hex but not made with the Webhook key' };
    },
  },
  {
    name: 'tampered-body', kind: 'forgery', title: 'body changed after signing',
    why: 'an attacker who captures one genuine webhook can raise the amount or swap the order number if the body is not covered by the check',
    fix: 'compute the signature over the exact bytes received (the raw body, parsed losslessly), not over a re-serialised or partial object',
    build: (context) => {
      const delivery = genuineDelivery(context.webhookKey, context.nowMs, context.recipe, context.random);
      const body = delivery.body.replace(/"amount":"[^"]*"/, '"amount":"2000000.00"');
      return { headers: delivery.headers, body, description: 'a genuinely signed payment.success whose amount was changed to 2000000.00 after signing' };
    },
  },
  {
    name: 'wrong-key', kind: 'forgery', title: 'signed with the wrong key',
    why: 'the secret key (integration key) and the Webhook key are different; an endpoint that accepts both, or the wrong one, is not checking what BlockATM signs',
    fix: 'verify webhooks with the Webhook key only; the secret key signs your requests to BlockATM',
    build: (context) => signedAt(context, context.nowMs, `a payment.success correctly signed, but with ${context.wrongKey.name} instead of the Webhook key`, context.wrongKey.key),
  },
  {
    name: 'stale-timestamp', kind: 'forgery', title: 'timestamp an hour old',
    why: 'without a time window a captured genuine webhook can be replayed forever',
    fix: TIME_FIX,
    build: (context) => signedAt(context, context.nowMs - HOUR, `a payment.success correctly signed with ${TIME_HEADER} one hour in the past`),
  },
  {
    name: 'future-timestamp', kind: 'forgery', title: 'timestamp an hour in the future',
    why: 'a window that only checks age lets an attacker pre-date deliveries far into the future and replay them for hours',
    fix: TIME_FIX,
    build: (context) => signedAt(context, context.nowMs + HOUR, `a payment.success correctly signed with ${TIME_HEADER} one hour in the future`),
  },
  {
    name: 'seconds-timestamp', kind: 'forgery', title: 'timestamp in seconds',
    why: 'BlockATM-Request-Time is epoch milliseconds; an endpoint that takes seconds is comparing the wrong unit and its window is meaningless',
    fix: `treat ${TIME_HEADER} as epoch milliseconds and reject values that are not within the window (a value in seconds is 50 years old)`,
    build: (context) => signedAt(context, Math.floor(context.nowMs / 1000), `a payment.success correctly signed with ${TIME_HEADER} in seconds instead of milliseconds`),
  },
  {
    name: 'malformed-json', kind: 'forgery', title: 'malformed JSON',
    why: 'an endpoint that acknowledges a body it cannot parse may mark orders from garbage, or crash further in',
    fix: 'parse the body as JSON after verifying it and answer 400 when it is not one JSON object',
    build: (context) => {
      const delivery = genuineDelivery(context.webhookKey, context.nowMs, 'raw', context.random);
      const body = delivery.body.slice(0, -1) + ',"status":';
      const time = String(context.nowMs);
      return {
        headers: { ...delivery.headers, [SIGNATURE_HEADER]: hmacHex(context.webhookKey, `${body}&time=${time}`), [TIME_HEADER]: time },
        body,
        description: 'a truncated JSON body, signed with the Webhook key over its raw bytes',
      };
    },
  },
  {
    name: 'replay', kind: 'hygiene', title: 'exact replay',
    why: 'BlockATM does not promise replay protection, and retries resend the same order; processing one twice can ship goods twice',
    fix: 'a 200 here is right only if the order was not processed twice (check your logs); to make this pass, refuse a repeated signature and time with 401: BlockATM\'s own retries carry a fresh time',
    build: (context) => ({ headers: context.genuine.headers, body: context.genuine.body, description: 'the genuine delivery again, byte for byte, same signature and time' }),
  },
  {
    name: 'wrong-content-type', kind: 'hygiene', title: 'wrong content type',
    why: 'BlockATM always sends application/json; an endpoint that takes any type may parse bodies by a different path than the one you tested',
    fix: 'answer 415 (or 400) when Content-Type is not application/json',
    build: (context) => {
      const delivery = genuineDelivery(context.webhookKey, context.nowMs, context.recipe, context.random);
      return { headers: { ...withoutHeader(delivery.headers, 'Content-Type'), 'Content-Type': 'text/plain' }, body: delivery.body, description: 'a genuinely signed payment.success sent as text/plain' };
    },
  },
  {
    name: 'oversized-body', kind: 'hygiene', title: 'oversized body',
    why: 'BlockATM webhooks are under 1 KiB; an endpoint that reads any size into memory can be knocked over with a few large requests',
    fix: 'cap the body (64 KiB is plenty) and answer 413, or close the connection',
    build: (context) => {
      const base = genuineDelivery(context.webhookKey, context.nowMs, context.recipe, context.random);
      const payload = parseJsonLossless(base.body);
      if (!payload.ok || !isJsonObject(payload.value)) throw new Error('the sample payload is not a JSON object');
      // Signed from the object, not by re-parsing megabytes of padding.
      const padded: JsonObject = { ...payload.value, memo: 'x'.repeat(OVERSIZED_BYTES) };
      const body = serialiseEntries(Object.entries(padded));
      const time = String(context.nowMs);
      const stringToSign = context.recipe === 'raw' ? rawStringToSign(body, time) : withTime(canonicalFromObject(padded).canonical, time);
      const headers = { ...base.headers, [SIGNATURE_HEADER]: hmacHex(context.webhookKey, stringToSign) };
      return { headers, body, description: `a genuinely signed payment.success padded to ${OVERSIZED_BYTES / 1024 / 1024} MiB` };
    },
  },
];
