import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.js';

describe('createRateLimiter', () => {
  it('allows the limit, then limits, then blocks, per key and per minute', () => {
    const limiter = createRateLimiter(2);
    const verdicts = Array.from({ length: 6 }, () => limiter.check('a', 1_000).verdict);
    expect(verdicts).toEqual(['ok', 'ok', 'limited', 'limited', 'blocked', 'blocked']);
    expect(limiter.check('b', 1_000).verdict).toBe('ok');
    expect(limiter.check('a', 60_999).verdict).toBe('blocked');
    expect(limiter.check('a', 61_000)).toMatchObject({ verdict: 'ok', remaining: 1, resetAtMs: 121_000 });
  });

  it('stays bounded in memory', () => {
    const limiter = createRateLimiter(1, 60_000, 3);
    for (let i = 0; i < 10; i++) expect(limiter.check(`k${i}`, 0).verdict).toBe('ok');
    expect(limiter.check('k9', 0).verdict).toBe('limited');
  });
});
