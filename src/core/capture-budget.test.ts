import { describe, expect, it } from 'vitest';
import { createCaptureBudget } from './capture-budget.js';

function takes(budget: ReturnType<typeof createCaptureBudget>, nowMs: number, count: number): boolean[] {
  return Array.from({ length: count }, () => budget.take(nowMs));
}

describe('createCaptureBudget', () => {
  it('allows a burst at once, then refuses until time refills it', () => {
    const budget = createCaptureBudget(10, 3);
    expect(takes(budget, 1_000, 4)).toEqual([true, true, true, false]);
    // 10 a second: one more every 100 ms.
    expect(budget.take(1_050)).toBe(false);
    expect(takes(budget, 1_100, 2)).toEqual([true, false]);
    expect(takes(budget, 1_300, 3)).toEqual([true, true, false]);
  });

  it('never holds more than its burst, however long it was idle', () => {
    const budget = createCaptureBudget(1000, 5);
    expect(takes(budget, 0, 5).every(Boolean)).toBe(true);
    expect(takes(budget, 3_600_000, 6)).toEqual([true, true, true, true, true, false]);
  });

  it('saves about perSecond a second under a sustained flood', () => {
    const budget = createCaptureBudget(1000);
    let saved = 0;
    // 20,000 deliveries a second for 5 seconds, one per 50 µs.
    for (let n = 0; n < 100_000; n += 1) if (budget.take(n * 0.05)) saved += 1;
    expect(saved).toBeGreaterThanOrEqual(1000 + 4 * 1000);
    expect(saved).toBeLessThanOrEqual(1000 + 5 * 1000 + 1);
  });

  it('refills nothing when the clock steps back', () => {
    const budget = createCaptureBudget(10, 1);
    expect(budget.take(5_000)).toBe(true);
    expect(budget.take(1_000)).toBe(false);
    expect(budget.take(4_999)).toBe(false);
    expect(budget.take(5_100)).toBe(true);
  });

  it('with no rate saves only its first burst', () => {
    const budget = createCaptureBudget(0, 2);
    expect(takes(budget, 0, 3)).toEqual([true, true, false]);
    expect(budget.take(10_000_000)).toBe(false);
  });
});
