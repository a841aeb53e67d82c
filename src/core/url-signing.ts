import { checkHmacHex, hmacHex } from './signing.js';
import { fail, ok, type Result } from './result.js';

/** One query parameter, in the order it appears in the URL. */
export type QueryParam = readonly [name: string, value: string];

export const URL_SIGNATURE_PARAM = 'signature';

/**
 * The V2 widget's string to sign (Part B §1.7): `name=value` pairs in URL order, every value
 * URL-encoded with encodeURIComponent, joined by `&`. The `signature` parameter is not covered.
 */
export function urlStringToSign(params: readonly QueryParam[]): string {
  return params
    .filter(([name]) => name !== URL_SIGNATURE_PARAM)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
}

export interface SignedUrl {
  url: string;
  stringToSign: string;
  signature: string;
}

/**
 * Builds a signed widget link: the base URL, the encoded parameters in the given order, then
 * `&signature=<hex>` (HMAC-SHA256 with the secret key), as BlockATM's widget SDK does.
 */
export function signWidgetUrl(baseUrl: string, params: readonly QueryParam[], secretKey: string): SignedUrl {
  const stringToSign = urlStringToSign(params);
  const signature = hmacHex(secretKey, stringToSign);
  const separator = baseUrl.includes('?') ? (baseUrl.endsWith('?') || baseUrl.endsWith('&') ? '' : '&') : '?';
  const query = stringToSign === '' ? `${URL_SIGNATURE_PARAM}=${signature}` : `${stringToSign}&${URL_SIGNATURE_PARAM}=${signature}`;
  return { url: `${baseUrl}${separator}${query}`, stringToSign, signature };
}

/**
 * Splits a raw query string (without `?`) into decoded parameters in order. `+` is a space, as
 * browsers and form encoders write it. Fails on a malformed percent-escape.
 */
export function parseQueryParams(rawQuery: string): Result<QueryParam[]> {
  const params: QueryParam[] = [];
  for (const part of rawQuery.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const rawName = at === -1 ? part : part.slice(0, at);
    const rawValue = at === -1 ? '' : part.slice(at + 1);
    try {
      params.push([decodeURIComponent(rawName.replace(/\+/g, ' ')), decodeURIComponent(rawValue.replace(/\+/g, ' '))]);
    } catch {
      return fail(`parameter "${rawName.slice(0, 40)}" has a broken %-escape`);
    }
  }
  return ok(params);
}

export type UrlSignatureFailure = 'missing' | 'malformed' | 'mismatch' | 'duplicate' | 'unparseable';

export interface UrlSignatureCheck {
  valid: boolean;
  failure?: UrlSignatureFailure;
  /** One sentence for people: what was checked and, on a mismatch, the likely cause. */
  reason: string;
  /** The string the signature should cover (empty when the query could not be read). */
  stringToSign: string;
  params: QueryParam[];
}

/**
 * Checks a widget link's signature like the V2 widget: rebuilds the string to sign from the
 * decoded parameters (so `%20` and `+` read alike) and compares in constant time. On a mismatch
 * it tries the usual mistakes (values not encoded, parameters sorted, raw text signed) to say why.
 */
export function verifyWidgetUrl(rawQuery: string, secretKey: string): UrlSignatureCheck {
  const parsed = parseQueryParams(rawQuery);
  if (!parsed.ok) return { valid: false, failure: 'unparseable', reason: `the query cannot be read: ${parsed.error}`, stringToSign: '', params: [] };
  const params = parsed.value;
  const duplicate = firstDuplicate(params);
  const stringToSign = urlStringToSign(params);
  if (duplicate !== undefined) {
    return { valid: false, failure: 'duplicate', reason: `parameter "${duplicate}" appears more than once; a signed link names each parameter once`, stringToSign, params };
  }
  const signature = params.find(([name]) => name === URL_SIGNATURE_PARAM)?.[1];
  const check = checkHmacHex(secretKey, stringToSign, signature);
  if (check.valid) return { valid: true, reason: 'the signature matches (HMAC-SHA256 with the secret key)', stringToSign, params };
  if (check.reason === 'missing') {
    return { valid: false, failure: 'missing', reason: 'the link has no signature parameter; V2 widget links must be signed with the secret key', stringToSign, params };
  }
  if (check.reason === 'malformed') {
    return { valid: false, failure: 'malformed', reason: 'the signature is not 64 hex characters (HMAC-SHA256, hex)', stringToSign, params };
  }
  return { valid: false, failure: 'mismatch', reason: mismatchReason(rawQuery, params, secretKey, signature ?? ''), stringToSign, params };
}

function firstDuplicate(params: readonly QueryParam[]): string | undefined {
  const seen = new Set<string>();
  for (const [name] of params) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

function mismatchReason(rawQuery: string, params: readonly QueryParam[], secretKey: string, signature: string): string {
  const unsigned = params.filter(([name]) => name !== URL_SIGNATURE_PARAM);
  const candidates: [string, string][] = [
    [unsigned.map(([name, value]) => `${name}=${value}`).join('&'), 'the values were signed without URL-encoding them; encode each value (encodeURIComponent) before signing'],
    [urlStringToSign([...unsigned].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), 'the parameters were signed sorted by name; sign them in the order they appear in the link'],
    [rawQueryWithoutSignature(rawQuery), 'the query text was signed as written; sign each value encoded with encodeURIComponent (a space is %20, not +)'],
    [`?${urlStringToSign(unsigned)}`, 'the leading "?" was signed too; sign the query without it'],
  ];
  for (const [candidate, cause] of candidates) {
    if (checkHmacHex(secretKey, candidate, signature).valid) return `the signature does not match: ${cause}`;
  }
  return 'the signature does not match: the link was changed after signing, or signed with another secret key';
}

function rawQueryWithoutSignature(rawQuery: string): string {
  return rawQuery
    .replace(/^\?/, '')
    .split('&')
    .filter((part) => part !== '' && !part.startsWith(`${URL_SIGNATURE_PARAM}=`) && part !== URL_SIGNATURE_PARAM)
    .join('&');
}
