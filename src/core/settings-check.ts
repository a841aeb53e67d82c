import { fail, ok, type Result } from './result.js';
import { ENV_VARS, FIELD_LABELS, namedEnvironment, profileFromEnv, resolveSettings, type Profile, type ProfileField, type Settings, type Source } from './settings.js';
import {
  parseHttpUrl,
  validateCashierId,
  validateKey,
  validateSignatureVersion,
  validateV1PrivateKey,
  validateV1PublicKey,
  validateWebhookUrl,
} from './validate.js';

/** The flags that can set a field (the ones `init` and other commands accept). */
export const FLAG_NAMES: Readonly<Partial<Record<ProfileField, string>>> = {
  environment: '--environment',
  baseUrl: '--base-url',
  cashierId: '--cashier-id',
  webhookUrl: '--webhook-url',
  signatureVersion: '--signature-version',
};

export { FIELD_LABELS };

/** The validator that guards one field, wherever its value comes from. */
export function validateField(field: ProfileField, value: string): Result<string> {
  switch (field) {
    case 'environment': {
      const name = value.trim();
      return name === 'custom' || namedEnvironment(name) ? ok(namedEnvironment(name) ?? 'custom') : fail('must be "sandbox", "production" or an http(s) base URL');
    }
    case 'baseUrl': {
      const url = parseHttpUrl(value);
      return url.ok ? ok(url.value.toString().replace(/\/+$/, '')) : url;
    }
    case 'cashierId':
      return validateCashierId(value);
    case 'apiKey':
    case 'secretKey':
    case 'webhookKey':
      return validateKey(value, FIELD_LABELS[field]);
    case 'webhookUrl':
      return validateWebhookUrl(value);
    case 'signatureVersion':
      return validateSignatureVersion(value);
    case 'v1PrivateKey':
      return validateV1PrivateKey(value);
    case 'v1PublicKey':
      return validateV1PublicKey(value);
  }
}

export interface SettingProblem {
  field: ProfileField;
  source: Source;
  /** Where the bad value came from, as the user would name it: a flag, an env var, a profile field. */
  where: string;
  problem: string;
}

export interface SettingsInput {
  flags?: Profile;
  env?: Record<string, string | undefined>;
  profile?: Profile;
  profileName?: string;
}

/**
 * Resolves settings and validates every value that won, with the same validators as flags and
 * prompts. Values come back cleaned (trimmed); each problem names its source so the message can
 * say exactly what to fix.
 */
export function checkSettings(input: SettingsInput): { settings: Settings; problems: SettingProblem[] } {
  const settings = resolveSettings(input);
  const layers: Record<Source, Profile> = { flag: input.flags ?? {}, env: profileFromEnv(input.env ?? {}), profile: input.profile ?? {}, default: {} };
  const problems: SettingProblem[] = [];
  const cleaned: Record<string, unknown> = { ...settings };
  const where = (field: ProfileField, source: Source): string => describeSource(field, source, input);
  for (const [field, source] of Object.entries(settings.sources) as [ProfileField, Source][]) {
    if (source === 'default') continue;
    const raw = layers[source][field];
    if (field === 'environment' && layers[source].baseUrl) continue;
    if (raw === undefined || raw === '') {
      if (field === 'baseUrl' && settings.environment === 'custom') {
        problems.push({ field, source, where: where('environment', source), problem: 'is "custom" but no base URL is set; set CASHIER_CHECK_BASE_URL or run "cashier-check init"' });
      }
      continue;
    }
    const result = validateField(field, raw);
    if (result.ok) cleaned[field] = result.value;
    else problems.push({ field, source, where: where(field, source), problem: result.error });
  }
  return { settings: cleaned as unknown as Settings, problems };
}

function describeSource(field: ProfileField, source: Source, input: SettingsInput): string {
  if (source === 'flag') return FLAG_NAMES[field] ?? FIELD_LABELS[field];
  if (source === 'env') {
    if (field === 'baseUrl' && !input.env?.[ENV_VARS.baseUrl!]) return ENV_VARS.environment!;
    return ENV_VARS[field] ?? FIELD_LABELS[field];
  }
  return `profile "${input.profileName ?? 'default'}" field ${field}`;
}
