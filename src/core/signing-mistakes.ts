import { LosslessNumber } from 'lossless-json';
import { canonicalFromObject, rawStringToSign, withTime } from './canonical.js';
import { isJsonObject, isLosslessNumber, parseJsonLossless, scalarText, type JsonObject, type JsonValue } from './json.js';
import { COMPACT, javascriptNumberText, serialiseJson, type JsonStyle } from './json-style.js';
import type { Recipe } from './webhook-signature.js';

/** The mistakes the signature doctor knows, each one way a signature stops matching. */
export type Mistake =
  | 'wrong-key'
  | 're-serialised'
  | 'numbers'
  | 'recipe'
  | 'url-encoded'
  | 'time-seconds'
  | 'missing-time'
  | 'base64'
  | 'uppercase-hex'
  | 'trailing-newline';

export interface Cause {
  mistake: Mistake;
  title: string;
  explanation: string;
  fix: string;
}

/** A string to sign as someone making one known mistake would build it. */
export interface Variant {
  recipe: Recipe;
  stringToSign: string;
  causes: Cause[];
  /** The body as it was signed, when the mistake changed the body itself. */
  body?: string;
}

const RESERIALISE_FIX = 'sign and verify the raw body bytes exactly as sent; never re-serialise a parsed body (read the raw request body before any JSON middleware)';

/** The correct string to sign for a recipe, or undefined when the body cannot take it. */
export function expectedString(recipe: Recipe, rawBody: string, time: string): string | undefined {
  if (recipe === 'raw') return rawStringToSign(rawBody, time);
  const object = parseObject(rawBody);
  return object === undefined ? undefined : withTime(canonicalFromObject(object).canonical, time);
}

/**
 * Every known mistake applied to one received body and time, under one recipe. Variants that
 * change nothing are dropped, so whatever reproduces a signature really is a difference.
 */
export function mistakeVariants(recipe: Recipe, rawBody: string, time: string): Variant[] {
  const expected = expectedString(recipe, rawBody, time);
  if (expected === undefined) return [];
  const variants = recipe === 'sorted' ? sortedVariants(rawBody, time) : rawVariants(rawBody, time);
  const seen = new Set([expected]);
  return variants.filter((variant) => {
    if (seen.has(variant.stringToSign)) return false;
    seen.add(variant.stringToSign);
    return true;
  });
}

function sortedVariants(rawBody: string, time: string): Variant[] {
  const object = parseObject(rawBody);
  if (object === undefined) return [];
  const canonical = canonicalFromObject(object).canonical;
  const pairs = flatPairs(object);
  const out: Variant[] = [];
  const add = (stringToSign: string, ...causes: Cause[]): void => void out.push({ recipe: 'sorted', stringToSign, causes });

  const numbers = numberChange(object);
  if (numbers) add(withTime(canonicalFromObject(mapNumbers(object, javascriptNumberText) as JsonObject).canonical, time), numbersCause(numbers));
  const decimalStrings = decimalStringChange(object);
  if (decimalStrings) {
    add(withTime(joinPairs(pairs.map(([k, v]) => [k, isDecimalString(v) ? javascriptNumberText(v) : v])), time), {
      ...numbersCause(decimalStrings),
      explanation: `the signature matches the string to sign with decimal strings turned into numbers (${decimalStrings}): the signer converted amounts to floats`,
    });
  }
  for (const [how, encode] of [['form-encoded, space as +, as Python\'s urlencode and PHP\'s http_build_query do', formEncode], ['encoded with encodeURIComponent', encodeURIComponent]] as const) {
    add(withTime(joinPairs(pairs.map(([k, v]) => [encode(k), encode(v)])), time), {
      mistake: 'url-encoded',
      title: 'values URL-encoded',
      explanation: `the signature matches the string to sign with keys and values URL-${how}; BlockATM signs raw values`,
      fix: 'join key=value with the raw values: no urlencode, http_build_query or encodeURIComponent in the string to sign',
    });
  }
  add(...timeVariant(canonical, time, (c, t) => withTime(c, t)));
  add(canonical, missingTimeCause('the sorted key=value pairs'));
  const unsorted = joinPairs(unsortedPairs(object));
  add(withTime(unsorted, time), {
    mistake: 'recipe',
    title: 'keys not sorted',
    explanation: 'the signature matches the key=value pairs in the body\'s own order: the signer skipped the sort',
    fix: 'sort the keys by UTF-16 code units (Java TreeMap, JavaScript sort()) before joining them',
  });
  const withTimePair: [string, string][] = [...pairs, ['time', time]];
  add(joinPairs(withTimePair.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))), {
    mistake: 'recipe',
    title: 'time sorted in with the fields',
    explanation: 'the signature matches a string where time=<t> was sorted in among the body\'s fields instead of appended last',
    fix: 'sort the body\'s fields, then append &time=<BlockATM-Request-Time> at the end',
  });
  add(canonical === '' ? `time=${time}` : `time=${time}&${canonical}`, {
    mistake: 'recipe',
    title: 'time put first',
    explanation: 'the signature matches a string that starts with time=<t> instead of ending with &time=<t>',
    fix: 'append &time=<BlockATM-Request-Time> after the sorted fields',
  });
  add(`${withTime(canonical, time)}\n`, newlineSignedCause('string to sign'));
  return out;
}

function rawVariants(rawBody: string, time: string): Variant[] {
  const out: Variant[] = [];
  const addBody = (body: string, ...causes: Cause[]): void => void out.push({ recipe: 'raw', stringToSign: rawStringToSign(body, time), causes, body });
  // Most specific first: a stray newline also disappears when the body is re-written compactly.
  const trimmed = rawBody.replace(/(\r?\n)+$/, '');
  if (trimmed !== rawBody) {
    addBody(trimmed, {
      mistake: 'trailing-newline',
      title: 'trailing newline in the body checked',
      explanation: 'the signature matches the body without its trailing newline: the copy checked gained one after signing (an editor, echo, or a log line)',
      fix: 'check the exact bytes received: save bodies with printf \'%s\' or take them from "cashier-check listen" captures',
    });
  }
  const parsed = parseJsonLossless(rawBody);
  if (parsed.ok) {
    const value = parsed.value;
    const compact = serialiseJson(value, COMPACT);
    const styles: [string, Partial<JsonStyle>][] = [
      ['written compactly (the body checked had extra whitespace)', {}],
      ['pretty-printed with 2 spaces', { indent: '  ', keySeparator: ': ' }],
      ['pretty-printed with 4 spaces', { indent: '    ', keySeparator: ': ' }],
      ['written with Python\'s json.dumps spacing (", " and ": ")', { itemSeparator: ', ', keySeparator: ': ' }],
      ['re-ordered with its keys sorted', { sortKeys: true }],
    ];
    for (const [how, style] of styles) addBody(serialiseJson(value, { ...COMPACT, ...style }), reserialisedCause(how));
    const numbers = numberChange(value);
    if (numbers) {
      const jsStyle = { ...COMPACT, numberText: javascriptNumberText };
      const reformatted = serialiseJson(value, jsStyle);
      addBody(reformatted, numbersCause(numbers), ...(compact === rawBody ? [] : [reserialisedCause('written compactly')]));
      addBody(serialiseJson(value, { ...jsStyle, indent: '  ', keySeparator: ': ' }), numbersCause(numbers), reserialisedCause('pretty-printed with 2 spaces'));
    }
  }
  out.push(timeRawVariant(rawBody, time));
  out.push({ recipe: 'raw', stringToSign: rawBody, causes: [missingTimeCause('the raw body (the recipe one BlockATM page shows)')] });
  addBody(`${rawBody}\n`, newlineSignedCause('body'));
  out.push({ recipe: 'raw', stringToSign: `${rawStringToSign(rawBody, time)}\n`, causes: [newlineSignedCause('string to sign')] });
  return out;
}

function timeRawVariant(rawBody: string, time: string): Variant {
  const [stringToSign, cause] = timeVariant(rawBody, time, rawStringToSign);
  return { recipe: 'raw', stringToSign, causes: [cause] };
}

/** The same string with the time in the other unit: seconds for a millisecond header, and back. */
function timeVariant(base: string, time: string, build: (base: string, time: string) => string): [string, Cause] {
  const ms = Number(time);
  if (ms >= 100_000_000_000) {
    const seconds = String(Math.floor(ms / 1000));
    return [build(base, seconds), {
      mistake: 'time-seconds',
      title: 'time in seconds',
      explanation: `the signature matches the string with time=${seconds}: epoch seconds, while BlockATM-Request-Time carries ${time} milliseconds`,
      fix: 'sign the exact BlockATM-Request-Time header value, epoch milliseconds (Date.now(), System.currentTimeMillis())',
    }];
  }
  return [build(base, `${time}000`), {
    mistake: 'time-seconds',
    title: 'time in seconds in the header',
    explanation: `BlockATM-Request-Time carries ${time}, epoch seconds, but the signature covers ${time}000 milliseconds`,
    fix: 'send the same epoch-milliseconds value in BlockATM-Request-Time that you signed',
  }];
}

function numbersCause(example: string): Cause {
  return {
    mistake: 'numbers',
    title: `numbers re-formatted (${example})`,
    explanation: `the signature matches the string to sign with numbers as JavaScript prints them (${example}): the body went through JSON.parse or a float before signing, while BlockATM signs each number exactly as written`,
    fix: 'build the string to sign from the raw JSON text with a lossless parser (lossless-json, Jackson BigDecimal, json.loads(parse_float=Decimal)), or verify the raw bytes',
  };
}

function reserialisedCause(how: string): Cause {
  return {
    mistake: 're-serialised',
    title: 'body re-serialised',
    explanation: `the signature matches this body ${how}: the JSON was re-serialised between signing and checking, either by a framework that parsed and re-wrote it, or by a signer that signed a re-formatted copy instead of the bytes it sent`,
    fix: RESERIALISE_FIX,
  };
}

function missingTimeCause(what: string): Cause {
  return {
    mistake: 'missing-time',
    title: 'no &time= in the string to sign',
    explanation: `the signature matches ${what} alone, without &time=<BlockATM-Request-Time>`,
    fix: 'append &time= and the BlockATM-Request-Time header value to the string to sign',
  };
}

function newlineSignedCause(what: string): Cause {
  return {
    mistake: 'trailing-newline',
    title: 'trailing newline signed',
    explanation: `the signature covers the ${what} plus a trailing newline (typical of echo ... | openssl dgst, or a file saved by an editor)`,
    fix: 'sign the string exactly, without a newline: printf \'%s\' or echo -n, and no println',
  };
}

function parseObject(rawBody: string): JsonObject | undefined {
  if (rawBody.trim() === '') return {};
  const parsed = parseJsonLossless(rawBody);
  return parsed.ok && isJsonObject(parsed.value) ? parsed.value : undefined;
}

/** key=value pairs in the canonical order (nested values flattened as canonical.ts does). */
function flatPairs(object: JsonObject): [string, string][] {
  const canonical = canonicalFromObject(object).canonical;
  if (canonical === '') return [];
  return canonical.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq === -1 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
  });
}

function unsortedPairs(object: JsonObject): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [key, value] of Object.entries(object)) {
    if (value === null || typeof value === 'object' && !isLosslessNumber(value)) continue;
    pairs.push([key, scalarText(value)]);
  }
  return pairs;
}

function joinPairs(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Python's quote_plus: unreserved characters kept, space as +, everything else %-escaped. */
function formEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
}

function mapNumbers(value: JsonValue, render: (text: string) => string): JsonValue {
  if (isLosslessNumber(value)) return new LosslessNumber(render(value.value));
  if (Array.isArray(value)) return value.map((item) => mapNumbers(item, render));
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) Object.defineProperty(out, key, { value: mapNumbers(value[key] as JsonValue, render), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** The first number JavaScript would print differently, as `2000.00 → 2000`. */
function numberChange(value: JsonValue): string | undefined {
  if (isLosslessNumber(value)) {
    const js = javascriptNumberText(value.value);
    return js === value.value ? undefined : `${value.value} → ${js}`;
  }
  const items = Array.isArray(value) ? value : isJsonObject(value) ? Object.values(value) : [];
  for (const item of items) {
    const found = numberChange(item);
    if (found) return found;
  }
  return undefined;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;
function isDecimalString(text: string): boolean {
  return DECIMAL.test(text);
}

function decimalStringChange(object: JsonObject): string | undefined {
  for (const value of Object.values(object)) {
    if (typeof value === 'string' && isDecimalString(value) && javascriptNumberText(value) !== value) return `"${value}" → ${javascriptNumberText(value)}`;
  }
  return undefined;
}
