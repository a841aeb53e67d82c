import { mkdirSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CapturedDelivery } from '../core/capture.js';

export interface CaptureWriterOptions {
  /** How many capture files the folder keeps; past this the oldest are removed (default 1000). */
  keep?: number;
  /** Captures waiting to be written; past this a new one is refused, not queued (default 2000). */
  maxPending?: number;
}

export interface CaptureWriter {
  /** Resolves to the file's path once it is on disk; rejects with why it was not saved. */
  save(capture: CapturedDelivery): Promise<string>;
}

export const KEPT_CAPTURES = 1000;
const BATCH = 128;
const PRUNE_PER_BATCH = 512;

interface Pending {
  capture: CapturedDelivery;
  resolve: (path: string) => void;
  reject: (error: Error) => void;
}

/**
 * Saves a listener's captures off the answer path and bounded. Requests are answered first;
 * their captures are queued and written together after that turn of the event loop, each as a
 * temporary file then a rename (readers never see half a file). Plain system calls in a batch
 * cost about a quarter of the CPU of the promise-based fs calls, which matters on a loaded
 * machine. Only the newest `keep` files are kept (file names sort by time), and a queue that
 * cannot keep up refuses new captures, so a flood fills neither the disk nor memory.
 */
export function createCaptureWriter(dir: string, options: CaptureWriterOptions = {}): CaptureWriter {
  const keep = Math.max(1, options.keep ?? KEPT_CAPTURES);
  const maxPending = options.maxPending ?? 2000;
  const queue: Pending[] = [];
  let kept: string[] | undefined;
  let oldest = 0;

  const prepare = (): string[] => {
    if (kept) return kept;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    kept = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
    return kept;
  };
  const prune = (names: string[]): void => {
    for (let removed = 0; names.length - oldest > keep && removed < PRUNE_PER_BATCH; removed++) {
      try {
        unlinkSync(join(dir, names[oldest]!));
      } catch {
        // already gone, or not ours to remove: either way no longer counted
      }
      oldest += 1;
    }
    if (oldest > 4096) {
      names.splice(0, oldest);
      oldest = 0;
    }
  };
  const flush = (): void => {
    const batch = queue.splice(0, BATCH);
    for (const item of batch) {
      try {
        const names = prepare();
        const name = `${item.capture.id}.json`;
        const path = join(dir, name);
        const temp = `${path}.${process.pid}.tmp`;
        writeFileSync(temp, `${JSON.stringify(item.capture, null, 2)}\n`, { mode: 0o600 });
        renameSync(temp, path);
        names.push(name);
        item.resolve(path);
      } catch (error) {
        kept = undefined; // the folder may be gone: look again next time
        oldest = 0;
        item.reject(error as Error);
      }
    }
    if (kept) prune(kept);
    if (queue.length > 0) setImmediate(flush);
  };

  return {
    save(capture) {
      if (queue.length >= maxPending) return Promise.reject(new Error(`${queue.length} captures are still waiting to be written`));
      return new Promise((resolve, reject) => {
        if (queue.length === 0) setImmediate(flush);
        queue.push({ capture, resolve, reject });
      });
    },
  };
}
