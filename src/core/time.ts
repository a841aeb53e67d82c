import { fail, ok, type Result } from './result.js';

/** Epoch milliseconds below this are almost certainly seconds (1e11 ms is March 1973). */
const SECONDS_THRESHOLD = 100_000_000_000;

/** Parses a BlockATM-Request-Time value: a decimal integer of epoch milliseconds. */
export function parseRequestTime(text: string | undefined): Result<number> {
  if (text === undefined || text.trim() === '') return fail('missing');
  const trimmed = text.trim();
  if (!/^\d{1,16}$/.test(trimmed)) return fail(`"${trimmed.slice(0, 40)}" is not an integer of epoch milliseconds`);
  return ok(Number(trimmed));
}

/** True for a value that reads as epoch seconds (2001 to 5138), the usual unit mistake. */
export function looksLikeSeconds(timeMs: number): boolean {
  return timeMs >= 1_000_000_000 && timeMs < SECONDS_THRESHOLD;
}

export type TimeVerdict =
  | { ok: true; ageMs: number }
  | { ok: false; kind: 'stale' | 'future' | 'seconds'; ageMs: number; reason: string };

/**
 * Judges a signed time against a clock: stale, from the future, or in seconds rather than
 * milliseconds are three different mistakes, and each gets its own words.
 */
export function judgeTime(timeMs: number, nowMs: number, toleranceMs: number, futureToleranceMs = toleranceMs): TimeVerdict {
  const ageMs = nowMs - timeMs;
  if (timeMs < SECONDS_THRESHOLD && Math.abs(nowMs - timeMs * 1000) < 86_400_000 * 365) {
    return { ok: false, kind: 'seconds', ageMs, reason: `timestamp ${timeMs} is in seconds; BlockATM-Request-Time is epoch milliseconds` };
  }
  if (ageMs > toleranceMs) {
    return { ok: false, kind: 'stale', ageMs, reason: `timestamp is stale: ${formatDuration(ageMs)} old, beyond the ${formatDuration(toleranceMs)} window` };
  }
  if (-ageMs > futureToleranceMs) {
    return { ok: false, kind: 'future', ageMs, reason: `timestamp is from the future: ${formatDuration(-ageMs)} ahead of this clock (allowed ${formatDuration(futureToleranceMs)})` };
  }
  return { ok: true, ageMs };
}

/** A duration for people: "640 ms", "1.5 s", "2 min", "3.2 h", "4 days" (one decimal at most). */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(abs)} ms`;
  // Rounded arithmetically rather than through toFixed: a listener formats one per delivery.
  if (abs < 120_000) return `${Math.round(abs / 100) / 10} s`;
  if (abs < 7_200_000) return `${Math.round(abs / 6_000) / 10} min`;
  if (abs < 172_800_000) return `${Math.round(abs / 360_000) / 10} h`;
  return `${Math.round(abs / 8_640_000) / 10} days`;
}
