import type { KeyObject } from 'node:crypto';
import { apiStringToSign } from './request-signing.js';
import { checkHmacHex, ecdsaVerifyBase64 } from './signing.js';
import { formatDuration, parseRequestTime } from './time.js';

/** BlockATM's V2 error codes the emulator answers with (Part B §1.5, D9). */
export const ApiCode = {
  success: '200',
  systemError: '000101',
  illegalParameterType: '000102',
  requiredParameterMissing: '000103',
  objectEmpty: '000104',
  illegalRequest: '000105',
  duplicateSubmission: '000106',
  systemBusy: '000107',
  noPermission: '000110',
  apiKeyRequired: '000112',
  serviceBusy: '000113',
  dataNotFound: '000202',
} as const;
export type ApiCodeValue = (typeof ApiCode)[keyof typeof ApiCode];

/** The response envelope (D9): `msg` and `message` both carry the text, `data` is null when void. */
export interface Envelope {
  code: string;
  success: boolean;
  data: unknown;
  trace: string;
  msg: string;
  message: string;
}

export function envelope(code: string, msg: string, data: unknown, trace: string): Envelope {
  return { code, success: code === ApiCode.success, data: data === undefined ? null : data, trace, msg, message: msg };
}

export type RuleFailure = { ok: false; code: ApiCodeValue; msg: string };
export type RuleResult<T> = ({ ok: true } & T) | RuleFailure;

export const DEFAULT_RECV_WINDOW_MS = 30_000;
export const MAX_RECV_WINDOW_MS = 60_000;
export const FUTURE_ALLOWANCE_MS = 1_000;

export interface WindowInput {
  /** The BlockATM-Request-Time header values as sent. */
  time: string[] | undefined;
  /** BlockATM-Rec_Window, then BlockATM-RECV_WINDOW values. */
  recWindow: string[] | undefined;
  recvWindow: string[] | undefined;
  nowMs: number;
  /** Reject any timestamp ahead of the clock (the V1 page's rule) instead of allowing 1 s. */
  strict: boolean;
}

/**
 * BlockATM's time-window rule (D6): reject when `now − t > window` (default 30000 ms, capped at
 * 60000) or when `t` is ahead of the server clock by more than 1000 ms (0 ms when strict).
 */
export function judgeRequestWindow(input: WindowInput): RuleResult<{ timeMs: number; windowMs: number; ageMs: number }> {
  const bad = (msg: string): RuleFailure => ({ ok: false, code: ApiCode.illegalRequest, msg });
  if (!input.time || input.time.length === 0) return bad('BlockATM-Request-Time header is missing');
  if (input.time.length > 1) return bad('BlockATM-Request-Time header was sent more than once');
  const time = parseRequestTime(input.time[0]);
  if (!time.ok) return bad(`BlockATM-Request-Time: ${time.error}`);
  const windowValues = input.recWindow ?? input.recvWindow;
  let windowMs = DEFAULT_RECV_WINDOW_MS;
  if (windowValues && windowValues.length > 0) {
    const text = windowValues[0]!.trim();
    if (windowValues.length > 1 || !/^\d{1,9}$/.test(text) || Number(text) === 0) {
      return { ok: false, code: ApiCode.illegalParameterType, msg: 'BlockATM-Rec_Window must be one positive integer of milliseconds (at most 60000)' };
    }
    windowMs = Math.min(Number(text), MAX_RECV_WINDOW_MS);
  }
  const ageMs = input.nowMs - time.value;
  if (ageMs > windowMs) {
    return bad(`request expired: BlockATM-Request-Time is ${formatDuration(ageMs)} old (${ageMs} ms), beyond the ${windowMs} ms window; sign with the current time and check this machine's clock`);
  }
  const allowance = input.strict ? 0 : FUTURE_ALLOWANCE_MS;
  if (-ageMs > allowance) {
    return bad(`BlockATM-Request-Time is ${-ageMs} ms ahead of the server clock (allowed ${allowance} ms): check this machine's clock`);
  }
  return { ok: true, timeMs: time.value, windowMs, ageMs };
}

export type RequestVerifier = { version: 'v2'; secretKey: string } | { version: 'v1'; publicKey: KeyObject };

export interface SignatureInput {
  verifier: RequestVerifier;
  /** Signature header values: BlockATM-Signature-V2 and -V1 as sent. */
  signatureV2: string[] | undefined;
  signatureV1: string[] | undefined;
  time: string;
  /** The raw JSON body (POST) or the raw query string (GET). */
  body?: string;
  query?: string;
}

/**
 * Recomputes the request signature over the raw body or query (D3) and compares it in constant
 * time (D5). Every failure is `000105`, with a message that says which part was wrong.
 */
export function verifyRequestSignature(input: SignatureInput): RuleResult<{ stringToSign: string }> {
  const bad = (msg: string): RuleFailure => ({ ok: false, code: ApiCode.illegalRequest, msg });
  const v2 = input.verifier.version === 'v2';
  const wanted = v2 ? input.signatureV2 : input.signatureV1;
  const name = v2 ? 'BlockATM-Signature-V2' : 'BlockATM-Signature-V1';
  const other = v2 ? input.signatureV1 : input.signatureV2;
  if (!wanted || wanted.length === 0) {
    const note = other?.length ? ` (a ${v2 ? 'BlockATM-Signature-V1' : 'BlockATM-Signature-V2'} header was sent; this server expects ${v2 ? 'V2 HMAC-SHA256' : 'V1 ECDSA'})` : '';
    return bad(`${name} header is missing${note}`);
  }
  if (wanted.length > 1) return bad(`${name} header was sent more than once`);
  const built = apiStringToSign({ body: input.body, query: input.query, time: input.time });
  if (!built.ok) return bad(`cannot build the string to sign: ${built.error}`);
  const { stringToSign } = built.value;
  const check = input.verifier.version === 'v2'
    ? checkHmacHex(input.verifier.secretKey, stringToSign, wanted[0])
    : ecdsaVerifyBase64(input.verifier.publicKey, stringToSign, wanted[0]);
  if (check.valid) return { ok: true, stringToSign };
  if (check.reason === 'malformed') {
    return bad(v2 ? `${name} must be 64 hex characters (HMAC-SHA256 of the string to sign)` : `${name} must be a Base64 DER ECDSA signature`);
  }
  if (check.reason === 'missing') return bad(`${name} header is empty`);
  return bad(`signature mismatch: ${name} does not match the string to sign recomputed from the ${input.body !== undefined && input.body.trim() !== '' ? 'body' : 'query'} (sorted key=value pairs, raw values, then &time=); check the secret key and that the bytes sent are the bytes signed`);
}
