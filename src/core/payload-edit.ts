import { LosslessNumber } from 'lossless-json';
import { isJsonObject, isLosslessNumber, parseJsonLossless, type JsonObject, type JsonValue } from './json.js';
import { COMPACT, serialiseJson } from './json-style.js';
import { fail, ok, type Result } from './result.js';

/** One `--set` edit: `field=value` keeps the field's JSON type, `field:=json` sets raw JSON. */
export interface FieldEdit {
  field: string;
  text: string;
  raw: boolean;
}

export interface AppliedEdit {
  field: string;
  from: string | null;
  to: string;
}

/** Parses `field=value` or `field:=<json>`. */
export function parseFieldEdit(input: string): Result<FieldEdit> {
  const eq = input.indexOf('=');
  if (eq <= 0) return fail(`"${input.slice(0, 60)}" is not field=value`);
  const raw = input[eq - 1] === ':';
  const field = input.slice(0, raw ? eq - 1 : eq).trim();
  if (field === '') return fail(`"${input.slice(0, 60)}" has no field name`);
  return ok({ field, text: input.slice(eq + 1), raw });
}

/**
 * Applies edits to a JSON object body and writes it compactly, as BlockATM sends it, with every
 * untouched number kept as written. A plain value keeps the type of the field it replaces
 * (amount stays a string, status 9 stays a number), so an edit does not change the shape.
 */
export function applyFieldEdits(rawBody: string, edits: FieldEdit[]): Result<{ body: string; applied: AppliedEdit[] }> {
  const parsed = parseJsonLossless(rawBody);
  if (!parsed.ok) return fail(`the captured body is not JSON that can be edited: ${parsed.error}`);
  if (!isJsonObject(parsed.value)) return fail('the captured body is not a JSON object');
  const object: JsonObject = parsed.value;
  const applied: AppliedEdit[] = [];
  for (const edit of edits) {
    const has = Object.prototype.hasOwnProperty.call(object, edit.field);
    const current = has ? (object[edit.field] as JsonValue) : undefined;
    const value = edit.raw ? parseRaw(edit) : typedValue(current, edit.text);
    if (!value.ok) return value;
    Object.defineProperty(object, edit.field, { value: value.value, enumerable: true, writable: true, configurable: true });
    applied.push({ field: edit.field, from: current === undefined ? null : serialiseJson(current, COMPACT), to: serialiseJson(value.value, COMPACT) });
  }
  return ok({ body: serialiseJson(object, COMPACT), applied });
}

function parseRaw(edit: FieldEdit): Result<JsonValue> {
  const value = parseJsonLossless(edit.text);
  return value.ok ? value : fail(`${edit.field}:= needs a JSON value (${value.error}); use ${edit.field}=text for a string`);
}

function typedValue(current: JsonValue | undefined, text: string): Result<JsonValue> {
  if (isLosslessNumber(current)) {
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return fail(`"${text.slice(0, 40)}" is not a number, and the field is one; use field:="text" to make it a string`);
    return ok(new LosslessNumber(text));
  }
  if (typeof current === 'boolean') {
    if (text !== 'true' && text !== 'false') return fail(`"${text.slice(0, 40)}" is not true or false, and the field is a boolean`);
    return ok(text === 'true');
  }
  return ok(text);
}
