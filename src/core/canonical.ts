import { isJsonObject, parseJsonChecked, scalarText, type CheckedJson, type JsonObject, type JsonValue } from './json.js';
import { fail, ok, type Result } from './result.js';

export interface Canonical {
  /** `k=v&k=v` without the time suffix; empty when there are no parameters. */
  canonical: string;
  /** Things a merchant should know, e.g. that nested values were flattened. */
  warnings: string[];
}

export const NESTED_WARNING =
  'the body has nested objects or arrays: flattened as BlockATM\'s Java demo does (parent keys dropped); V2 documents only flat bodies';

/**
 * The D3 canonical form of a raw JSON body: keys sorted by UTF-16 code units, raw values,
 * numbers as their source text, null skipped, empty strings kept, nested values flattened the
 * way BlockATM's Java demo does. An empty body has no parameters. Callers that have already
 * parsed the body pass the result, so a hot path parses once.
 */
export function canonicalFromBody(rawBody: string, parsed?: CheckedJson): Result<Canonical> {
  if (rawBody.trim() === '') return ok({ canonical: '', warnings: [] });
  parsed ??= parseJsonChecked(rawBody);
  if (!parsed.ok) return fail(parsed.error);
  if (!isJsonObject(parsed.value)) return fail('the body must be a JSON object');
  return ok(canonicalFromObject(parsed.value));
}

export function canonicalFromObject(object: JsonObject): Canonical {
  const state = { nested: false };
  const parts = objectParts(object, state);
  return { canonical: parts.join('&'), warnings: state.nested ? [NESTED_WARNING] : [] };
}

function objectParts(object: JsonObject, state: { nested: boolean }): string[] {
  const parts: string[] = [];
  // Default sort compares UTF-16 code units, exactly like Java's String.compareTo.
  for (const key of Object.keys(object).sort()) {
    const value = object[key] as JsonValue;
    if (value === null) continue;
    if (Array.isArray(value)) {
      state.nested = true;
      parts.push(...arrayParts(value, state));
    } else if (isJsonObject(value)) {
      state.nested = true;
      parts.push(...objectParts(value, state));
    } else {
      parts.push(`${key}=${scalarText(value)}`);
    }
  }
  return parts;
}

function arrayParts(items: JsonValue[], state: { nested: boolean }): string[] {
  const parts: string[] = [];
  for (const item of items) {
    if (item === null) continue;
    if (Array.isArray(item)) parts.push(...arrayParts(item, state));
    else if (isJsonObject(item)) parts.push(...objectParts(item, state));
    else parts.push(scalarText(item));
  }
  return parts;
}

/**
 * The canonical form of a query string (GET requests, D3): parameters decoded as a Java
 * servlet would (`+` is a space), sorted by key, values raw.
 */
export function canonicalFromQuery(query: string): Result<Canonical> {
  const text = query.startsWith('?') ? query.slice(1) : query;
  const pairs: [string, string][] = [];
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const rawKey = eq === -1 ? piece : piece.slice(0, eq);
    const rawValue = eq === -1 ? '' : piece.slice(eq + 1);
    const key = decodeQueryComponent(rawKey);
    const value = decodeQueryComponent(rawValue);
    if (key === undefined || value === undefined) return fail(`the query has a malformed %-escape in "${piece}"`);
    pairs.push([key, value]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return ok({ canonical: pairs.map(([k, v]) => `${k}=${v}`).join('&'), warnings: [] });
}

function decodeQueryComponent(text: string): string | undefined {
  // Text without `%` or `+` decodes to itself.
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** `canonical&time=t`, or `time=t` when there are no parameters (D3). */
export function withTime(canonical: string, time: string): string {
  return canonical === '' ? `time=${time}` : `${canonical}&time=${time}`;
}

/** The "raw" webhook recipe (D4): the body bytes as received, then `&time=`. */
export function rawStringToSign(rawBody: string, time: string): string {
  return `${rawBody}&time=${time}`;
}

/** Builds a sorted query string from plain values, for requests this tool sends. */
export function buildSortedQuery(params: Record<string, string | number | undefined>): string {
  return Object.keys(params)
    .filter((key) => params[key] !== undefined)
    .sort()
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(String(params[key]))}`)
    .join('&');
}

