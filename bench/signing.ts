import { createHmac } from 'node:crypto';
import { samplePayment, serialisePayload } from '../src/core/webhook-payload.js';
import { signWebhook, verifyWebhookSignature } from '../src/core/webhook-signature.js';
import { round, type Figure } from './stats.js';

const KEY = 'bench-webhook-key-0123456789';
const TIME = '1743060268000';

/** Operations per second of `work`, run in slices of `sliceMs` for about `totalMs`; best slice wins. */
function opsPerSecond(work: () => unknown, sliceMs: number, slices: number): number[] {
  const rates: number[] = [];
  for (let s = 0; s < slices; s++) {
    let count = 0;
    const start = performance.now();
    let now = start;
    while (now - start < sliceMs) {
      for (let i = 0; i < 100; i++) work();
      count += 100;
      now = performance.now();
    }
    rates.push((count * 1000) / (now - start));
  }
  return rates;
}

/**
 * Canonicalise + sign a realistic payment body (the sorted recipe: lossless parse, duplicate-key
 * check, sort, HMAC) against a plain HMAC of a pre-built string of the same length.
 */
export function benchSigning(totalMs: number): Figure[] {
  const body = serialisePayload(samplePayment(1743060268000, {}, (bytes) => 'ab'.repeat(bytes)));
  const signed = signWebhook(body, TIME, KEY, 'sorted');
  if (!signed.ok) throw new Error(signed.error);
  const prebuilt = signed.value.stringToSign;
  const signature = signed.value.signature;
  const bare = (): string => createHmac('sha256', KEY).update(prebuilt, 'utf8').digest('hex');
  const sign = (): unknown => signWebhook(body, TIME, KEY, 'sorted');
  const verify = (): unknown => verifyWebhookSignature({ rawBody: body, time: TIME, signature, key: KEY });
  if (!verifyWebhookSignature({ rawBody: body, time: TIME, signature, key: KEY }).valid) throw new Error('the bench signature does not verify');
  // Interleave short slices so a burst of load elsewhere hits every subject alike.
  const slices = Math.max(3, Math.round(totalMs / 3 / 200));
  const rates = { bare: [] as number[], sign: [] as number[], verify: [] as number[] };
  for (let round = 0; round < slices; round++) {
    rates.bare.push(...opsPerSecond(bare, 200, 1));
    rates.sign.push(...opsPerSecond(sign, 200, 1));
    rates.verify.push(...opsPerSecond(verify, 200, 1));
  }
  const best = (values: number[]): number => Math.max(...values);
  const base = best(rates.bare);
  const figure = (name: string, value: number): Figure => ({
    suite: 'signing',
    name,
    unit: 'ops/s',
    value: Math.round(value),
    baseline: Math.round(base),
    baselineName: `HMAC of a ${prebuilt.length}-char string`,
    ratio: round(value / base, 3),
    extra: { bodyBytes: Buffer.byteLength(body), stringToSignChars: prebuilt.length },
  });
  return [figure('canonicalise + sign (sorted)', best(rates.sign)), figure('verify (auto recipe)', best(rates.verify))];
}
