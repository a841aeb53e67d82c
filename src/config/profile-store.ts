import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type Conf from 'conf';
import { PROFILE_FIELDS, type Profile } from '../core/settings.js';
import { CliError, ExitCode } from '../errors.js';
import { withFileLock } from './file-lock.js';

interface StoreShape {
  activeProfile?: string;
  profiles?: Record<string, Profile>;
}

/** Profiles on disk: one JSON file, mode 0600 in a 0700 folder, replaced atomically on write. */
export interface ProfileStore {
  readonly path: string;
  readonly dir: string;
  readonly exists: boolean;
  active(): string | undefined;
  setActive(name: string): Promise<void>;
  get(name: string): Profile | undefined;
  /** Writes one profile (and, with `activate`, makes it active) in a single atomic write. */
  save(name: string, profile: Profile, options?: { activate?: boolean }): Promise<void>;
  /** Removes a profile; when it was the active one, no profile is active afterwards. */
  delete(name: string): Promise<boolean>;
  list(): string[];
}

export const CONFIG_FILE = 'config.json';
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Checks a profile name: letters, digits, `.`, `_`, `-`; returns the problem or undefined. */
export function profileNameProblem(name: string): string | undefined {
  return PROFILE_NAME.test(name) ? undefined : `"${name.slice(0, 40)}" is not a valid profile name; use letters, digits, ".", "_" or "-" (at most 64)`;
}

/** Where profiles live when CASHIER_CHECK_CONFIG_DIR is not set: the OS's per-user config folder. */
export function defaultConfigDir(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'cashier-check', 'Config');
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'cashier-check');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'cashier-check');
}

/** Opens the store in CASHIER_CHECK_CONFIG_DIR, or the OS's config folder for cashier-check. */
export function openProfileStore(env: Record<string, string | undefined>): ProfileStore {
  const dir = env.CASHIER_CHECK_CONFIG_DIR?.trim() || defaultConfigDir(env);
  const path = join(dir, CONFIG_FILE);
  let conf: Conf<StoreShape> | undefined;
  // Reads need only JSON.parse; conf (and its schema validator) loads on the first write, which
  // keeps every command that merely reads settings quick to start.
  const open = async (): Promise<Conf<StoreShape>> => {
    if (conf) return conf;
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { default: ConfStore } = await import('conf');
    conf = new ConfStore<StoreShape>({ projectName: 'cashier-check', projectSuffix: '', configName: 'config', cwd: dir, configFileMode: 0o600, clearInvalidConfig: false, watch: false });
    return conf;
  };
  const read = (): { activeProfile?: string; profiles: Record<string, Profile> } => {
    if (!existsSync(path)) return { profiles: {} };
    return readStore(path);
  };
  // Every change re-reads the file under a lock, so concurrent writers never lose each other's profiles.
  const update = async (change: (current: ReturnType<typeof read>) => StoreShape): Promise<void> => {
    read(); // a corrupt file is reported as such, before conf (which would throw on it) loads
    try {
      const store = await open();
      withFileLock(`${path}.lock`, () => {
        store.store = change(read());
        chmodSync(path, 0o600);
      });
    } catch (error) {
      if (error instanceof CliError) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new CliError(`cannot write the profile file ${path} (${code})`, {
        exitCode: ExitCode.usage,
        field: 'profile file',
        hint: 'check that the folder is writable, or point CASHIER_CHECK_CONFIG_DIR at one that is',
      });
    }
  };
  return {
    path,
    dir,
    get exists() {
      return existsSync(path);
    },
    active: () => read().activeProfile,
    setActive: (name) => update((current) => ({ ...current, activeProfile: name })),
    get(name) {
      const { profiles } = read();
      return Object.hasOwn(profiles, name) ? profiles[name] : undefined;
    },
    save: (name, profile, options = {}) =>
      update((current) => ({ ...current, profiles: { ...current.profiles, [name]: profile }, ...(options.activate ? { activeProfile: name } : {}) })),
    async delete(name) {
      if (!Object.hasOwn(read().profiles, name)) return false;
      let removed = false;
      await update((current) => {
        removed = Object.hasOwn(current.profiles, name);
        const profiles = Object.fromEntries(Object.entries(current.profiles).filter(([key]) => key !== name));
        const next: StoreShape = { profiles };
        if (current.activeProfile !== undefined && current.activeProfile !== name) next.activeProfile = current.activeProfile;
        return next;
      });
      return removed;
    },
    list: () => Object.keys(read().profiles).sort(),
  };
}

/**
 * Reads and checks the file. A hand-edited file that no longer parses, or holds values of the
 * wrong type, is reported with its path and never overwritten; the parser's own message is not
 * shown, since it quotes the file's text, which holds secrets.
 */
function readStore(path: string): { activeProfile?: string; profiles: Record<string, Profile> } {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw corrupt(path, code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : 'not valid JSON');
  }
  if (!isPlainObject(data)) throw corrupt(path, 'expected a JSON object with "profiles"');
  const { activeProfile, profiles = {} } = data as StoreShape;
  if (activeProfile !== undefined && typeof activeProfile !== 'string') throw corrupt(path, '"activeProfile" must be a profile name');
  if (!isPlainObject(profiles)) throw corrupt(path, '"profiles" must be an object of named profiles');
  const checked: Record<string, Profile> = {};
  for (const [name, profile] of Object.entries(profiles)) checked[name] = checkProfile(path, name, profile);
  return { ...(activeProfile !== undefined ? { activeProfile } : {}), profiles: checked };
}

function checkProfile(path: string, name: string, profile: unknown): Profile {
  if (!isPlainObject(profile)) throw corrupt(path, `profile "${name}" must be an object`);
  const result: Record<string, string> = {};
  for (const field of PROFILE_FIELDS) {
    const value = profile[field];
    if (value === undefined || value === null) continue;
    // A desk ID typed as a bare number by hand is what the user meant.
    if (field === 'cashierId' && typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) result[field] = String(value);
    else if (typeof value === 'string') result[field] = value;
    else throw corrupt(path, `profile "${name}" field ${field} must be a string`);
  }
  return result as Profile;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function corrupt(path: string, detail: string): CliError {
  return new CliError(`profile file ${path} is corrupt (${detail})`, {
    exitCode: ExitCode.usage,
    field: 'profile file',
    hint: 'fix the file by hand, or move it away and run "cashier-check init" again',
  });
}
