import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import type { Profile } from '../core/settings.js';
import { CliError, ExitCode } from '../errors.js';
import { CONFIG_FILE, configDir, corruptProfileFile, profileIn, readProfileFile, type StoreShape } from './profile-file.js';

export { CONFIG_FILE };

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

/**
 * Opens the store in CASHIER_CHECK_CONFIG_DIR, or the OS's config folder for cashier-check.
 * Reading commands use profile-file.ts and never load conf; this is for commands that write.
 */
export function openProfileStore(env: Record<string, string | undefined>): ProfileStore {
  const cwd = configDir(env);
  const path = join(cwd, CONFIG_FILE);
  const read = (): StoreShape => readProfileFile(path);
  read();
  mkdirSync(cwd, { recursive: true, mode: 0o700 });
  let conf: Conf<StoreShape>;
  try {
    conf = new Conf<StoreShape>({ projectName: 'cashier-check', projectSuffix: '', configName: 'config', cwd, configFileMode: 0o600, clearInvalidConfig: false, watch: false });
  } catch {
    throw corruptProfileFile(path, 'cannot be read');
  }
  // Every change re-reads the file under a lock, so concurrent writers never lose each other's profiles.
  const update = (change: (store: StoreShape) => StoreShape): void =>
    withFileLock(`${path}.lock`, () => {
      conf.store = change(read());
      chmodSync(path, 0o600);
    });
  return {
    path,
    get exists() {
      return existsSync(path);
    },
    active: () => read().activeProfile,
    setActive: (name) => update((store) => ({ ...store, activeProfile: name })),
    get: (name) => profileIn(read(), name),
    save: (name, profile) => update((store) => ({ ...store, profiles: { ...store.profiles, [name]: profile } })),
    delete(name) {
      if (profileIn(read(), name) === undefined) return false;
      let removed = false;
      update((store) => {
        const { [name]: gone, ...rest } = store.profiles ?? {};
        removed = gone !== undefined;
        const { activeProfile, ...others } = store;
        return { ...others, profiles: rest, ...(activeProfile === name || activeProfile === undefined ? {} : { activeProfile }) };
      });
      return removed;
    },
    list: () => Object.keys(read().profiles ?? {}).sort(),
  };
}

const LOCK_WAIT_MS = 5_000;
const LOCK_STALE_MS = 10_000;

/** Runs `work` holding an exclusive lock file (O_EXCL); a lock left by a dead process is taken over. */
export function withFileLock<T>(lockPath: string, work: () => T): T {
  const deadline = Date.now() + LOCK_WAIT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let fd: number | undefined;
    try {
      fd = openSync(lockPath, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      try {
        return work();
      } finally {
        unlinkSync(lockPath);
      }
    }
    if (lockIsStale(lockPath)) {
      // Only after a crash; two waiters racing here is possible but needs a crash first.
      try {
        unlinkSync(lockPath);
      } catch {
        // another waiter removed it first
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new CliError(`the profile file is locked by another cashier-check (${lockPath})`, {
        exitCode: ExitCode.usage,
        field: 'profile file',
        hint: 'wait for the other command to finish; if none is running, delete the .lock file',
      });
    }
    Atomics.wait(pause, 0, 0, 5 + Math.floor(Math.random() * 10));
  }
}

function lockIsStale(lockPath: string): boolean {
  try {
    const owner = Number(readFileSync(lockPath, 'utf8'));
    if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) return true;
    return Date.now() - statSync(lockPath).mtimeMs > LOCK_STALE_MS;
  } catch {
    return false;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
