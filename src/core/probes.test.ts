import { describe, expect, it } from 'vitest';
import { gradeCase } from './probes.js';
import type { ProbeKind } from './probe-cases.js';
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
