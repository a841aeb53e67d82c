import type { Result } from '../core/result.js';
import { ENV_VARS, ENVIRONMENTS, maskSecret, type Profile, type ProfileField } from '../core/settings.js';
import { FIELD_LABELS, FLAG_NAMES, validateField } from '../core/settings-check.js';
import { validateEnvironment, validateSignatureVersion, validateWebhookUrl } from '../core/validate.js';
import { AnswerNeeded, type Prompter } from '../ui/prompter.js';
import { badInput, CliError, ExitCode } from '../errors.js';

export interface InitFlags {
  environment?: string;
  cashierId?: string;
  webhookUrl?: string;
  signatureVersion?: string;
}

interface Sources {
  flags: InitFlags;
  env: Record<string, string | undefined>;
  /** The profile being edited: its valid values are offered as defaults. */
  existing: Profile;
  prompter: Prompter;
}

/**
 * Gathers a whole profile: each field from its flag, then its env var, then a prompt (offering
 * the stored value), or, when prompting is impossible, the stored value. One validator per
 * field guards all four. Without a terminal, every missing answer is listed in one error.
 */
export async function gatherProfile(sources: Sources): Promise<Profile> {
  const missing: AnswerNeeded[] = [];
  const attempt = async <T>(ask: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await ask();
    } catch (error) {
      if (error instanceof AnswerNeeded) {
        missing.push(error);
        return undefined;
      }
      throw error;
    }
  };
  const target = await askEnvironment(sources);
  const production = target.environment === 'production';
  const profile: Profile = { environment: target.environment, ...(target.baseUrl ? { baseUrl: target.baseUrl } : {}) };
  profile.cashierId = await attempt(() => askText(sources, 'cashierId', 'Cashier Desk ID:', (text) => validateField('cashierId', text)));
  profile.apiKey = await attempt(() => askSecret(sources, 'apiKey', 'API key (integration public key):'));
  profile.secretKey = await attempt(() => askSecret(sources, 'secretKey', 'Secret key (integration key):'));
  profile.webhookKey = await attempt(() => askSecret(sources, 'webhookKey', 'Webhook key:'));
  profile.webhookUrl = await attempt(() => askText(sources, 'webhookUrl', 'Webhook URL (your endpoint that receives BlockATM notifications):', (text) => validateWebhookUrl(text, production)));
  profile.signatureVersion = await askVersion(sources);
  if (profile.signatureVersion === 'v1') {
    profile.v1PrivateKey = await attempt(() => askSecret(sources, 'v1PrivateKey', 'Your EC private key (Base64 PKCS#8 DER, V1 request signing):'));
    profile.v1PublicKey = await attempt(() => askText(sources, 'v1PublicKey', "BlockATM's EC public key (Base64 DER, V1 webhook verification):", (text) => validateField('v1PublicKey', text)));
  }
  if (missing.length > 0) {
    const why = missing[0]!.why;
    const list = missing.map((error) => `${error.question.name} (${error.question.answerWith})`).join(', ');
    throw new CliError(`missing ${list}`, { exitCode: ExitCode.usage, field: 'init', hint: `${why}; set those, or run "cashier-check init" on a terminal without --yes to be asked` });
  }
  return Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== undefined)) as Profile;
}

/** The flag and env var that answer a field, as listed when a value is missing. */
function answerWith(field: ProfileField): string {
  const env = field === 'environment' ? `${ENV_VARS.environment} or ${ENV_VARS.baseUrl}` : ENV_VARS[field];
  const flag = FLAG_NAMES[field];
  return flag ? `${flag} or ${env}` : `${env}`;
}

/** A value from the flag or env var, validated; a bad one is an error naming where it came from. */
function given<T>(sources: Sources, field: ProfileField, validate: (text: string) => Result<T>): T | undefined {
  const flagName = FLAG_NAMES[field];
  const flagValue = flagName ? (sources.flags as Record<string, string | undefined>)[field] : undefined;
  const envName = ENV_VARS[field];
  const envValue = envName ? sources.env[envName] : undefined;
  const [where, raw] = flagValue !== undefined ? [flagName!, flagValue] : envValue ? [envName!, envValue] : [undefined, undefined];
  if (where === undefined || raw === undefined) return undefined;
  const result = validate(raw);
  if (!result.ok) throw badInput(where, result.error);
  return result.value;
}

/** The stored value when it still passes the validator; a bad stored value is not offered. */
function stored<T>(sources: Sources, field: ProfileField, validate: (text: string) => Result<T>): T | undefined {
  const value = sources.existing[field];
  if (value === undefined || value === '') return undefined;
  const result = validate(value);
  return result.ok ? result.value : undefined;
}

async function askText<T extends string>(sources: Sources, field: ProfileField, message: string, validate: (text: string) => Result<T>): Promise<T> {
  const fromOutside = given(sources, field, validate);
  if (fromOutside !== undefined) return fromOutside;
  const current = stored(sources, field, validate);
  if (!sources.prompter.interactive && current !== undefined) return current;
  return sources.prompter.input({ message, name: FIELD_LABELS[field], default: current, validate, answerWith: answerWith(field) });
}

async function askSecret(sources: Sources, field: ProfileField, message: string): Promise<string> {
  const validate = (text: string): Result<string> => validateField(field, text);
  const fromOutside = given(sources, field, validate);
  if (fromOutside !== undefined) return fromOutside;
  const current = stored(sources, field, validate);
  if (!sources.prompter.interactive && current !== undefined) return current;
  const shown = current === undefined ? message : `${message.replace(/:$/, '')} [${maskSecret(current)}]:`;
  return sources.prompter.password({ message: shown, name: FIELD_LABELS[field], current, validate, answerWith: answerWith(field) });
}

async function askEnvironment(sources: Sources): Promise<{ environment: string; baseUrl?: string }> {
  const flag = sources.flags.environment;
  const envValue = sources.env[ENV_VARS.baseUrl!] || sources.env[ENV_VARS.environment!];
  const where = flag !== undefined ? '--environment' : sources.env[ENV_VARS.baseUrl!] ? ENV_VARS.baseUrl! : ENV_VARS.environment!;
  const raw = flag ?? envValue;
  if (raw !== undefined && raw !== '') {
    const result = validateEnvironment(raw);
    if (!result.ok) throw badInput(where, result.error);
    return result.value;
  }
  const current = storedEnvironment(sources.existing);
  if (!sources.prompter.interactive) return current ?? { environment: 'sandbox' };
  const choice = await sources.prompter.select({
    message: 'Environment:',
    name: FIELD_LABELS.environment,
    answerWith: answerWith('environment'),
    default: current?.environment ?? 'sandbox',
    choices: [
      { name: 'sandbox', value: 'sandbox', description: ENVIRONMENTS.sandbox },
      { name: 'production', value: 'production', description: ENVIRONMENTS.production },
      { name: 'custom base URL', value: 'custom', description: 'the offline emulator, or another BlockATM host' },
    ],
  });
  if (choice !== 'custom') return { environment: choice };
  const url = await sources.prompter.input({
    message: 'API base URL:',
    name: FIELD_LABELS.baseUrl,
    default: current?.baseUrl,
    answerWith: answerWith('environment'),
    validate: (text) => {
      const result = validateEnvironment(text);
      return result.ok && result.value.baseUrl === undefined && !/^https?:/i.test(text.trim()) ? { ok: false, error: 'give an absolute http(s) URL' } : result;
    },
  });
  return url;
}

function storedEnvironment(existing: Profile): { environment: string; baseUrl?: string } | undefined {
  if (existing.baseUrl) {
    const result = validateEnvironment(existing.baseUrl);
    if (result.ok) return result.value;
  }
  if (existing.environment && existing.environment !== 'custom') {
    const result = validateEnvironment(existing.environment);
    if (result.ok) return result.value;
  }
  return undefined;
}

async function askVersion(sources: Sources): Promise<'v1' | 'v2'> {
  const fromOutside = given(sources, 'signatureVersion', validateSignatureVersion);
  if (fromOutside !== undefined) return fromOutside;
  const current = stored(sources, 'signatureVersion', validateSignatureVersion) ?? 'v2';
  if (!sources.prompter.interactive) return current;
  return sources.prompter.select({
    message: 'Signature version:',
    name: FIELD_LABELS.signatureVersion,
    answerWith: answerWith('signatureVersion'),
    default: current,
    choices: [
      { name: 'v2 (HMAC-SHA256)', value: 'v2', description: 'the current protocol; choose this unless BlockATM still has you on V1' },
      { name: 'v1 (ECDSA P-256, legacy)', value: 'v1', description: 'asks for your EC private key and BlockATM\'s EC public key' },
    ],
  });
}

