import { formatDuration } from './time.js';

export const SKEW_WARN_MS = 5_000;
/** BlockATM's default receive window (D6): past it, signed requests are refused. */
export const SKEW_FAIL_MS = 30_000;

export interface SkewSample {
  /** The server's Date header. */
  date: string;
  /** This machine's clock just before sending and just after the answer. */
  sentAtMs: number;
  receivedAtMs: number;
}

export interface SkewEstimate {
  /** Server clock minus this machine's: positive when this machine is behind. */
  skewMs: number;
  /** ± error: Date has 1 s resolution, plus half the round trip. */
  uncertaintyMs: number;
  serverDate: string;
}

/**
 * Estimates clock skew from an HTTP Date header. Date is truncated to the second, so the
 * server's time is taken as mid-second and compared with the middle of the round trip.
 */
export function estimateSkew(sample: SkewSample): SkewEstimate | undefined {
  const serverMs = Date.parse(sample.date);
  if (!Number.isFinite(serverMs)) return undefined;
  const localMid = (sample.sentAtMs + sample.receivedAtMs) / 2;
  const roundTrip = Math.max(0, sample.receivedAtMs - sample.sentAtMs);
  return { skewMs: Math.round(serverMs + 500 - localMid), uncertaintyMs: Math.round(500 + roundTrip / 2), serverDate: sample.date };
}

export interface SkewJudgement {
  status: 'pass' | 'warn' | 'fail';
  detail: string;
  hint: string;
}

/** Warn at 5 s, fail past BlockATM's 30 s window, and say which way this clock is off. */
export function judgeSkew(estimate: SkewEstimate): SkewJudgement {
  const off = Math.abs(estimate.skewMs);
  const amount = `${formatDuration(off)} (±${formatDuration(estimate.uncertaintyMs)})`;
  const way = estimate.skewMs > 0
    ? `this machine's clock is ${amount} behind BlockATM's (Date: ${estimate.serverDate}): its requests look old`
    : `this machine's clock is ${amount} ahead of BlockATM's (Date: ${estimate.serverDate}): its requests look like they come from the future, which BlockATM refuses beyond 1 s`;
  const hint = 'sync the clock with NTP (timedatectl set-ntp true, or w32tm /resync on Windows); inside a container or VM, sync the host';
  if (off > SKEW_FAIL_MS) return { status: 'fail', detail: `${way}; past the ${formatDuration(SKEW_FAIL_MS)} window every signed request is refused`, hint };
  if (off >= SKEW_WARN_MS) return { status: 'warn', detail: `${way}; within the ${formatDuration(SKEW_FAIL_MS)} window, but it eats into it`, hint };
  if (estimate.skewMs < -1_000 - estimate.uncertaintyMs) return { status: 'warn', detail: way, hint };
  return { status: 'pass', detail: `clocks agree: ${amount} apart (Date: ${estimate.serverDate})`, hint: '' };
}
