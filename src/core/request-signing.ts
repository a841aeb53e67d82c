import type { KeyObject } from 'node:crypto';
import { canonicalFromBody, canonicalFromQuery, withTime } from './canonical.js';
import { ok, type Result } from './result.js';
import { ecdsaSignBase64, hmacHex } from './signing.js';
import { API_KEY_HEADER, SIGNATURE_HEADER, SIGNATURE_HEADER_V1, TIME_HEADER, WINDOW_HEADER } from './webhook-signature.js';

export type Algorithm = 'HMAC-SHA256' | 'SHA256withECDSA';

/** The string an API request signature covers: the JSON body if any, else the query (D3). */
export function apiStringToSign(input: { body?: string; query?: string; time: string }): Result<{ stringToSign: string; warnings: string[] }> {
  const canonical = input.body !== undefined && input.body.trim() !== '' ? canonicalFromBody(input.body) : canonicalFromQuery(input.query ?? '');
  if (!canonical.ok) return canonical;
  return ok({ stringToSign: withTime(canonical.value.canonical, input.time), warnings: canonical.value.warnings });
}

export type RequestSigner = { version: 'v2'; secretKey: string } | { version: 'v1'; privateKey: KeyObject };

export interface SignedRequest {
  headers: Record<string, string>;
  stringToSign: string;
  signature: string;
  algorithm: Algorithm;
  warnings: string[];
}

/**
 * The headers for a signed BlockATM API call: API key, time, signature (V2 HMAC hex or V1
 * ECDSA Base64), and the receive window when one is asked for.
 */
export function signApiRequest(input: {
  apiKey: string;
  signer: RequestSigner;
  timeMs: number;
  body?: string;
  query?: string;
  recvWindowMs?: number;
}): Result<SignedRequest> {
  const time = String(input.timeMs);
  const built = apiStringToSign({ body: input.body, query: input.query, time });
  if (!built.ok) return built;
  const { stringToSign, warnings } = built.value;
  const v2 = input.signer.version === 'v2';
  const signature = input.signer.version === 'v2' ? hmacHex(input.signer.secretKey, stringToSign) : ecdsaSignBase64(input.signer.privateKey, stringToSign);
  const headers: Record<string, string> = {
    [API_KEY_HEADER]: input.apiKey,
    [TIME_HEADER]: time,
    [v2 ? SIGNATURE_HEADER : SIGNATURE_HEADER_V1]: signature,
  };
  if (input.body !== undefined) headers['Content-Type'] = 'application/json';
  if (input.recvWindowMs !== undefined) headers[WINDOW_HEADER] = String(input.recvWindowMs);
  return ok({ headers, stringToSign, signature, algorithm: v2 ? 'HMAC-SHA256' : 'SHA256withECDSA', warnings });
}
