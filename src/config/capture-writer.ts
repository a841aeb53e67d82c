import type { CapturedDelivery } from '../core/capture.js';
import { appendAll, closeSegment, openSegment, removeFiles, scanFolder, type CaptureFile, type OpenSegment } from './capture-segments.js';

export interface CaptureWriterOptions {
  /** Captures the folder keeps at least; older ones are removed a whole file at a time (default 1000). */
  keep?: number;
  /** Captures per segment file, past which the next batch starts a new one (default 100). */
  segmentSize?: number;
  /** Captures waiting to be written; past this a new one is refused, not queued (default 2048): reports wait for their capture, so this also bounds the reports held in memory. */
  maxPending?: number;
  /** Size of the captures waiting to be written, counted in characters (about bytes); past this a new one is refused (default 16 Mi): bodies can be 1 MiB each. */
  maxPendingBytes?: number;
}

/** Called once a queued capture is on disk (error null, the segment's path) or could not be written. */
export type CaptureDone = (error: Error | null, path: string) => void;

export interface CaptureWriter {
  /**
   * Queues a capture, and calls `done` once its batch is written. Returns why it was refused, and
   * does not queue it, when too much is waiting: a server under a flood pays for no promise and no
   * Error per request.
   */
  enqueue(capture: CapturedDelivery, done: CaptureDone): string | undefined;
  /** enqueue as a promise: the segment file's path once on disk; rejects with why it was not saved. */
  save(capture: CapturedDelivery): Promise<string>;
}

export const KEPT_CAPTURES = 1000;
export const SEGMENT_CAPTURES = 100;

interface Pending {
  id: string;
  line: string;
  bytes: number;
  done: CaptureDone;
}

/**
 * Saves a listener's captures off the answer path, cheaply and bounded. Captures are queued as
 * compact JSON lines and, once per turn of the event loop, the whole queue is appended to the
 * open segment file with one write on the thread pool, so a flood costs a few system calls per
 * batch, not per request. A segment that reaches `segmentSize` captures is closed and the next
 * batch starts another (a burst stays in one write, so a segment may hold more); whole
 * oldest files go once `keep` captures remain without them (earlier runs' files count too, read
 * once at start). A queue over its count or byte limit refuses new captures, so a flood fills
 * neither memory nor the disk. A failed batch is rejected; the next one starts a fresh segment.
 */
export function createCaptureWriter(dir: string, options: CaptureWriterOptions = {}): CaptureWriter {
  const keep = Math.max(1, options.keep ?? KEPT_CAPTURES);
  const segmentSize = Math.max(1, options.segmentSize ?? SEGMENT_CAPTURES);
  const maxPending = options.maxPending ?? 2048;
  const maxPendingBytes = options.maxPendingBytes ?? 16 * 1024 * 1024;
  let queue: Pending[] = [];
  // Counted from save to settle, the batch being written included.
  let pendingCount = 0;
  let pendingBytes = 0;
  let scheduled = false;
  let writing = false;
  let files: CaptureFile[] | undefined;
  let stored = 0;
  let segment: (OpenSegment & { file: CaptureFile }) | undefined;

  const dropSegment = (): void => {
    if (segment) closeSegment(segment);
    segment = undefined;
  };
  const startSegment = async (firstId: string): Promise<OpenSegment & { file: CaptureFile }> => {
    const opened = await openSegment(dir, firstId);
    const file = { name: opened.name, count: 0 };
    files!.push(file);
    return (segment = { ...opened, file });
  };
  /** Oldest whole files go while `keep` captures remain without them; the open segment stays. */
  const prune = async (list: CaptureFile[]): Promise<void> => {
    let drop = 0;
    while (drop < list.length - 1 && stored - list[drop]!.count >= keep && list[drop] !== segment?.file) stored -= list[drop++]!.count;
    if (drop > 0) await removeFiles(dir, list.splice(0, drop).map((file) => file.name));
  };
  const writeBatch = async (batch: Pending[]): Promise<string> => {
    if (!files) {
      files = await scanFolder(dir);
      stored = files.reduce((sum, file) => sum + file.count, 0);
    }
    const data = Buffer.from(batch.map((item) => item.line).join(''), 'utf8');
    let target = segment ?? (await startSegment(batch[0]!.id));
    try {
      if (!(await appendAll(target, data))) {
        // The file or its folder was removed while open: write the batch again, into a new file.
        stored -= target.file.count;
        files.splice(files.indexOf(target.file), 1);
        dropSegment();
        target = await startSegment(batch[0]!.id);
        if (!(await appendAll(target, data))) throw new Error(`${target.path} was removed while being written`);
      }
    } catch (error) {
      dropSegment(); // its end may be torn: later batches go to a fresh segment
      throw error;
    }
    target.file.count += batch.length;
    stored += batch.length;
    if (target.file.count >= segmentSize) dropSegment();
    await prune(files);
    return target.path;
  };
  const settle = (batch: Pending[], error: Error | null, path: string): void => {
    writing = false;
    for (const item of batch) {
      pendingCount -= 1;
      pendingBytes -= item.bytes;
    }
    if (queue.length > 0) schedule();
    for (const item of batch) {
      try {
        item.done(error, path);
      } catch {
        // A caller's callback that throws is the caller's fault: it must not stop the writer.
      }
    }
  };
  const flush = (): void => {
    scheduled = false;
    if (writing || queue.length === 0) return;
    writing = true;
    // Everything waiting goes in one write, so the writer catches up however far behind it is; a
    // segment that reaches its size is closed after the write (at most segmentSize + maxPending).
    const batch = queue;
    queue = [];
    writeBatch(batch).then(
      (path) => settle(batch, null, path),
      (error: unknown) => settle(batch, error instanceof Error ? error : new Error(String(error)), ''),
    );
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  const enqueue = (capture: CapturedDelivery, done: CaptureDone): string | undefined => {
    if (pendingCount >= maxPending || pendingBytes >= maxPendingBytes) {
      const size = pendingBytes >= maxPendingBytes ? ` (${Math.round(pendingBytes / 1024)} KiB)` : '';
      return `${pendingCount} captures${size} are still waiting to be written`;
    }
    const line = `${JSON.stringify(capture)}\n`;
    // Characters, not bytes: a bound on memory needs no exact count, and counting costs per capture.
    const bytes = line.length;
    pendingCount += 1;
    pendingBytes += bytes;
    queue.push({ id: capture.id, line, bytes, done });
    if (!writing) schedule();
    return undefined;
  };

  return {
    enqueue,
    save: (capture) =>
      new Promise((resolve, reject) => {
        const refused = enqueue(capture, (error, path) => (error ? reject(error) : resolve(path)));
        if (refused !== undefined) reject(new Error(refused));
      }),
  };
}
