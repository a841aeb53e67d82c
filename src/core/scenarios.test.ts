import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { applyOverrides, buildScenario, parseOverride, serialiseEntries, SCENARIO_NAMES, type FieldOverride } from './scenarios.js';
import { parseJsonLossless, type JsonObject, type JsonValue } from './json.js';

const fixedRandom = (bytes: number): string => 'ab'.repeat(bytes);
function entries(json: string): [string, JsonValue][] {
  const parsed = parseJsonLossless(json);
  if (!parsed.ok) throw new Error(parsed.error);
  return Object.entries(parsed.value as JsonObject);
}
const override = (text: string): FieldOverride => {
  const parsed = parseOverride(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
};

describe('parseOverride', () => {
  it('reads field=value and field:=json', () => {
    expect(parseOverride('amount=12.50')).toEqual({ ok: true, value: { field: 'amount', value: '12.50', raw: false } });
    expect(parseOverride('amount:=12.50')).toEqual({ ok: true, value: { field: 'amount', value: '12.50', raw: true } });
    expect(parseOverride('memo=a=b')).toEqual({ ok: true, value: { field: 'memo', value: 'a=b', raw: false } });
    expect(parseOverride('memo=')).toEqual({ ok: true, value: { field: 'memo', value: '', raw: false } });
  });

  it.each(['novalue', '=x', ':=1', 'a b=1', 'a:b=1'])('rejects %j', (text) => {
    expect(parseOverride(text).ok).toBe(false);
  });
});

describe('applyOverrides', () => {
  const base = entries('{"id":8210003616,"amount":"2000.00","status":"SUCCESS"}');

  it('types a plain value like the field it replaces, and keeps field order', () => {
    const result = applyOverrides(base, [override('id=42'), override('amount=7'), override('status=9')]);
    expect(result.ok && serialiseEntries(result.value.entries)).toBe('{"id":42,"amount":"7","status":"9"}');
  });

  it('keeps number text exactly as written and takes raw JSON with :=', () => {
    const result = applyOverrides(base, [override('id=1.50'), override('amount:=2000.00'), override('extra:=null'), override('flag:=true')]);
    expect(result.ok && serialiseEntries(result.value.entries)).toBe('{"id":1.50,"amount":2000.00,"status":"SUCCESS","extra":null,"flag":true}');
    expect(result.ok && result.value.notes).toHaveLength(2);
  });

  it('refuses a non-number for a number field and bad JSON after :=', () => {
    expect(applyOverrides(base, [override('id=abc')])).toMatchObject({ ok: false, error: expect.stringContaining('id is a number') });
    expect(applyOverrides(base, [override('id=01')]).ok).toBe(false);
    expect(applyOverrides(base, [override('amount:={')]).ok).toBe(false);
    expect(applyOverrides(base, [override('amount:={"a":1,"a":2}')]).ok).toBe(false);
  });

  it('treats __proto__ as an ordinary key', () => {
    const result = applyOverrides(base, [override('__proto__=x')]);
    expect(result.ok && serialiseEntries(result.value.entries)).toContain('"__proto__":"x"');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('buildScenario', () => {
  it.each(SCENARIO_NAMES)('%s is signed with the Webhook key over the sorted fields', (scenario) => {
    const built = buildScenario({ scenario, webhookKey: 'whk_unit_12345678', timeMs: 1_764_000_000_000, random: fixedRandom });
    if (!built.ok) throw new Error(built.error);
    const { body, headers, stringToSign } = built.value.delivery;
    const object = JSON.parse(body) as Record<string, unknown>;
    const expected = `${Object.keys(object).sort().map((key) => `${key}=${String(object[key])}`).join('&')}&time=1764000000000`;
    expect(stringToSign).toBe(expected);
    expect(headers['BlockATM-Signature-V2']).toBe(createHmac('sha256', 'whk_unit_12345678').update(expected).digest('hex'));
    expect(headers['BlockATM-Event']).toBe(scenario.startsWith('payment') ? 'Payment' : 'Payout');
  });

  it('refuses --int-status for payouts', () => {
    expect(buildScenario({ scenario: 'payout.success', webhookKey: 'k'.repeat(10), timeMs: 1, intStatus: true }).ok).toBe(false);
  });
});
