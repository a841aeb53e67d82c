import { describe, expect, it } from 'vitest';
import type { CapturedDelivery } from './capture.js';
import { verifyDelivery } from './delivery.js';
import { applyFieldEdits, parseFieldEdit, type FieldEdit } from './payload-edit.js';
import { planReplay } from './replay.js';
import { signWebhook } from './webhook-signature.js';

const KEY = 'whk_unit_0123456789abcdef';
const BODY = '{"orderNo":"O1","amount":"2000.00","status":9,"fee":1.50,"paid":true}';
const edit = (text: string): FieldEdit => {
  const parsed = parseFieldEdit(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
};

function capture(timeMs: number, body = BODY): CapturedDelivery {
  const signed = signWebhook(body, String(timeMs), KEY);
  if (!signed.ok) throw new Error(signed.error);
  return {
    id: '20261126T070102-a1b2', receivedAt: new Date(timeMs).toISOString(), method: 'POST', path: '/hook',
    headers: { host: ['127.0.0.1:1'], 'content-length': ['71'], 'content-type': ['application/json'], 'blockatm-signature-v2': [signed.value.signature], 'blockatm-request-time': [String(timeMs)], 'blockatm-event': ['Payment'], 'x-trace': ['a', 'b'] },
    body, bodyEncoding: 'utf8', verdict: { verified: true, httpStatus: 200, reason: 'verified', recipe: 'sorted', event: 'Payment', status: 'SUCCESS' },
  };
}

describe('--set edits', () => {
  it('keep each field\'s JSON type and every other number as written', () => {
    const edited = applyFieldEdits(BODY, [edit('amount=1.10'), edit('status=-1'), edit('paid=false'), edit('note=hello world')]);
    expect(edited).toMatchObject({ ok: true, value: { body: '{"orderNo":"O1","amount":"1.10","status":-1,"fee":1.50,"paid":false,"note":"hello world"}' } });
    expect(edited.ok && edited.value.applied[0]).toEqual({ field: 'amount', from: '"2000.00"', to: '"1.10"' });
  });

  it('take raw JSON with field:=, and refuse a value of the wrong type', () => {
    expect(applyFieldEdits(BODY, [edit('status:="SUCCESS"'), edit('extra:=null')])).toMatchObject({ ok: true, value: { body: '{"orderNo":"O1","amount":"2000.00","status":"SUCCESS","fee":1.50,"paid":true,"extra":null}' } });
    expect(applyFieldEdits(BODY, [edit('status=paid')])).toMatchObject({ ok: false, error: expect.stringContaining('not a number') });
    expect(applyFieldEdits(BODY, [edit('x:={')])).toMatchObject({ ok: false, error: expect.stringContaining('JSON value') });
    expect(parseFieldEdit('novalue').ok).toBe(false);
    expect(parseFieldEdit('=x').ok).toBe(false);
  });

  it('treat __proto__ as an ordinary field', () => {
    const edited = applyFieldEdits('{"a":1}', [edit('__proto__=x')]);
    expect(edited).toMatchObject({ ok: true, value: { body: '{"a":1,"__proto__":"x"}' } });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('planReplay', () => {
  const now = 1_764_140_000_000;

  it('as captured: same method, headers (duplicates kept) and body bytes, minus connection headers', () => {
    const plan = planReplay(capture(now - 1000), { edits: [], nowMs: now });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.value.mode).toBe('as-captured');
    expect(plan.value.body.toString()).toBe(BODY);
    expect(plan.value.headers).not.toHaveProperty('host');
    expect(plan.value.headers).not.toHaveProperty('content-length');
    expect(plan.value.headers['x-trace']).toEqual(['a', 'b']);
    expect(plan.value.warnings).toEqual([]);
  });

  it('warns that an old delivery will be rejected as stale', () => {
    const plan = planReplay(capture(now - 3_600_000), { edits: [], nowMs: now });
    expect(plan.ok && plan.value.warnings[0]).toContain('--resign');
  });

  it('re-signs an edited body with a fresh time so a correct endpoint verifies it', () => {
    const plan = planReplay(capture(now - 3_600_000), { edits: [edit('amount=5.00')], resign: { webhookKey: KEY, timeMs: now, recipe: 'sorted' }, nowMs: now });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.value).toMatchObject({ mode: 're-signed', time: String(now), recipe: 'sorted' });
    const headers = Object.fromEntries(Object.entries(plan.value.headers).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
    const verdict = verifyDelivery({ method: 'POST', headers, body: plan.value.body }, { webhookKey: KEY, nowMs: now, toleranceMs: 300_000 });
    expect(verdict).toMatchObject({ verified: true, amount: '5.00' });
    expect(planReplay(capture(now), { edits: [edit('amount=5.00')], nowMs: now }).ok).toBe(false);
  });

  it('refuses to re-sign a body that is not UTF-8', () => {
    const binary = { ...capture(now), body: Buffer.from([0xff, 0xfe]).toString('base64'), bodyEncoding: 'base64' as const };
    expect(planReplay(binary, { edits: [], resign: { webhookKey: KEY, timeMs: now, recipe: 'sorted' }, nowMs: now })).toMatchObject({ ok: false });
    expect(planReplay(binary, { edits: [], nowMs: now }).ok).toBe(true);
  });
});
