import type { DeliveryVerdict, IncomingDelivery } from './delivery.js';
import { diagnoseSignature, type NamedKey } from './diagnose.js';
import { SIGNATURE_HEADER, TIME_HEADER, type Recipe } from './webhook-signature.js';

export interface MismatchDoctorOptions {
  /** The Webhook key first, then the profile's other keys (secret key, API key). */
  keys: NamedKey[];
  recipe?: Recipe | 'auto';
  now: () => number;
  /** Larger bodies are not diagnosed (default 64 KiB). */
  maxBodyBytes?: number;
  /** At most this many diagnoses per second (default 3). */
  perSecond?: number;
}

export type MismatchDoctor = (request: IncomingDelivery, verdict: DeliveryVerdict) => string | null;

/**
 * The signature doctor for a listener: one line naming the mistake behind a delivery whose
 * signature did not match, or null. Small bodies only, a few per second: a flood of forgeries
 * must not turn the listener into a CPU sink.
 */
export function createMismatchDoctor(options: MismatchDoctorOptions): MismatchDoctor {
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const perSecond = options.perSecond ?? 3;
  let windowStart = -Infinity;
  let used = 0;
  return (request, verdict) => {
    if (verdict.verified || verdict.httpStatus !== 401 || verdict.recipe !== null) return null;
    if (!verdict.tried.some((attempt) => attempt.stringToSign !== null)) return null;
    if (request.body.length >= maxBodyBytes) return null;
    const signature = request.headers[SIGNATURE_HEADER.toLowerCase()]?.[0]?.trim();
    const time = request.headers[TIME_HEADER.toLowerCase()]?.[0]?.trim();
    if (!signature || !time) return null;
    const now = options.now();
    if (now - windowStart >= 1000) {
      windowStart = now;
      used = 0;
    }
    if (used >= perSecond) return null;
    used += 1;
    const diagnosis = diagnoseSignature({ rawBody: request.body.toString('utf8'), time, signature, keys: options.keys, recipe: options.recipe });
    return diagnosis.explained ? diagnosis.summary : null;
  };
}
