export interface RateDecision {
  verdict: 'ok' | 'limited' | 'blocked';
  limit: number;
  remaining: number;
  /** When the current window ends, epoch ms. */
  resetAtMs: number;
}

export interface RateLimiter {
  check(key: string, nowMs: number): RateDecision;
}

/**
 * BlockATM's rate limit (D9): `limit` requests per minute per key, then HTTP 429; a client that
 * keeps going through another `limit` requests in the same minute is blocked (HTTP 418) until
 * the window ends. Fixed one-minute windows, started by each key's first request.
 */
export function createRateLimiter(limit: number, windowMs = 60_000, maxKeys = 10_000): RateLimiter {
  const windows = new Map<string, { startMs: number; count: number }>();
  return {
    check(key, nowMs) {
      let entry = windows.get(key);
      if (!entry || nowMs - entry.startMs >= windowMs || nowMs < entry.startMs) {
        if (!entry && windows.size >= maxKeys) evictExpired(windows, nowMs, windowMs, maxKeys);
        entry = { startMs: nowMs, count: 0 };
        windows.set(key, entry);
      }
      entry.count += 1;
      const resetAtMs = entry.startMs + windowMs;
      const remaining = Math.max(0, limit - entry.count);
      if (entry.count <= limit) return { verdict: 'ok', limit, remaining, resetAtMs };
      return { verdict: entry.count <= 2 * limit ? 'limited' : 'blocked', limit, remaining, resetAtMs };
    },
  };
}

function evictExpired(windows: Map<string, { startMs: number }>, nowMs: number, windowMs: number, maxKeys: number): void {
  for (const [key, entry] of windows) if (nowMs - entry.startMs >= windowMs) windows.delete(key);
  // Still full: drop the oldest keys (Map keeps insertion order), so memory stays bounded.
  for (const key of windows.keys()) {
    if (windows.size < maxKeys) break;
    windows.delete(key);
  }
}
