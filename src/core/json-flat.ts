import { LosslessNumber } from 'lossless-json';
import type { JsonObject } from './json.js';

/**
 * A fast path for the common webhook body: one flat JSON object whose values are strings without
 * escapes, numbers, booleans or null. It is read in a single pass (no second scan for duplicate
 * keys) and gives exactly what lossless-json gives: numbers keep their source text. Anything it
 * does not fully understand — escapes, control characters, nesting, a duplicate or `__proto__`
 * key, odd whitespace, trailing text — yields undefined, and the caller uses the full parser, so
 * every error and refusal still comes from one place.
 */
export function parseFlatObject(text: string): JsonObject | undefined {
  const length = text.length;
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 0x7b) return undefined;
  i = skipSpace(text, i + 1);
  const object: JsonObject = {};
  if (text.charCodeAt(i) === 0x7d) return skipSpace(text, i + 1) === length ? object : undefined;
  for (;;) {
    if (text.charCodeAt(i) !== 0x22) return undefined;
    const keyEnd = plainStringEnd(text, i + 1);
    if (keyEnd < 0) return undefined;
    const key = text.slice(i + 1, keyEnd);
    if (key === '__proto__' || Object.hasOwn(object, key)) return undefined;
    i = skipSpace(text, keyEnd + 1);
    if (text.charCodeAt(i) !== 0x3a) return undefined;
    i = skipSpace(text, i + 1);
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = plainStringEnd(text, i + 1);
      if (end < 0) return undefined;
      object[key] = text.slice(i + 1, end);
      i = end + 1;
    } else if (c === 0x74 && text.startsWith('true', i)) {
      object[key] = true;
      i += 4;
    } else if (c === 0x66 && text.startsWith('false', i)) {
      object[key] = false;
      i += 5;
    } else if (c === 0x6e && text.startsWith('null', i)) {
      object[key] = null;
      i += 4;
    } else {
      const end = numberEnd(text, i);
      if (end < 0) return undefined;
      object[key] = new LosslessNumber(text.slice(i, end));
      i = end;
    }
    i = skipSpace(text, i);
    const next = text.charCodeAt(i);
    if (next === 0x7d) return skipSpace(text, i + 1) === length ? object : undefined;
    if (next !== 0x2c) return undefined;
    i = skipSpace(text, i + 1);
  }
}

/** JSON whitespace only: space, tab, line feed, carriage return. */
function skipSpace(text: string, i: number): number {
  let c = text.charCodeAt(i);
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++i);
  return i;
}

/** Index of the closing quote of a string with no escapes or control characters, else -1. */
function plainStringEnd(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i;
    if (c === 0x5c || c < 0x20) return -1;
  }
  return -1;
}

/** End of a number in strict JSON grammar (-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?), else -1. */
function numberEnd(text: string, i: number): number {
  if (text.charCodeAt(i) === 0x2d) i++;
  const first = text.charCodeAt(i);
  if (first === 0x30) i++;
  else if (first >= 0x31 && first <= 0x39) i = digitsEnd(text, i + 1);
  else return -1;
  if (text.charCodeAt(i) === 0x2e) {
    const end = digitsEnd(text, i + 1);
    if (end === i + 1) return -1;
    i = end;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    const end = digitsEnd(text, i);
    if (end === i) return -1;
    i = end;
  }
  return i;
}

function digitsEnd(text: string, i: number): number {
  let c = text.charCodeAt(i);
  while (c >= 0x30 && c <= 0x39) c = text.charCodeAt(++i);
  return i;
}
