import { DEFAULT_PROFILE, resolveSettings, type Profile, type Settings } from '../core/settings.js';
import { CliError, ExitCode } from '../errors.js';
import { profileFilePath, profileIn, readProfileFile } from './profile-file.js';

/** The profile name in force: --profile, then CASHIER_CHECK_PROFILE, then the active one. */
export function profileNameFor(flag: string | undefined, env: Record<string, string | undefined>, active: string | undefined): { name: string; explicit: boolean } {
  const chosen = flag?.trim() || env.CASHIER_CHECK_PROFILE?.trim();
  if (chosen) return { name: chosen, explicit: true };
  return { name: active ?? DEFAULT_PROFILE, explicit: false };
}

/**
 * Settings for a command: flags > env > stored profile > defaults. An explicitly named profile
 * that does not exist is an error; the implicit default may be absent (env-only CI runs).
 */
export function loadSettings(env: Record<string, string | undefined>, profileFlag: string | undefined, flags: Profile = {}): Settings {
  // Read straight from the file: conf (and its schema validator) is only loaded to write.
  const stored = readProfileFile(profileFilePath(env));
  const { name, explicit } = profileNameFor(profileFlag, env, stored.activeProfile);
  const profile = profileIn(stored, name);
  if (explicit && profile === undefined) {
    const known = Object.keys(stored.profiles ?? {}).sort();
    throw new CliError(`unknown profile "${name}"`, {
      exitCode: ExitCode.usage,
      field: 'profile',
      hint: known.length ? `known profiles: ${known.join(', ')}; or create it with "cashier-check init --profile ${name}"` : `create it with "cashier-check init --profile ${name}"`,
    });
  }
  return resolveSettings({ flags, env, profile, profileName: name });
}

/** Fails with the flag and env var to set when a credential is missing. */
export function requireSetting<K extends keyof Settings>(settings: Settings, field: K, how: string): NonNullable<Settings[K]> {
  const value = settings[field];
  if (value === undefined || value === '') {
    throw new CliError(`${String(field)} is not set`, { exitCode: ExitCode.usage, field: String(field), hint: how });
  }
  return value as NonNullable<Settings[K]>;
}
