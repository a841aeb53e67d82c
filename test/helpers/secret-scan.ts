import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { runCli } from './cli.js';

/** Credentials no output may ever show: distinctive, so a leak of any part of one is found. */
export interface KnownSecrets {
  apiKey: string;
  secretKey: string;
  webhookKey: string;
  v1PrivateKey: string;
}

export function knownSecrets(): KnownSecrets {
  const tag = (name: string): string => `${name}LEAK${randomBytes(12).toString('base64url').replace(/[-_]/g, 'Q')}`;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    apiKey: tag('api'),
    secretKey: tag('sec'),
    webhookKey: tag('whk'),
    v1PrivateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
}

/** The length of a secret's fragment that counts as a leak: longer than a mask's 4 + 4 shown characters. */
const FRAGMENT = 12;

/** Every place a secret (or a 12-character piece of it) occurs in `text`. */
export function findLeaks(text: string, secrets: Partial<KnownSecrets>): string[] {
  const leaks: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    if (secret === undefined) continue;
    for (let start = 0; start + FRAGMENT <= secret.length; start++) {
      const piece = secret.slice(start, start + FRAGMENT);
      const at = text.indexOf(piece);
      if (at !== -1) {
        leaks.push(`${name} (characters ${start}–${start + FRAGMENT}) near: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + FRAGMENT + 40))}`);
        break;
      }
    }
  }
  return leaks;
}

/** Every file under `dir` (reports, captures, logs), except 0600 profile files, the one place secrets belong. */
export function filesToScan(dir: string): { path: string; text: string }[] {
  const found: { path: string; text: string }[] = [];
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (basename(path) !== 'config.json') found.push({ path: relative(dir, path), text: readFileSync(path, 'latin1') });
    }
  };
  walk(dir);
  return found;
}

export interface Run {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built binary in `cwd`, so files it writes (JUnit reports) land where they are scanned. */
export async function runIn(cwd: string, args: string[], env: NodeJS.ProcessEnv, input = '', timeoutMs = 20_000): Promise<Run> {
  // Loopback only: no TLS, so skip loading extra CA certificates (a slow start-up for nothing).
  const { NODE_EXTRA_CA_CERTS: _unused, ...rest } = env;
  return { args, ...(await runCli(args, { env: rest, input, timeoutMs, cwd })) };
}

/** Runs tasks a few at a time (the machine has two cores). */
export async function inBatches<T>(tasks: (() => Promise<T>)[], width = 4): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  return results;
}
