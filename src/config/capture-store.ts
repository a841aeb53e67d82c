import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CapturedDelivery } from '../core/capture.js';
import { CliError, ExitCode } from '../errors.js';
import { LEGACY_SUFFIX, SEGMENT_SUFFIX } from './capture-segments.js';
import { openProfileStore } from './profile-store.js';

/** Captured deliveries live beside the profiles, in `captures/` (0700), in 0600 files. */
export function capturesDir(env: Record<string, string | undefined>): string {
  return join(dirname(openProfileStore(env).path), 'captures');
}

/**
 * Every capture in the folder, newest first: each line of the segment files and each single
 * `<id>.json` file of earlier versions. A line or file that is not a capture (a torn last line
 * from a crash or a write in progress, a hand edit) is skipped, not fatal.
 */
export function listCaptures(dir: string): CapturedDelivery[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const captures: CapturedDelivery[] = [];
  for (const name of names) {
    if (name.endsWith(SEGMENT_SUFFIX)) {
      for (const line of readText(join(dir, name)).split('\n')) addCapture(captures, line);
    } else if (name.endsWith(LEGACY_SUFFIX)) {
      addCapture(captures, readText(join(dir, name)));
    }
  }
  return captures.sort((a, b) => compareText(b.receivedAt, a.receivedAt) || compareText(b.id, a.id));
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // removed by pruning since the folder was listed
  }
}

function addCapture(captures: CapturedDelivery[], text: string): void {
  if (text.length === 0) return;
  try {
    const value = JSON.parse(text) as Partial<CapturedDelivery> | null;
    if (typeof value === 'object' && value !== null && typeof value.id === 'string' && typeof value.receivedAt === 'string') captures.push(value as CapturedDelivery);
  } catch {
    // not a capture
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function loadCapture(dir: string, id: string): CapturedDelivery {
  const found = listCaptures(dir).find((capture) => capture.id === id || capture.id.startsWith(id));
  if (!found) {
    throw new CliError(`no captured delivery "${id}"`, { exitCode: ExitCode.usage, field: 'id', hint: 'list them with "cashier-check replay --list"' });
  }
  return found;
}

/** A capture id that sorts by time: 20261126T070102-3f9a1c000001 (any unique prefix finds it). */
export function newCaptureId(nowMs: number, random: string): string {
  return `${secondStamp(nowMs)}-${random}`;
}

function secondStamp(nowMs: number): string {
  return new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
}

/**
 * Unique id suffixes for one server without drawing randomness per request: 6 random hex digits
 * for the process, then a counter (which, with the second in the id, never repeats).
 */
export function idSuffixMaker(): () => string {
  const prefix = randomBytes(3).toString('hex');
  let count = 0;
  return () => {
    count = (count + 1) & 0xff_ffff;
    return `${prefix}${count.toString(16).padStart(6, '0')}`;
  };
}

/**
 * newCaptureId for a server: the time part is formatted once per second, not once per request,
 * and the rest comes from `suffix` (by default idSuffixMaker's).
 */
export function captureIdMaker(suffix: () => string = idSuffixMaker()): (nowMs: number) => string {
  let second = Number.NaN;
  let stamp = '';
  return (nowMs) => {
    const current = Math.floor(nowMs / 1000);
    if (current !== second) {
      second = current;
      stamp = secondStamp(nowMs);
    }
    return `${stamp}-${suffix()}`;
  };
}
