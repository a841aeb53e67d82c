import { parseEcPrivateKey, parseEcPublicKey } from './signing.js';
import { ENVIRONMENTS } from './settings.js';
import { fail, ok, type Result } from './result.js';

/**
 * Validators shared by flags, environment variables and prompts: each returns the cleaned value
 * or one sentence saying what is wrong and how to fix it. Messages never echo a secret.
 */
export function validateCashierId(input: string): Result<string> {
  const text = input.trim();
  if (text === '') return fail('is empty; copy the Cashier Desk ID from the dashboard\'s Integrate popup');
  if (!/^\d{1,19}$/.test(text)) return fail('must be the numeric Cashier Desk ID shown in the dashboard (digits only)');
  return ok(text);
}

/**
 * An API, secret or Webhook key: used exactly as shown in the dashboard (D2), so surrounding
 * whitespace is trimmed and anything that looks like a copy-paste accident is refused.
 */
export function validateKey(input: string, what = 'key'): Result<string> {
  const text = input.trim();
  if (text === '') return fail(`is empty; paste the ${what} from the dashboard`);
  if (/^["'`].*["'`]$/s.test(text) || /^["'`]|["'`]$/.test(text)) return fail(`has quotes around it; paste the ${what} without quotes`);
  if (/\s/.test(text)) return fail(`contains whitespace or a line break; paste the ${what} as one unbroken string`);
  if (/[^\x21-\x7e]/.test(text)) return fail(`contains non-ASCII characters; paste the ${what} again from the dashboard`);
  if (text.length < 8) return fail(`is too short (${text.length} characters) to be a BlockATM ${what}`);
  return ok(text);
}

/** A Webhook URL: http(s), absolute; HTTPS when the environment is production. */
export function validateWebhookUrl(input: string, production = false): Result<string> {
  const url = parseHttpUrl(input);
  if (!url.ok) return url;
  if (production && url.value.protocol !== 'https:') return fail('must use https:// for production (BlockATM requires HTTPS there)');
  return ok(url.value.toString());
}

/** An API base URL: `sandbox`, `production`, or an absolute http(s) URL. */
export function validateEnvironment(input: string): Result<{ environment: string; baseUrl?: string }> {
  const text = input.trim();
  if (text === 'sandbox' || text === 'production') return ok({ environment: text });
  if (text === 'prod') return ok({ environment: 'production' });
  if (/^[A-Za-z]+$/.test(text)) return fail(`"${text.slice(0, 40)}" is not "sandbox", "production" or an http(s) base URL such as http://127.0.0.1:4010`);
  const url = parseHttpUrl(text);
  if (!url.ok) return fail(`must be "sandbox", "production" or an http(s) base URL: ${url.error}`);
  const baseUrl = url.value.toString().replace(/\/+$/, '');
  const named = Object.entries(ENVIRONMENTS).find(([, value]) => value === baseUrl);
  return ok(named ? { environment: named[0] } : { environment: 'custom', baseUrl });
}

export function parseHttpUrl(input: string): Result<URL> {
  const text = input.trim();
  if (text === '') return fail('is empty; give an absolute URL such as https://shop.example.com/blockatm/webhook');
  const missingScheme = schemeSuggestion(text);
  if (missingScheme) return fail(missingScheme);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(`"${text.slice(0, 80)}" is not an absolute URL; include the scheme, e.g. https://shop.example.com/webhook`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(`uses ${url.protocol}; only http:// and https:// are supported`);
  if (url.username || url.password) return fail('must not contain a user name or password');
  return ok(url);
}

/** `localhost:4010` parses as a URL with the scheme `localhost:`; say what was meant instead. */
function schemeSuggestion(text: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return undefined;
  const hostLike = /^(\[[0-9a-f:]+\]|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*)(:\d{1,5})?(\/\S*)?$/i.exec(text);
  if (!hostLike || !(hostLike[1]!.includes('.') || hostLike[3] || /^localhost$/i.test(hostLike[1]!))) return undefined;
  const local = /^(localhost|127\.|\[::1\]|0\.0\.0\.0)/i.test(text);
  const shown = text.slice(0, 80);
  return local ? `"${shown}" has no scheme; write http://${shown}` : `"${shown}" has no scheme; write https://${shown} (or http://${shown})`;
}

export function validateSignatureVersion(input: string): Result<'v1' | 'v2'> {
  const text = input.trim().toLowerCase();
  if (text === 'v1' || text === 'v2') return ok(text);
  return fail('must be v2 (HMAC-SHA256, the default) or v1 (ECDSA, legacy)');
}

/** The merchant's V1 EC private key: Base64 of PKCS#8 DER, line breaks tolerated. */
export function validateV1PrivateKey(input: string): Result<string> {
  const parsed = parseEcPrivateKey(input);
  if (parsed.ok) return ok(input.trim().replace(/\s+/g, ''));
  return fail(parsed.error.startsWith('paste') ? parsed.error : `${parsed.error}; paste the Base64 PKCS#8 DER private key your V1 integration signs with`);
}

/** BlockATM's V1 EC public key: Base64 of X.509 SubjectPublicKeyInfo DER. */
export function validateV1PublicKey(input: string): Result<string> {
  const parsed = parseEcPublicKey(input);
  if (parsed.ok) return ok(input.trim().replace(/\s+/g, ''));
  return fail(parsed.error.startsWith('paste') ? parsed.error : `${parsed.error}; paste BlockATM's Base64 DER public key from the dashboard`);
}

/** A positive integer flag value such as a port or a count. */
export function validateInteger(input: string, min: number, max: number): Result<number> {
  const text = input.trim();
  if (!/^-?\d+$/.test(text)) return fail(`"${text.slice(0, 40)}" is not an integer`);
  const value = Number(text);
  if (value < min || value > max) return fail(`must be between ${min} and ${max}`);
  return ok(value);
}
