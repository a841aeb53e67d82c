import { mkdirSync, readdirSync, rename, unlink, writeFile } from 'node:fs';
import { join } from 'node:path';
import type { CapturedDelivery } from '../core/capture.js';

export interface CaptureWriterOptions {
  /** How many capture files the folder keeps; past this the oldest are removed (default 1000). */
  keep?: number;
  /** Captures waiting to be written; past this a new one is refused, not queued (default 128): reports wait for their capture, so this also bounds the reports held in memory. */
  maxPending?: number;
}

export interface CaptureWriter {
  /** Resolves to the file's path once it is on disk; rejects with why it was not saved. */
  save(capture: CapturedDelivery): Promise<string>;
}

export const KEPT_CAPTURES = 1000;
/** Files written at once: the size of libuv's thread pool, so writes never queue behind writes. */
const IN_FLIGHT = 4;

interface Pending {
  capture: CapturedDelivery;
  resolve: (path: string) => void;
  reject: (error: Error) => void;
}

/**
 * Saves a listener's captures off the answer path, bounded. A capture is queued when its request
 * is answered and written after that turn of the event loop, a few at a time on the thread pool
 * (a slow disk never stalls the server), each as a temporary file then a rename (readers never
 * see half a file). The folder is created and listed once, not per request. Only the newest
 * `keep` files are kept (file names sort by time; earlier runs' files count too), and a queue
 * that cannot keep up refuses new captures, so a flood fills neither the disk nor memory.
 */
export function createCaptureWriter(dir: string, options: CaptureWriterOptions = {}): CaptureWriter {
  const keep = Math.max(1, options.keep ?? KEPT_CAPTURES);
  const maxPending = options.maxPending ?? 128;
  const queue: Pending[] = [];
  let next = 0;
  let active = 0;
  let kept: string[] | undefined;
  let oldest = 0;

  const prepare = (): string[] => {
    if (kept) return kept;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    kept = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
    oldest = 0;
    return kept;
  };
  /** Removes the oldest files past `keep`, then calls `done` (already-gone files are fine). */
  const prune = (names: string[], done: () => void): void => {
    let removing = 1;
    const settled = (): void => {
      if (--removing === 0) done();
    };
    while (names.length - oldest > keep) {
      removing += 1;
      unlink(join(dir, names[oldest++]!), settled);
    }
    if (oldest > 4096) {
      names.splice(0, oldest);
      oldest = 0;
    }
    settled();
  };
  const finished = (item: Pending, error: Error | null, path: string): void => {
    const done = (): void => {
      active -= 1;
      if (error) item.reject(error);
      else item.resolve(path);
      pump();
    };
    if (error) kept = undefined; // the folder may be gone: look again next time
    if (error || !kept) return done();
    // Writes finish out of order: keep the list in name (time) order, so the oldest go first.
    const name = path.slice(dir.length + 1);
    let at = kept.length;
    while (at > oldest && kept[at - 1]! > name) at -= 1;
    kept.splice(at, 0, name);
    prune(kept, done);
  };
  const pump = (): void => {
    while (active < IN_FLIGHT && next < queue.length) {
      const item = queue[next++]!;
      active += 1;
      try {
        prepare();
      } catch (error) {
        active -= 1;
        item.reject(error as Error);
        continue;
      }
      const path = join(dir, `${item.capture.id}.json`);
      const temp = `${path}.${process.pid}.tmp`;
      writeFile(temp, `${JSON.stringify(item.capture, null, 2)}\n`, { mode: 0o600 }, (error) => {
        if (error) finished(item, error, path);
        else rename(temp, path, (failure) => finished(item, failure, path));
      });
    }
    if (next === queue.length) {
      queue.length = 0;
      next = 0;
    } else if (next > 1024) {
      queue.splice(0, next);
      next = 0;
    }
  };

  return {
    save(capture) {
      const waiting = queue.length - next;
      if (waiting >= maxPending) return Promise.reject(new Error(`${waiting} captures are still waiting to be written`));
      return new Promise((resolve, reject) => {
        if (waiting === 0) setImmediate(pump);
        queue.push({ capture, resolve, reject });
      });
    },
  };
}
