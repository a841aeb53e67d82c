import { describe, expect, it } from 'vitest';
import { rejectedVerdict, type DeliveryVerdict } from './delivery.js';
import { deliveryEvent, deliveryHint, deliveryPassed, summariseListen, type DeliveryReport, type ForwardResult } from './listen.js';

const verified: DeliveryVerdict = { ...rejectedVerdict(401, ''), verified: true, httpStatus: 200, reason: 'verified', recipe: 'sorted', event: 'Payment', status: 'SUCCESS' };

function report(verdict: DeliveryVerdict, forward: Partial<ForwardResult> | null = null): DeliveryReport {
  return {
    id: 'x', receivedAt: '2026-01-01T00:00:00.000Z', method: 'POST', path: '/webhook', answered: verdict.httpStatus, latencyMs: 1, verdict, captureId: null, diagnosis: null,
    forward: forward && { url: 'http://127.0.0.1:3000/hook', status: 200, body: '', latencyMs: 1, error: null, contentType: null, ...forward },
  };
}

describe('listen outcome', () => {
  const good = report(verified);
  const bad = report(rejectedVerdict(401, 'signature mismatch'));

  it('exits as PRODUCT.md says for count, timeout and interrupt', () => {
    expect(summariseListen([good, good], 'count', true).exitCode).toBe(0);
    expect(summariseListen([good, bad], 'count', true).exitCode).toBe(1);
    expect(summariseListen([good], 'timeout', true).exitCode).toBe(3);
    expect(summariseListen([], 'timeout', false).exitCode).toBe(3);
    expect(summariseListen([good], 'timeout', false).exitCode).toBe(0);
    expect(summariseListen([bad], 'timeout', false).exitCode).toBe(1);
    expect(summariseListen([good], 'interrupted', false).exitCode).toBe(130);
    expect(summariseListen([good, bad], 'interrupted', false)).toMatchObject({ exitCode: 1, received: 2, passed: 1, failed: 1, unsaved: 0 });
    expect(summariseListen({ received: 5, passed: 5, unsaved: 2 }, 'interrupted', false)).toEqual({ type: 'summary', end: 'interrupted', received: 5, passed: 5, failed: 0, unsaved: 2, exitCode: 130 });
  });

  it('fails a verified delivery the app did not accept, and warns when the app accepts a forgery', () => {
    expect(deliveryPassed(report(verified, { status: 200 }))).toBe(true);
    expect(deliveryPassed(report(verified, { status: 500 }))).toBe(false);
    const forgeryAccepted = report(rejectedVerdict(401, 'signature mismatch'), { status: 200 });
    expect(deliveryEvent(forgeryAccepted, '/webhook').warnings).toEqual([expect.stringMatching(/must reject it with 401/)]);
  });

  it('tells a time problem from a key problem', () => {
    const stale = report(rejectedVerdict(401, 'timestamp is stale', { recipe: 'sorted' }));
    expect(deliveryHint(stale, '/webhook')).toMatch(/clock/);
    const mismatch = report(rejectedVerdict(401, 'signature mismatch', { tried: [{ recipe: 'sorted', stringToSign: 'a=1&time=1' }] }));
    expect(deliveryHint(mismatch, '/webhook')).toMatch(/Webhook key/);
    expect(deliveryHint(report(rejectedVerdict(404, 'nothing')), '/webhook')).toMatch(/--path/);
    expect(deliveryHint(good, '/webhook')).toBeNull();
  });

  it('puts the PRODUCT.md fields in every delivery event', () => {
    expect(deliveryEvent(good, '/webhook')).toMatchObject({ type: 'delivery', verified: true, recipe: 'sorted', event: 'Payment', status: 'SUCCESS', reason: 'verified' });
  });
});
