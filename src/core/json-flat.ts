import { LosslessNumber } from 'lossless-json';
import type { JsonObject } from './json.js';

/** What kind of JSON value a flat object's entry holds. */
export type FlatKind = 'string' | 'number' | 'boolean' | 'null';

/**
 * One flat JSON object as read from its text, without building an object: keys in the order
 * written, each value's text (a string's characters, a number as written, true or false) and its
 * kind. A listener reads every delivery this way; property keys would have to be interned and
 * stored one by one, which under load costs more than the rest of the parse.
 */
export interface FlatObject {
  keys: string[];
  texts: string[];
  kinds: FlatKind[];
  /** Positions in key order (UTF-16 code units, as Java's String.compareTo and the default sort). */
  order: number[];
}

/** Past this many keys the duplicate check would cost more than the full parser's. */
const MAX_FLAT_KEYS = 64;

/**
 * A fast path for the common webhook body: one flat JSON object whose values are strings without
 * escapes, numbers, booleans or null, read in a single pass. Numbers keep their source text, as
 * lossless-json keeps them. Anything it does not fully understand — escapes, control characters,
 * nesting, a duplicate or `__proto__` key, odd whitespace, trailing text, very many keys — yields
 * undefined, and the caller uses the full parser, so every error and refusal comes from one place.
 */
export function scanFlatObject(text: string): FlatObject | undefined {
  const length = text.length;
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 0x7b) return undefined;
  i = skipSpace(text, i + 1);
  const flat: FlatObject = { keys: [], texts: [], kinds: [], order: [] };
  if (text.charCodeAt(i) === 0x7d) return skipSpace(text, i + 1) === length ? flat : undefined;
  for (;;) {
    if (text.charCodeAt(i) !== 0x22) return undefined;
    const keyEnd = plainStringEnd(text, i + 1);
    if (keyEnd < 0) return undefined;
    const key = text.slice(i + 1, keyEnd);
    if (key === '__proto__' || flat.keys.length === MAX_FLAT_KEYS || !placeInOrder(flat, key)) return undefined;
    i = skipSpace(text, keyEnd + 1);
    if (text.charCodeAt(i) !== 0x3a) return undefined;
    i = skipSpace(text, i + 1);
    const c = text.charCodeAt(i);
    let kind: FlatKind;
    let valueText: string;
    if (c === 0x22) {
      const end = plainStringEnd(text, i + 1);
      if (end < 0) return undefined;
      kind = 'string';
      valueText = text.slice(i + 1, end);
      i = end + 1;
    } else if (c === 0x74 && text.startsWith('true', i)) {
      kind = 'boolean';
      valueText = 'true';
      i += 4;
    } else if (c === 0x66 && text.startsWith('false', i)) {
      kind = 'boolean';
      valueText = 'false';
      i += 5;
    } else if (c === 0x6e && text.startsWith('null', i)) {
      kind = 'null';
      valueText = '';
      i += 4;
    } else {
      const end = numberEnd(text, i);
      if (end < 0) return undefined;
      kind = 'number';
      valueText = text.slice(i, end);
      i = end;
    }
    flat.keys.push(key);
    flat.texts.push(valueText);
    flat.kinds.push(kind);
    i = skipSpace(text, i);
    const next = text.charCodeAt(i);
    if (next === 0x7d) return skipSpace(text, i + 1) === length ? flat : undefined;
    if (next !== 0x2c) return undefined;
    i = skipSpace(text, i + 1);
  }
}

/** scanFlatObject as the object the full parser would give: numbers as LosslessNumber. */
export function parseFlatObject(text: string): JsonObject | undefined {
  const flat = scanFlatObject(text);
  if (flat === undefined) return undefined;
  const object: JsonObject = {};
  for (let n = 0; n < flat.keys.length; n++) object[flat.keys[n]!] = flatValue(flat.kinds[n]!, flat.texts[n]!);
  return object;
}

function flatValue(kind: FlatKind, text: string): JsonObject[string] {
  switch (kind) {
    case 'string': return text;
    case 'number': return new LosslessNumber(text);
    case 'boolean': return text === 'true';
    default: return null;
  }
}

/**
 * Adds the next key's position to `order` by insertion (a webhook has a dozen keys: no comparator
 * calls, and a duplicate shows up as an equal neighbour). False for a duplicate.
 */
function placeInOrder(flat: FlatObject, key: string): boolean {
  const { keys, order } = flat;
  let at = order.length;
  order.push(at);
  for (; at > 0 && keys[order[at - 1]!]! > key; at--) order[at] = order[at - 1]!;
  if (at > 0 && keys[order[at - 1]!] === key) return false;
  order[at] = keys.length;
  return true;
}

/** The D3 canonical form of a flat object: keys in order, raw value text, null entries skipped. */
export function flatCanonical(flat: FlatObject): string {
  const { keys, texts, kinds, order } = flat;
  const parts: string[] = [];
  for (const n of order) if (kinds[n] !== 'null') parts.push(`${keys[n]}=${texts[n]}`);
  return parts.join('&');
}

/** A field's text (numbers as written, true/false), or null when it is absent or null. */
export function flatField(flat: FlatObject, key: string): string | null {
  const n = flat.keys.indexOf(key);
  return n === -1 || flat.kinds[n] === 'null' ? null : flat.texts[n]!;
}

/** True when the field is a JSON number. */
export function flatIsNumber(flat: FlatObject, key: string): boolean {
  const n = flat.keys.indexOf(key);
  return n !== -1 && flat.kinds[n] === 'number';
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
