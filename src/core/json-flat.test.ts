import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalFromBody } from './canonical.js';
import { describeFlatPayload, describePayload, verifyDelivery } from './delivery.js';
import { flatCanonical, parseFlatObject, scanFlatObject } from './json-flat.js';
import { isJsonObject, isLosslessNumber, parseJsonChecked, parseJsonCheckedFully } from './json.js';
import { signWebhook } from './webhook-signature.js';

// The fast path must be invisible: for any text, parseJsonChecked (fast path first) and the full
// lossless-json path give the same value, the same error and the same duplicate key.
const space = fc.constantFrom('', ' ', '\n', '\t', '\r\n', '  ', '\u00a0', '\f');
const keyText = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: fc.constantFrom('a', 'b', 'é', '中', '\u{1F600}', '\ud800', '"', '\\', '\n', '\u0001'), maxLength: 4 }),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'amount', 'orderNo', '1', '01', 'a', ''),
);
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('2000.00', '-0', '0.0', '1e5', '1E+5', '1e-7', '9007199254740993', '01', '1.', '.5', '-', '+1', '1e', '0x10', 'NaN', 'Infinity'),
);
const stringText = fc.oneof(
  fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
  fc.string({ maxLength: 8 }).map((s) => `"${s}"`),
  keyText.map((s) => `"${s}"`),
);
const value = fc.oneof(stringText, numberText, fc.constantFrom('true', 'false', 'null', 'tru', 'nulls', '[]', '{}', '[1,2]', '{"a":1}', '"\\u0041"'));
const entry = fc.tuple(fc.oneof(keyText.map((k) => JSON.stringify(k)), keyText.map((k) => `"${k}"`)), space, space, value, space);
const flatText = fc
  .tuple(space, fc.array(entry, { maxLength: 6 }), space, fc.constantFrom('', '', ',', 'x', '}', ' '), fc.boolean())
  .map(([lead, entries, trail, junk, dup]) => {
    const parts = entries.map(([k, a, b, v, c]) => `${k}${a}:${b}${v}${c}`);
    if (dup && parts.length > 0) parts.push(parts[0]!);
    return `${lead}{${parts.join(',')}}${trail}${junk}`;
  });
const anyText = fc.oneof(flatText, fc.json(), fc.string({ maxLength: 30 }), flatText.map((t) => t.slice(0, Math.floor(t.length / 2))));

/** A plain description of a parse result (own keys in order, prototypes, number text), for comparing. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return ['array', value.map(shape)];
  if (isLosslessNumber(value)) return ['number', value.value];
  if (typeof value === 'object' && value !== null) {
    const proto = Object.getPrototypeOf(value) === Object.prototype ? 'Object' : 'other';
    return [proto, Object.keys(value).map((key) => [key, shape((value as Record<string, unknown>)[key])])];
  }
  return value;
}

function same(text: string): void {
  const fast = parseJsonChecked(text);
  const full = parseJsonCheckedFully(text);
  expect(fast.ok ? { ok: true, value: shape(fast.value) } : fast).toStrictEqual(full.ok ? { ok: true, value: shape(full.value) } : full);
}

describe('parseFlatObject (flat-object fast path)', () => {
  it('reads a BlockATM payment body with numbers kept as written', () => {
    const body = '{"orderNo":"O1","amount":"2000.00","fee":1.10,"paid":true,"memo":null}';
    const full = parseJsonCheckedFully(body);
    expect(full.ok).toBe(true);
    expect(parseFlatObject(body)).toStrictEqual(full.ok ? full.value : undefined);
  });

  it('defers duplicate keys, __proto__, escapes and nesting to the full parser', () => {
    for (const text of ['{"a":1,"a":1}', '{"__proto__":{}}', '{"__proto__":1}', '{"a":"\\n"}', '{"a":[1]}', '{"a":{"b":1}}', '{"a":1}x', '[1]', '{"a":01}']) {
      expect(parseFlatObject(text)).toBeUndefined();
      same(text);
    }
  });

  it('gives the same value, error and duplicate key as lossless-json for generated texts', () => {
    fc.assert(fc.property(anyText, same), { numRuns: 3000 });
  });

  it('gives the same canonical string to sign as the full parser', () => {
    fc.assert(
      fc.property(flatText, (text) => {
        const full = parseJsonCheckedFully(text);
        expect(canonicalFromBody(text)).toStrictEqual(canonicalFromBody(text, full));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads straight into a canonical string and payload fields equal to those of the parsed object', () => {
    const payment = '{"status":"SUCCESS","amount":2000.00,"orderNo":"O1","memo":null,"Zeta":"z","id":8210,"ok":true}';
    fc.assert(
      fc.property(fc.oneof(flatText, fc.constant(payment)), fc.constantFrom(undefined, 'Payment', 'Payout', 'Other'), (text, eventHeader) => {
        const flat = scanFlatObject(text);
        const full = parseJsonCheckedFully(text);
        if (flat === undefined || !full.ok || !isJsonObject(full.value)) return;
        const canonical = canonicalFromBody(text, full);
        expect(canonical.ok && canonical.value.canonical).toBe(flatCanonical(flat));
        expect(describeFlatPayload(flat, eventHeader)).toStrictEqual(describePayload(full.value, eventHeader));
      }),
      { numRuns: 2000 },
    );
    expect(flatCanonical(scanFlatObject(payment)!)).toBe('Zeta=z&amount=2000.00&id=8210&ok=true&orderNo=O1&status=SUCCESS');
  });

  it('gives the same delivery verdict as the full parser', () => {
    fc.assert(
      fc.property(flatText, (generated) => {
        // What a listener sees: the text as it survives a UTF-8 round trip.
        const text = Buffer.from(generated).toString('utf8');
        const time = '1764140000000';
        const signed = signWebhook(text, time, 'key');
        const signature = signed.ok ? signed.value.signature : '0'.repeat(64);
        const request = { method: 'POST', headers: { 'blockatm-signature-v2': [signature], 'blockatm-request-time': [time], 'content-type': ['application/json'] }, body: Buffer.from(text) };
        const policy = { webhookKey: 'key', nowMs: 1764140000000, toleranceMs: 300_000 };
        const fast = verifyDelivery(request, policy);
        const full = parseJsonCheckedFully(text);
        expect(fast.verified).toBe(full.ok && typeof full.value === 'object' && full.value !== null && !Array.isArray(full.value));
        expect(fast.reason).toBe(full.ok ? fast.reason : `the body is not acceptable JSON: ${full.error}`);
      }),
      { numRuns: 1000 },
    );
  });
});
