import { close, fstat, mkdir, open, read, readdir, unlink, write } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The captures folder's files: segments (`<id of the first capture>.ndjson`, one compact capture
 * per line, appended in batches) and single `<id>.json` files from earlier versions. Both start
 * with a capture id, so their names sort by time.
 */
export const SEGMENT_SUFFIX = '.ndjson';
export const LEGACY_SUFFIX = '.json';

export function isCaptureFile(name: string): boolean {
  return name.endsWith(SEGMENT_SUFFIX) || name.endsWith(LEGACY_SUFFIX);
}

/** A file in the folder and how many captures it holds. */
export interface CaptureFile {
  name: string;
  count: number;
}

const mkdirAsync = promisify(mkdir);
const readdirAsync = promisify(readdir);
const openAsync = promisify(open);
const readAsync = promisify(read);
const writeAsync = promisify(write);
const fstatAsync = promisify(fstat);
const closeAsync = promisify(close);
const unlinkAsync = promisify(unlink);

/** Creates the folder (0700) if needed: cheap when it exists, and brings back a removed one. */
export async function prepareFolder(dir: string): Promise<void> {
  await mkdirAsync(dir, { recursive: true, mode: 0o700 });
}

/**
 * What earlier runs left, oldest first, with the captures each file holds. Read once when a
 * writer starts, so pruning counts them without looking at the folder per request.
 */
export async function scanFolder(dir: string): Promise<CaptureFile[]> {
  await prepareFolder(dir);
  const names = (await readdirAsync(dir)).filter(isCaptureFile).sort();
  const files: CaptureFile[] = [];
  for (const name of names) {
    files.push({ name, count: name.endsWith(SEGMENT_SUFFIX) ? await countLines(join(dir, name)).catch(() => 0) : 1 });
  }
  return files;
}

/** Complete lines only: a torn last line (a crash mid-write) has no newline and is no capture. */
async function countLines(path: string): Promise<number> {
  const fd = await openAsync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(256 * 1024);
    let lines = 0;
    for (;;) {
      const { bytesRead } = await readAsync(fd, chunk, 0, chunk.length, null);
      if (bytesRead === 0) return lines;
      for (let at = chunk.indexOf(10); at !== -1 && at < bytesRead; at = chunk.indexOf(10, at + 1)) lines += 1;
    }
  } finally {
    await closeAsync(fd);
  }
}

export interface OpenSegment {
  fd: number;
  name: string;
  path: string;
}

/** A new segment named after its first capture, never an old one reopened (its end may be torn). */
export async function openSegment(dir: string, firstId: string): Promise<OpenSegment> {
  await prepareFolder(dir);
  for (let attempt = 0; ; attempt += 1) {
    // A name already taken (another writer on the folder) gets a suffix that sorts after it.
    const name = `${firstId}${attempt ? `_${attempt}` : ''}${SEGMENT_SUFFIX}`;
    const path = join(dir, name);
    try {
      // O_APPEND: every batch lands after the last, so a crash can only tear the batch in flight.
      return { fd: await openAsync(path, 'ax', 0o600), name, path };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 8) throw error;
    }
  }
}

/** Writes all of `data`, however many writes the kernel needs; false if the file was removed meanwhile. */
export async function appendAll(segment: OpenSegment, data: Buffer): Promise<boolean> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await writeAsync(segment.fd, data, offset, data.length - offset, null);
    offset += bytesWritten;
  }
  // A removed file (or folder) still takes writes through an open descriptor: the lines would be lost.
  return (await fstatAsync(segment.fd)).nlink > 0;
}

export function closeSegment(segment: OpenSegment): void {
  close(segment.fd, () => undefined);
}

/** Removes files; ones already gone are fine. */
export async function removeFiles(dir: string, names: string[]): Promise<void> {
  await Promise.all(names.map((name) => unlinkAsync(join(dir, name)).catch(() => undefined)));
}
