import { canonicalFromBody, rawStringToSign, withTime, type Canonical } from './canonical.js';
import { checkHmacHex, hmacHex } from './signing.js';
import { parseJsonChecked, type CheckedJson } from './json.js';
import { ok, type Result } from './result.js';

/** The two webhook recipes BlockATM's docs describe (D4). */
export type Recipe = 'sorted' | 'raw';
export const RECIPES: readonly Recipe[] = ['sorted', 'raw'];

export const SIGNATURE_HEADER = 'BlockATM-Signature-V2';
export const SIGNATURE_HEADER_V1 = 'BlockATM-Signature-V1';
export const TIME_HEADER = 'BlockATM-Request-Time';
export const EVENT_HEADER = 'BlockATM-Event';
export const API_KEY_HEADER = 'BlockATM-API-Key';
export const WINDOW_HEADER = 'BlockATM-Rec_Window';

export interface StringToSign {
  stringToSign: string;
  warnings: string[];
}

/**
 * The string a webhook signature covers under one recipe. A caller that has already parsed the
 * body passes `parsed`, or its canonical form as `sorted`, so a hot path reads the body once.
 */
export function webhookStringToSign(recipe: Recipe, rawBody: string, time: string, parsed?: CheckedJson, sorted?: Canonical): Result<StringToSign> {
  if (recipe === 'raw') return ok({ stringToSign: rawStringToSign(rawBody, time), warnings: [] });
  const canonical = sorted === undefined ? canonicalFromBody(rawBody, parsed) : ok(sorted);
  if (!canonical.ok) return canonical;
  return ok({ stringToSign: withTime(canonical.value.canonical, time), warnings: canonical.value.warnings });
}

export interface SignedWebhook {
  stringToSign: string;
  signature: string;
  recipe: Recipe;
  warnings: string[];
}

/** Signs a webhook body as BlockATM would with the Webhook key. */
export function signWebhook(rawBody: string, time: string, key: string, recipe: Recipe = 'sorted'): Result<SignedWebhook> {
  const built = webhookStringToSign(recipe, rawBody, time);
  if (!built.ok) return built;
  return ok({ ...built.value, signature: hmacHex(key, built.value.stringToSign), recipe });
}

export interface RecipeAttempt {
  recipe: Recipe;
  stringToSign: string | null;
  /** Why this recipe could not even be built, e.g. the body is not JSON. */
  error?: string;
}

export interface WebhookVerification {
  valid: boolean;
  recipe: Recipe | null;
  reason: string;
  /** missing / malformed / mismatch / body: machine-readable cause when invalid. */
  failure: 'missing' | 'malformed' | 'mismatch' | 'body' | null;
  tried: RecipeAttempt[];
  warnings: string[];
}

/**
 * Verifies a webhook signature, trying the sorted recipe, then raw (D4), unless one is forced.
 * Which recipe matched is part of the answer, so merchants learn which one BlockATM uses.
 * The body is parsed once, here or by a caller that hands over its `parsed` result or, for a
 * body it knows to be one JSON object without duplicate keys, its canonical form (`sorted`).
 */
export function verifyWebhookSignature(input: {
  rawBody: string;
  time: string;
  signature: string | undefined;
  key: string;
  recipe?: Recipe | 'auto';
  parsed?: CheckedJson;
  sorted?: Canonical;
}): WebhookVerification {
  const recipes = input.recipe === undefined || input.recipe === 'auto' ? RECIPES : [input.recipe];
  const tried: RecipeAttempt[] = [];
  const warnings: string[] = [];
  const parsed = input.sorted !== undefined || input.rawBody.trim() === '' ? undefined : (input.parsed ?? parseJsonChecked(input.rawBody));
  // A duplicate key in a body that is otherwise JSON (D12); non-JSON bodies are judged by the recipes.
  const duplicate = parsed?.ok === false ? parsed.duplicateKey : undefined;
  if (duplicate !== undefined) {
    return invalid('body', `the body has a duplicate key ${JSON.stringify(duplicate)}: rejected, since two parsers can read it two ways`, tried, warnings);
  }
  const signature = input.signature?.trim();
  if (signature === undefined || signature === '') {
    return invalid('missing', `no ${SIGNATURE_HEADER} signature was given`, tried, warnings);
  }
  for (const recipe of recipes) {
    const built = webhookStringToSign(recipe, input.rawBody, input.time, parsed, input.sorted);
    if (!built.ok) {
      tried.push({ recipe, stringToSign: null, error: built.error });
      continue;
    }
    tried.push({ recipe, stringToSign: built.value.stringToSign });
    const check = checkHmacHex(input.key, built.value.stringToSign, signature);
    if (check.valid) {
      return { valid: true, recipe, reason: `signature valid (${recipe} recipe)`, failure: null, tried, warnings: built.value.warnings };
    }
    if (check.reason === 'malformed') {
      return invalid('malformed', `the signature is not 64 hex characters (HMAC-SHA256 in hex): ${describeShape(signature)}`, tried, warnings);
    }
  }
  if (tried.every((attempt) => attempt.stringToSign === null)) {
    return invalid('body', `the body cannot be signed: ${tried[0]?.error ?? 'unknown'}`, tried, warnings);
  }
  const names = tried.filter((a) => a.stringToSign !== null).map((a) => a.recipe).join(', ');
  return invalid('mismatch', `signature mismatch: no recipe matched (tried ${names})`, tried, warnings);
}

function invalid(failure: WebhookVerification['failure'], reason: string, tried: RecipeAttempt[], warnings: string[]): WebhookVerification {
  return { valid: false, recipe: null, reason, failure, tried, warnings };
}

function describeShape(signature: string): string {
  return `${signature.length} characters${/^[A-Za-z0-9+/]+=*$/.test(signature) && signature.length === 44 ? ', looks like Base64' : ''}`;
}
