import type { CapturedRequest } from './captured-request.js';
import { diagnoseSignature, type Diagnosis, type NamedKey } from './diagnose.js';
import { fail, ok, type Result } from './result.js';
import { EVENT_HEADER, SIGNATURE_HEADER, TIME_HEADER, verifyWebhookSignature, type Recipe, type WebhookVerification } from './webhook-signature.js';

/** What `verify` reports: the verification, and on a mismatch the doctor's diagnosis. */
export interface VerifyReport extends WebhookVerification {
  time: string;
  signature: string | null;
  diagnosis: Diagnosis | null;
}

/**
 * Verifies with the Webhook key (the first key) and, when the signature does not match or is
 * not in BlockATM's exact form, runs the doctor with every key handed in.
 */
export function verifyAndDiagnose(input: { rawBody: string; time: string; signature: string | undefined; keys: NamedKey[]; recipe: Recipe | 'auto' }): VerifyReport {
  const webhookKey = input.keys[0]?.key ?? '';
  const result = verifyWebhookSignature({ rawBody: input.rawBody, time: input.time, signature: input.signature, key: webhookKey, recipe: input.recipe });
  const signature = input.signature?.trim() || null;
  const warnings = [...result.warnings];
  if (/^\d{1,10}$/.test(input.time)) warnings.push(`${TIME_HEADER} ${input.time} looks like epoch seconds; BlockATM uses milliseconds, and a receiver that checks the time window rejects it`);
  const needsDoctor = signature !== null && (result.failure === 'mismatch' || result.failure === 'malformed' || (result.valid && /[A-F]/.test(signature)));
  const diagnosis = needsDoctor ? diagnoseSignature({ rawBody: input.rawBody, time: input.time, signature, keys: input.keys, recipe: input.recipe }) : null;
  return { ...result, warnings, time: input.time, signature, diagnosis };
}

export interface RequestInputs {
  rawBody: string;
  time: string;
  signature: string | undefined;
  event: string | null;
  warnings: string[];
}

/** Takes body, time and signature out of a captured request; flags given by hand win. */
export function inputsFromRequest(request: CapturedRequest, overrides: { time?: string; signature?: string }): Result<RequestInputs> {
  let rawBody: string;
  try {
    rawBody = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(request.body);
  } catch {
    return fail('the request body is not valid UTF-8');
  }
  for (const name of [SIGNATURE_HEADER, TIME_HEADER]) {
    const count = request.headers[name.toLowerCase()]?.length ?? 0;
    const overridden = name === SIGNATURE_HEADER ? overrides.signature : overrides.time;
    if (count > 1 && overridden === undefined) return fail(`the request has ${count} ${name} headers; a delivery must carry exactly one`);
  }
  const time = overrides.time ?? request.headers[TIME_HEADER.toLowerCase()]?.[0];
  if (time === undefined) return fail(`the request has no ${TIME_HEADER} header; give the time with --time`);
  return ok({
    rawBody,
    time: time.trim(),
    signature: overrides.signature ?? request.headers[SIGNATURE_HEADER.toLowerCase()]?.[0],
    event: request.headers[EVENT_HEADER.toLowerCase()]?.[0] ?? null,
    warnings: request.warnings,
  });
}
