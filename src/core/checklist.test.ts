import { describe, expect, it } from 'vitest';
import { redact, secretsOf, STEPS } from './checklist.js';

describe('checklist', () => {
  it('lists the eight documented steps in order', () => {
    expect(STEPS.map((step) => step.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(STEPS.every((step) => step.title.length > 10 && step.gradedBy.length > 10)).toBe(true);
  });

  it('replaces every secret in a step result, wherever it appears', () => {
    const secrets = secretsOf({ baseUrl: 'x', signatureVersion: 'v2', secretKey: 'sk_live_abcdef123456', webhookKey: 'whk_live_abcdef123456', apiKey: '' });
    expect(secrets).toEqual(['sk_live_abcdef123456', 'whk_live_abcdef123456']);
    const result = redact({ step: 1, title: 't', status: 'fail', detail: 'got sk_live_abcdef123456 twice: sk_live_abcdef123456', hint: 'use whk_live_abcdef123456', durationMs: 1 }, secrets);
    expect(result.detail).toBe('got [redacted] twice: [redacted]');
    expect(result.hint).toBe('use [redacted]');
  });
});
