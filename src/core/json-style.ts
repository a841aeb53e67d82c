import { isJsonObject, isLosslessNumber, type JsonValue } from './json.js';

/** How a JSON serialiser lays out a value: the ways frameworks re-serialise a body. */
export interface JsonStyle {
  /** Indentation per level; empty for one line. */
  indent: string;
  /** Between items on one line: `,` (JavaScript) or `, ` (Python's json.dumps). */
  itemSeparator: string;
  /** Between key and value: `:` or `: `. */
  keySeparator: string;
  sortKeys: boolean;
  /** Renders a number from its source text; JavaScript's float round-trip by default. */
  numberText: (text: string) => string;
}

/** A number as `JSON.parse` then `JSON.stringify` leaves it: `2000.00` → `2000`. */
export function javascriptNumberText(text: string): string {
  const value = Number(text);
  return Number.isFinite(value) ? String(value) : text;
}

export const keepNumberText = (text: string): string => text;

export const COMPACT: JsonStyle = { indent: '', itemSeparator: ',', keySeparator: ':', sortKeys: false, numberText: keepNumberText };

/**
 * Serialises a losslessly parsed value in a given style, so the ways a body gets re-serialised
 * (pretty-printed, re-spaced, re-ordered, numbers re-formatted) can be reproduced exactly.
 */
export function serialiseJson(value: JsonValue, style: JsonStyle): string {
  return write(value, style, '');
}

function write(value: JsonValue, style: JsonStyle, depth: string): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (isLosslessNumber(value)) return style.numberText(value.value);
  const inner = depth + style.indent;
  const open = style.indent === '' ? '' : `\n${inner}`;
  const close = style.indent === '' ? '' : `\n${depth}`;
  const separator = style.indent === '' ? style.itemSeparator : `,\n${inner}`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${open}${value.map((item) => write(item, style, inner)).join(separator)}${close}]`;
  }
  if (!isJsonObject(value)) return 'null';
  const keys = Object.keys(value);
  if (style.sortKeys) keys.sort();
  if (keys.length === 0) return '{}';
  const members = keys.map((key) => `${JSON.stringify(key)}${style.keySeparator}${write(value[key] as JsonValue, style, inner)}`);
  return `{${open}${members.join(separator)}${close}}`;
}
