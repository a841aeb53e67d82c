import { parse, isLosslessNumber, type LosslessNumber } from 'lossless-json';
import { parseFlatObject } from './json-flat.js';
import { fail, ok, type Result } from './result.js';

/** A JSON value whose numbers keep their source text (`2000.00` stays `2000.00`). */
export type JsonValue = string | boolean | null | LosslessNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export { isLosslessNumber };

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value);
}

/**
 * Parses JSON without losing number text, and rejects any duplicate key (D12): two parsers can
 * read `{"a":1,"a":2}` two ways, which is how signature bypasses happen. lossless-json alone lets
 * an identical duplicate through, so keys are also scanned here.
 */
export function parseJsonLossless(text: string): Result<JsonValue> {
  const parsed = parseJsonChecked(text);
  return parsed.ok ? parsed : fail(parsed.error);
}

export type CheckedJson = { ok: true; value: JsonValue } | { ok: false; error: string; duplicateKey?: string };

/** parseJsonLossless, also naming the duplicate key when that is why the text was refused. */
export function parseJsonChecked(text: string): CheckedJson {
  const flat = parseFlatObject(text);
  return flat === undefined ? parseJsonCheckedFully(text) : ok(flat);
}

/** parseJsonChecked without the flat-object fast path: the reference it must agree with. */
export function parseJsonCheckedFully(text: string): CheckedJson {
  let value: JsonValue;
  try {
    value = parse(text) as JsonValue;
  } catch (error) {
    if (error instanceof RangeError) return fail('JSON is nested too deeply');
    const duplicate = validJson(text) ? findDuplicateKey(text) : undefined;
    if (duplicate !== undefined) return { ok: false, error: `duplicate key ${JSON.stringify(duplicate)}`, duplicateKey: duplicate };
    return fail(`not valid JSON (${(error as Error).message})`);
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== undefined) return { ok: false, error: `duplicate key ${JSON.stringify(duplicate)}`, duplicateKey: duplicate };
  return ok(value);
}

function validJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Scans text already known to be valid JSON for an object key that occurs twice. */
export function findDuplicateKey(text: string): string | undefined {
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let end = i + 1;
      while (end < text.length && text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c ? 2 : 1;
      if (expectKey) {
        const keys = stack[stack.length - 1];
        const key = decodeKey(text, i, end);
        if (keys?.has(key)) return key;
        keys?.add(key);
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b) {
      stack.push(null);
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c) {
      expectKey = stack[stack.length - 1] != null;
    }
  }
  return undefined;
}

function decodeKey(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end);
  return raw.includes('\\') ? (JSON.parse(text.slice(start, end + 1)) as string) : raw;
}

/** Renders a scalar as it appears in a string to sign: strings unquoted, numbers as written. */
export function scalarText(value: string | boolean | LosslessNumber): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return value.value;
}
