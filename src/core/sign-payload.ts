import { parseEcPrivateKey } from './signing.js';
import { signApiRequest, type Algorithm } from './request-signing.js';
import { fail, ok, type Result } from './result.js';
import { signWebhook, type Recipe } from './webhook-signature.js';

export type SignRequest =
  | { kind: 'webhook'; key: string; recipe: Recipe; body: string }
  | { kind: 'request'; key: string; body?: string; query?: string }
  | { kind: 'request-v1'; privateKey: string; body?: string; query?: string };

export interface SignOutcome {
  stringToSign: string;
  signature: string;
  recipe: Recipe;
  algorithm: Algorithm;
  keyName: 'Webhook key' | 'secret key' | 'V1 private key';
  warnings: string[];
}

/** What `sign` computes: the string to sign and its signature, for a webhook or an API request. */
export function signPayload(request: SignRequest, time: string): Result<SignOutcome> {
  if (request.kind === 'webhook') {
    const signed = signWebhook(request.body, time, request.key, request.recipe);
    if (!signed.ok) return signed;
    return ok({ ...signed.value, algorithm: 'HMAC-SHA256', keyName: 'Webhook key' });
  }
  if (request.kind === 'request') {
    const signed = signApiRequest({ apiKey: '', signer: { version: 'v2', secretKey: request.key }, timeMs: Number(time), body: request.body, query: request.query });
    if (!signed.ok) return signed;
    return ok({ ...pick(signed.value), recipe: 'sorted', keyName: 'secret key' });
  }
  const key = parseEcPrivateKey(request.privateKey);
  if (!key.ok) return fail(`V1 private key: ${key.error}`);
  const signed = signApiRequest({ apiKey: '', signer: { version: 'v1', privateKey: key.value }, timeMs: Number(time), body: request.body, query: request.query });
  if (!signed.ok) return signed;
  return ok({ ...pick(signed.value), recipe: 'sorted', keyName: 'V1 private key' });
}

function pick(signed: { stringToSign: string; signature: string; algorithm: Algorithm; warnings: string[] }) {
  return { stringToSign: signed.stringToSign, signature: signed.signature, algorithm: signed.algorithm, warnings: signed.warnings };
}
