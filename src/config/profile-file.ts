import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Profile } from '../core/settings.js';
import { CliError, ExitCode } from '../errors.js';

/** What the profile file holds. */
export interface StoreShape {
  activeProfile?: string;
  profiles?: Record<string, Profile>;
}

export const CONFIG_FILE = 'config.json';
const APP_NAME = 'cashier-check';

/**
 * The folder profiles live in: CASHIER_CHECK_CONFIG_DIR, else the OS's config folder (the same
 * place conf's env-paths picks, so reading needs no conf and start-up stays fast).
 */
export function configDir(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const chosen = env.CASHIER_CHECK_CONFIG_DIR?.trim();
  if (chosen) return chosen;
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_NAME, 'Config');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_NAME);
}

export function profileFilePath(env: Record<string, string | undefined>): string {
  return join(configDir(env), CONFIG_FILE);
}

/** Reads the profile file (absent: empty). A file that does not parse is reported, never overwritten. */
export function readProfileFile(path: string): StoreShape {
  if (!existsSync(path)) return {};
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    // The parser's message quotes the file's text, which holds secrets: say only what is wrong.
    throw corruptProfileFile(path, (error as NodeJS.ErrnoException).code ? 'cannot be read' : 'not valid JSON');
  }
  const shape = data as StoreShape;
  const profilesOk = shape.profiles === undefined || (typeof shape.profiles === 'object' && shape.profiles !== null && !Array.isArray(shape.profiles));
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !profilesOk) {
    throw corruptProfileFile(path, 'expected an object with "profiles"');
  }
  return shape;
}

/** One stored profile, or undefined; own keys only, so `__proto__` is never a profile. */
export function profileIn(shape: StoreShape, name: string): Profile | undefined {
  const profiles = shape.profiles ?? {};
  return Object.hasOwn(profiles, name) ? profiles[name] : undefined;
}

export function corruptProfileFile(path: string, detail: string): CliError {
  return new CliError(`profile file ${path} is corrupt (${detail})`, {
    exitCode: ExitCode.usage,
    field: 'profile file',
    hint: `fix the JSON by hand, or move it away and run "cashier-check init" again`,
  });
}
