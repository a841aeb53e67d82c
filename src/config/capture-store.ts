import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CapturedDelivery } from '../core/capture.js';
import { CliError, ExitCode } from '../errors.js';
import { openProfileStore } from './profile-store.js';

/** Captured deliveries live beside the profiles, in `captures/`, one JSON file each (mode 0600). */
export function capturesDir(env: Record<string, string | undefined>): string {
  return join(dirname(openProfileStore(env).path), 'captures');
}

/** saveCapture off the event loop: a listener under load keeps answering while files are written. */
export async function saveCaptureAsync(dir: string, capture: CapturedDelivery): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${capture.id}.json`);
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(capture, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
  return path;
}

/** Writes one capture: a temporary file, then a rename, so readers never see half a file. */
export function saveCapture(dir: string, capture: CapturedDelivery): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${capture.id}.json`);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(capture, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
  return path;
}

/** Newest first. Unreadable files are skipped, not fatal. */
export function listCaptures(dir: string): CapturedDelivery[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  const captures: CapturedDelivery[] = [];
  for (const name of names) {
    try {
      captures.push(JSON.parse(readFileSync(join(dir, name), 'utf8')) as CapturedDelivery);
    } catch {
      // a half-written or hand-edited file: not a capture
    }
  }
  return captures.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || b.id.localeCompare(a.id));
}

export function loadCapture(dir: string, id: string): CapturedDelivery {
  const found = listCaptures(dir).find((capture) => capture.id === id || capture.id.startsWith(id));
  if (!found) {
    throw new CliError(`no captured delivery "${id}"`, { exitCode: ExitCode.usage, field: 'id', hint: 'list them with "cashier-check replay --list"' });
  }
  return found;
}

/** A capture id that sorts by time: 20261126T070102-3f9a. */
export function newCaptureId(nowMs: number, random: string): string {
  return `${secondStamp(nowMs)}-${random}`;
}

function secondStamp(nowMs: number): string {
  return new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
}

/** newCaptureId for a server: the time part is formatted once per second, not once per request. */
export function captureIdMaker(): (nowMs: number, random: string) => string {
  let second = Number.NaN;
  let stamp = '';
  return (nowMs, random) => {
    const current = Math.floor(nowMs / 1000);
    if (current !== second) {
      second = current;
      stamp = secondStamp(nowMs);
    }
    return `${stamp}-${random}`;
  };
}
