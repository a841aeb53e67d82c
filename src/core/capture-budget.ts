/** Whether a delivery may be saved now. */
export interface CaptureBudget {
  /** Spends one capture if one is left at `nowMs`; false when the budget is used up. */
  take(nowMs: number): boolean;
}

/**
 * A token bucket for captures: up to `perSecond` a second on average, and a burst of `burst` at
 * once. The captures folder keeps only the newest 1000, so under a flood saving every delivery
 * would write files that are removed within the second; the budget keeps the disk work (and
 * its cost per request) bounded while every quiet run still saves everything. A clock that steps
 * back refills nothing.
 */
export function createCaptureBudget(perSecond: number, burst = perSecond): CaptureBudget {
  const capacity = Math.max(1, burst);
  const perMs = Math.max(0, perSecond) / 1000;
  let tokens = capacity;
  let lastMs = Number.NEGATIVE_INFINITY;
  return {
    take(nowMs) {
      if (nowMs > lastMs) {
        tokens = lastMs === Number.NEGATIVE_INFINITY ? capacity : Math.min(capacity, tokens + (nowMs - lastMs) * perMs);
        lastMs = nowMs;
      }
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
