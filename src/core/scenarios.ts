import { stringify } from 'lossless-json';
import { isLosslessNumber, parseJsonLossless, type JsonValue } from './json.js';
import { fail, ok, type Result } from './result.js';
import type { EventKind, PaymentStatus, PayoutStatus } from './status.js';
import { buildDelivery, samplePayment, samplePayout, withIntegerStatus, type Randomness, type SignedDelivery } from './webhook-payload.js';
import type { Recipe } from './webhook-signature.js';

type ScenarioDefinition = { event: 'Payment'; status: PaymentStatus } | { event: 'Payout'; status: PayoutStatus };

/** The webhooks `trigger` can send, each the status change BlockATM notifies (Part B §5). */
export const SCENARIOS = {
  'payment.success': { event: 'Payment', status: 'SUCCESS' },
  'payment.pending': { event: 'Payment', status: 'PENDING' },
  'payment.expired': { event: 'Payment', status: 'EXPIRED' },
  'payment.cancelled': { event: 'Payment', status: 'CANCELLED' },
  'payout.success': { event: 'Payout', status: 'SUCCESS' },
  'payout.refused': { event: 'Payout', status: 'REFUSE' },
} as const satisfies Record<string, ScenarioDefinition>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}

/** One `--set` override, parsed. `raw` means the value was given as JSON (`field:=json`). */
export interface FieldOverride {
  field: string;
  value: string;
  raw: boolean;
}

/**
 * Parses `field=value` (typed like the field it replaces) or `field:=json` (a raw JSON value,
 * as HTTPie spells it). Field names are plain: no spaces, `=` or `:`.
 */
export function parseOverride(text: string): Result<FieldOverride> {
  const eq = text.indexOf('=');
  if (eq <= 0) return fail(`"${text.slice(0, 60)}" is not field=value (or field:=json)`);
  const raw = text[eq - 1] === ':';
  const field = text.slice(0, raw ? eq - 1 : eq);
  if (!/^[^\s=:]{1,64}$/.test(field)) return fail(`"${field.slice(0, 60)}" is not a field name (1-64 characters, no spaces, "=" or ":")`);
  return ok({ field, value: text.slice(eq + 1), raw });
}

const NUMBER_TEXT = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Applies overrides to ordered payload entries. A plain value takes the type of the field it
 * replaces (a number field needs a JSON number, kept as written; anything else is a string); a new
 * field is a string; `:=` takes any JSON value, so `amount:=999` sends a number.
 */
export function applyOverrides(entries: [string, JsonValue][], overrides: FieldOverride[]): Result<{ entries: [string, JsonValue][]; notes: string[] }> {
  const result = entries.map(([key, value]) => [key, value] as [string, JsonValue]);
  const notes: string[] = [];
  for (const override of overrides) {
    const index = result.findIndex(([key]) => key === override.field);
    const current = index === -1 ? undefined : result[index]![1];
    let value: JsonValue;
    if (override.raw) {
      const parsed = parseJsonLossless(override.value);
      if (!parsed.ok) return fail(`${override.field}:= needs a JSON value (e.g. 999, "text", true, null): ${parsed.error}`);
      value = parsed.value;
    } else if (current !== undefined && isLosslessNumber(current)) {
      if (!NUMBER_TEXT.test(override.value)) return fail(`${override.field} is a number in this payload; "${override.value.slice(0, 40)}" is not one (use ${override.field}:='"text"' to send a string)`);
      const parsed = parseJsonLossless(override.value);
      if (!parsed.ok) return fail(`${override.field}: ${parsed.error}`);
      value = parsed.value;
    } else {
      value = override.value;
    }
    if (index === -1) {
      result.push([override.field, value]);
      notes.push(`added field ${override.field}, which BlockATM does not send in this event`);
    } else {
      result[index] = [override.field, value];
    }
  }
  return ok({ entries: result, notes });
}

/** Compact JSON of ordered entries; numbers keep their text, `__proto__` stays an ordinary key. */
export function serialiseEntries(entries: [string, JsonValue][]): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${stringify(value) ?? 'null'}`).join(',')}}`;
}

function toEntries(payload: object): [string, JsonValue][] {
  const parsed = parseJsonLossless(JSON.stringify(payload));
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value) || isLosslessNumber(parsed.value)) return [];
  return Object.entries(parsed.value);
}

export interface ScenarioRequest {
  scenario: ScenarioName;
  webhookKey: string;
  timeMs: number;
  overrides?: FieldOverride[];
  /** Payment status as BlockATM's legacy integer code (D11). */
  intStatus?: boolean;
  recipe?: Recipe;
  random?: Randomness;
}

export interface ScenarioDelivery {
  scenario: ScenarioName;
  event: EventKind;
  delivery: SignedDelivery;
  notes: string[];
}

/**
 * A webhook for a scenario, exactly as BlockATM would send it (D10): realistic payload, overrides
 * applied, then signed with the Webhook key, so an override never leaves a stale signature.
 */
export function buildScenario(request: ScenarioRequest): Result<ScenarioDelivery> {
  const definition: ScenarioDefinition = SCENARIOS[request.scenario];
  let payload: object;
  if (definition.event === 'Payment') {
    const sample = samplePayment(request.timeMs, { status: definition.status }, request.random);
    payload = request.intStatus ? withIntegerStatus(sample) : sample;
  } else {
    if (request.intStatus) return fail('applies to payment scenarios only; payout statuses are always SUCCESS or REFUSE');
    payload = samplePayout(request.timeMs, { status: definition.status }, request.random);
  }
  const applied = applyOverrides(toEntries(payload), request.overrides ?? []);
  if (!applied.ok) return applied;
  const body = serialiseEntries(applied.value.entries);
  try {
    const delivery = buildDelivery({ event: definition.event, body, webhookKey: request.webhookKey, timeMs: request.timeMs, recipe: request.recipe });
    return ok({ scenario: request.scenario, event: definition.event, delivery, notes: applied.value.notes });
  } catch (error) {
    return fail((error as Error).message);
  }
}
