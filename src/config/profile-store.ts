import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import type { Profile } from '../core/settings.js';
import { CliError, ExitCode } from '../errors.js';

interface StoreShape {
  activeProfile?: string;
  profiles?: Record<string, Profile>;
}

/** Profiles on disk: one JSON file, mode 0600, written atomically by conf. */
export interface ProfileStore {
  readonly path: string;
  readonly exists: boolean;
  active(): string | undefined;
  setActive(name: string): void;
  get(name: string): Profile | undefined;
  save(name: string, profile: Profile): void;
  delete(name: string): boolean;
  list(): string[];
}

export const CONFIG_FILE = 'config.json';

/** Opens the store in CASHIER_CHECK_CONFIG_DIR, or the OS's config folder for cashier-check. */
export function openProfileStore(env: Record<string, string | undefined>): ProfileStore {
  const cwd = env.CASHIER_CHECK_CONFIG_DIR?.trim() || undefined;
  if (cwd) mkdirSync(cwd, { recursive: true, mode: 0o700 });
  const path = cwd ? join(cwd, CONFIG_FILE) : undefined;
  if (path) assertReadable(path);
  let conf: Conf<StoreShape>;
  try {
    conf = new Conf<StoreShape>({
      projectName: 'cashier-check',
      projectSuffix: '',
      configName: 'config',
      ...(cwd ? { cwd } : {}),
      configFileMode: 0o600,
      clearInvalidConfig: false,
      watch: false,
    });
  } catch {
    throw corrupt(path ?? 'the profile file', new Error('cannot be read'));
  }
  assertReadable(conf.path);
  const profiles = (): Record<string, Profile> => conf.get('profiles') ?? {};
  const write = (apply: () => void): void => {
    apply();
    chmodSync(conf.path, 0o600);
  };
  return {
    path: conf.path,
    get exists() {
      return existsSync(conf.path);
    },
    active: () => conf.get('activeProfile'),
    setActive: (name) => write(() => conf.set('activeProfile', name)),
    get: (name) => (Object.hasOwn(profiles(), name) ? profiles()[name] : undefined),
    save: (name, profile) => write(() => conf.set('profiles', { ...profiles(), [name]: profile })),
    delete(name) {
      const all = profiles();
      if (!Object.hasOwn(all, name)) return false;
      const { [name]: _removed, ...rest } = all;
      write(() => conf.set('profiles', rest));
      if (conf.get('activeProfile') === name) write(() => conf.delete('activeProfile'));
      return true;
    },
    list: () => Object.keys(profiles()).sort(),
  };
}

/** A hand-edited file that no longer parses is reported with its path, never overwritten. */
function assertReadable(path: string): void {
  if (!existsSync(path)) return;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // The parser's message quotes the file's text, which holds secrets: say only what is wrong.
    throw corrupt(path, new Error('not valid JSON'));
  }
  const shape = data as StoreShape;
  const profilesOk = shape.profiles === undefined || (typeof shape.profiles === 'object' && shape.profiles !== null && !Array.isArray(shape.profiles));
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !profilesOk) {
    throw corrupt(path, new Error('expected an object with "profiles"'));
  }
}

function corrupt(path: string, error: unknown): CliError {
  const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new CliError(`profile file ${path} is corrupt (${detail})`, {
    exitCode: ExitCode.usage,
    field: 'profile file',
    hint: `fix the JSON by hand, or move it away and run "cashier-check init" again`,
  });
}
