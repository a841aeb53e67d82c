import { checkSettings } from '../core/settings-check.js';
import { DEFAULT_PROFILE, FIELD_LABELS, type Profile, type ProfileField, type Settings } from '../core/settings.js';
import { OWN_ENDPOINT_FLAG, productionRefusal } from '../core/endpoint-guard.js';
import { parseHttpUrl } from '../core/validate.js';
import { badInput, CliError, ExitCode, orBadInput } from '../errors.js';
import { openProfileStore, profileNameProblem, type ProfileStore } from './profile-store.js';

/** The profile name in force: --profile, then CASHIER_CHECK_PROFILE, then the active one. */
export function profileNameFor(flag: string | undefined, env: Record<string, string | undefined>, active: string | undefined): { name: string; explicit: boolean } {
  const fromFlag = flag?.trim();
  const chosen = fromFlag || env.CASHIER_CHECK_PROFILE?.trim();
  if (chosen) {
    const problem = profileNameProblem(chosen);
    if (problem) throw new CliError(`${fromFlag ? '--profile' : 'CASHIER_CHECK_PROFILE'}: ${problem}`, { exitCode: ExitCode.usage, field: 'profile' });
    return { name: chosen, explicit: true };
  }
  return { name: active ?? DEFAULT_PROFILE, explicit: false };
}

/** The error for a profile name that is not in the store, naming the ones that are. */
export function unknownProfile(name: string, store: ProfileStore): CliError {
  const known = store.list();
  return new CliError(`unknown profile "${name}"`, {
    exitCode: ExitCode.usage,
    field: 'profile',
    hint: known.length ? `known profiles: ${known.join(', ')}; or create it with "cashier-check init --profile ${name}"` : `no profiles yet; create one with "cashier-check init --profile ${name}"`,
  });
}

/**
 * The profile in force and its stored values. A named profile that is not stored is an error;
 * so is an active profile that a hand edit left dangling, which would otherwise be replaced by
 * empty settings without a word. Only the implicit default may be absent (env-only CI runs).
 */
export function profileInForce(store: ProfileStore, flag: string | undefined, env: Record<string, string | undefined>): { name: string; profile: Profile | undefined } {
  const active = store.active();
  const { name, explicit } = profileNameFor(flag, env, active);
  const profile = store.get(name);
  if (profile === undefined && explicit) throw unknownProfile(name, store);
  if (profile === undefined && active !== undefined && name === active) {
    const known = store.list();
    throw new CliError(`the active profile "${name}" is not in the profile file`, {
      exitCode: ExitCode.usage,
      field: 'profile',
      hint: `${known.length ? `choose one with "cashier-check config use <profile>" (${known.join(', ')}), or ` : ''}create it with "cashier-check init --profile ${name}"`,
    });
  }
  return { name, profile };
}

/**
 * Settings for a command: flags > env > stored profile > defaults, each value checked by the
 * same validator as `init` uses. An explicitly named profile that does not exist is an error;
 * the implicit default may be absent (env-only CI runs).
 */
export function loadSettings(env: Record<string, string | undefined>, profileFlag: string | undefined, flags: Profile = {}): Settings {
  const store = openProfileStore(env);
  const { name, profile } = profileInForce(store, profileFlag, env);
  const { settings, problems } = checkSettings({ flags, env, profile, profileName: name });
  const first = problems[0];
  if (first) {
    const fix = first.source === 'profile' ? `run "cashier-check init --profile ${name}" to fix it, or edit ${store.path}` : undefined;
    throw new CliError(`${first.where}: ${first.problem}`, { exitCode: ExitCode.usage, field: first.where, hint: fix });
  }
  return settings;
}

/** Fails with the flag and env var to set when a credential is missing. */
export function requireSetting<K extends keyof Settings>(settings: Settings, field: K, how: string): NonNullable<Settings[K]> {
  const value = settings[field];
  if (value === undefined || value === '') {
    throw new CliError(`the ${FIELD_LABELS[field as ProfileField] ?? String(field)} is not set`, { exitCode: ExitCode.usage, field: String(field), hint: how });
  }
  return value as NonNullable<Settings[K]>;
}

/**
 * Where signed deliveries go: --to, else the Webhook URL in force, refused for a possibly live
 * production shop unless the user confirmed the endpoint is theirs. `sending` names the traffic.
 */
export function resolveDeliveryTarget(settings: Settings, to: string | undefined, confirmed: boolean, purpose: { missing: string; sending: string; consent: string }): URL {
  const target = to ?? settings.webhookUrl;
  if (target === undefined) throw badInput('--to', purpose.missing, 'give --to <url>, or set CASHIER_CHECK_WEBHOOK_URL or the profile\'s Webhook URL');
  const url = orBadInput(to === undefined ? 'webhookUrl' : '--to', parseHttpUrl(target));
  const refusal = productionRefusal(settings, url, confirmed);
  if (refusal) throw badInput('--to', `refusing to send ${purpose.sending}: ${refusal}`, `add ${OWN_ENDPOINT_FLAG} if this endpoint is yours and ${purpose.consent}`);
  return url;
}
