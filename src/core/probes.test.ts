import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { gradeCase } from './probes.js';
import { genuineDelivery, PROBE_CASES, type ProbeKind } from './probe-cases.js';
import type { SendOutcome } from './send.js';

const answer = (status: number): SendOutcome => ({ ok: true, response: { status, body: 'x', latencyMs: 3 } });
const failure = (kind: string): SendOutcome => ({ ok: false, failure: { kind, message: `${kind} happened`, hint: `${kind} hint` }, latencyMs: 10 });
const spec = (kind: ProbeKind, name: string = kind) => ({ name, kind, title: name, why: 'why', fix: 'the fix' });
const request = { headers: {}, body: '{}', description: 'd' };
const grade = (kind: ProbeKind, outcome: SendOutcome, name?: string) => gradeCase(spec(kind, name), request, outcome).status;

describe('gradeCase', () => {
  it('needs exactly 200 for the genuine delivery', () => {
    expect(grade('genuine', answer(200))).toBe('pass');
    expect(grade('genuine', answer(204))).toBe('fail');
    expect(grade('genuine', answer(401))).toBe('fail');
    expect(grade('genuine', failure('reset'))).toBe('fail');
  });

  it('says what a refused genuine delivery usually means, by status', () => {
    expect(gradeCase(spec('genuine'), request, answer(401)).hint).toContain('Webhook key (not the secret key)');
    expect(gradeCase(spec('genuine'), request, answer(500)).hint).toContain('check its logs');
  });

  it('warns when a genuine variant is refused with 4xx, and still fails it on 5xx or a hang', () => {
    const variant = { ...spec('genuine', 'number-amount'), refusal: 'warn' as const };
    expect(gradeCase(variant, request, answer(200)).status).toBe('pass');
    expect(gradeCase(variant, request, answer(401)).status).toBe('warn');
    expect(gradeCase(variant, request, answer(500)).status).toBe('fail');
    expect(gradeCase(variant, request, failure('timeout')).status).toBe('fail');
  });

  it('fails a forgery on any 2xx, passes 4xx, warns on 5xx and on a dropped connection', () => {
    expect(grade('forgery', answer(200))).toBe('fail');
    expect(grade('forgery', answer(202))).toBe('fail');
    expect(grade('forgery', answer(401))).toBe('pass');
    expect(grade('forgery', answer(400))).toBe('pass');
    expect(grade('forgery', answer(500))).toBe('warn');
    expect(grade('forgery', failure('reset'))).toBe('warn');
    expect(grade('forgery', failure('timeout'))).toBe('fail');
  });

  it('warns when hygiene cases are accepted, fails only on 5xx or a hang', () => {
    expect(grade('hygiene', answer(200))).toBe('warn');
    expect(grade('hygiene', answer(409))).toBe('pass');
    expect(grade('hygiene', answer(413))).toBe('pass');
    expect(grade('hygiene', answer(503))).toBe('fail');
    expect(grade('hygiene', failure('timeout'))).toBe('fail');
    expect(grade('hygiene', failure('reset'), 'oversized-body')).toBe('pass');
  });

  it('gives a hint only when the case did not pass, and keeps the evidence', () => {
    const passed = gradeCase(spec('forgery'), request, answer(401));
    expect(passed.hint).toBe('');
    expect(passed.got).toEqual({ status: 401, body: 'x', latencyMs: 3 });
    const failed = gradeCase(spec('forgery'), request, answer(200));
    expect(failed.hint).toBe('the fix');
    expect(failed.detail).toBe('accepted a forgery with HTTP 200');
  });
});

describe('probe cases', () => {
  const key = 'whk_unit_case_key_1';
  const nowMs = 1_764_000_000_000;
  const sorted = (body: string, time: string): string => {
    const object = JSON.parse(body) as Record<string, unknown>;
    return `${Object.keys(object).sort().map((name) => `${name}=${String(object[name])}`).join('&')}&time=${time}`;
  };
  const context = { webhookKey: key, wrongKey: { key: 'sk_unit_secret_key', name: 'the secret key' }, nowMs, recipe: 'sorted' as const, genuine: genuineDelivery(key, nowMs, 'sorted') };
  const built = Object.fromEntries(PROBE_CASES.map((spec) => [spec.name, spec.build(context)]));
  const signatureOf = (name: string) => built[name]!.headers['BlockATM-Signature-V2'];
  const timeOf = (name: string) => built[name]!.headers['BlockATM-Request-Time']!;

  it.each(['genuine', 'replay', 'wrong-content-type', 'oversized-body', 'stale-timestamp', 'future-timestamp', 'seconds-timestamp'])('%s carries a valid signature for its own time', (name) => {
    expect(signatureOf(name)).toBe(createHmac('sha256', key).update(sorted(built[name]!.body, timeOf(name))).digest('hex'));
  });

  it('sets the times an hour away and in seconds', () => {
    expect(Number(timeOf('stale-timestamp'))).toBe(nowMs - 3_600_000);
    expect(Number(timeOf('future-timestamp'))).toBe(nowMs + 3_600_000);
    expect(Number(timeOf('seconds-timestamp'))).toBe(nowMs / 1000);
  });

  it('makes each forgery invalid in exactly its own way', () => {
    expect(built['missing-signature']!.headers).not.toHaveProperty('BlockATM-Signature-V2');
    expect(signatureOf('wrong-key')).toBe(createHmac('sha256', 'sk_unit_secret_key').update(sorted(built['wrong-key']!.body, timeOf('wrong-key'))).digest('hex'));
    expect(built['tampered-body']!.body).toContain('"amount":"2000000.00"');
    expect(() => JSON.parse(built['malformed-json']!.body)).toThrow();
    expect(built['replay']).toEqual({ ...built['genuine'], description: built['replay']!.description });
    expect(built['wrong-content-type']!.headers['Content-Type']).toBe('text/plain');
    expect(Buffer.byteLength(built['oversized-body']!.body)).toBeGreaterThan(4 * 1024 * 1024);
  });
});
