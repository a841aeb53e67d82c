import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CapturedDelivery } from '../core/capture.js';
import { listCaptures, newCaptureId } from './capture-store.js';
import { createCaptureWriter } from './capture-writer.js';

const roots: string[] = [];
function captureDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'cashier-check-writer-'));
  roots.push(root);
  return join(root, 'captures');
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function capture(n: number, body = `{"n":${n}}`): CapturedDelivery {
  const ms = 1764140462000 + n * 1000;
  return {
    id: newCaptureId(ms, `beef${String(n).padStart(4, '0')}`), receivedAt: new Date(ms).toISOString(), method: 'POST', path: '/webhook', headers: {},
    body, bodyEncoding: 'utf8', verdict: { verified: true, httpStatus: 200, reason: 'ok', recipe: 'sorted', event: 'Payment', status: 'SUCCESS' },
  };
}
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
const segments = (dir: string): string[] => readdirSync(dir).filter((name) => name.endsWith('.ndjson')).sort();
const lineCount = (path: string): number => readFileSync(path, 'utf8').split('\n').length - 1;
const bodies = (dir: string): number[] => listCaptures(dir).map((c) => (JSON.parse(c.body) as { n: number }).n);

/** The number of event-loop turns in which the promises settled. */
async function settledTurns(promises: Promise<unknown>[]): Promise<number> {
  let turn = 0;
  let done = false;
  const turns = new Set<number>();
  const ticking = (async () => {
    for (let i = 0; i < 100_000 && !done; i += 1) await new Promise<void>((resolve) => setImmediate(() => resolve(void (turn += 1))));
  })();
  await Promise.all(promises.map((p) => p.then(() => turns.add(turn))));
  done = true;
  await ticking;
  return turns.size;
}

describe('createCaptureWriter', () => {
  it('appends captures as lines of a 0600 segment in a 0700 folder, readable by listCaptures newest first', async () => {
    const dir = captureDir();
    const writer = createCaptureWriter(dir, { segmentSize: 8 });
    const paths: string[] = [];
    for (const start of [0, 6, 12, 18, 24, 30, 36, 42, 48]) paths.push(...(await Promise.all(range(start, Math.min(start + 6, 50)).map((n) => writer.save(capture(n))))));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(new Set(paths)).toEqual(new Set(segments(dir).map((name) => join(dir, name))));
    for (const name of segments(dir)) expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    // Named after their first capture, the segments sort by time; a batch that takes one to 8 or
    // more closes it, and the next batch starts another.
    expect(segments(dir)[0]).toBe(`${capture(0).id}.ndjson`);
    expect(segments(dir).map((name) => lineCount(join(dir, name)))).toEqual([12, 12, 12, 12, 2]);
    expect(bodies(dir)).toEqual(range(0, 50).reverse());
    const line = readFileSync(paths[0]!, 'utf8').split('\n')[0]!;
    expect(JSON.parse(line)).toEqual(capture(0));
  });

  it('writes the captures of one turn as one batch, not one write each', async () => {
    const dir = captureDir();
    const writer = createCaptureWriter(dir, { segmentSize: 1000 });
    const saves = range(0, 500).map((n) => writer.save(capture(n)));
    expect(await settledTurns(saves)).toBe(1);
    expect(new Set(await Promise.all(saves)).size).toBe(1);
    expect(segments(dir).map((name) => lineCount(join(dir, name)))).toEqual([500]);
    // A burst bigger than a segment still goes in one write, so a writer that fell behind catches
    // up at once; the next batch starts a new segment.
    const split = captureDir();
    const again = createCaptureWriter(split);
    expect(await settledTurns(range(0, 500).map((n) => again.save(capture(n))))).toBe(1);
    await again.save(capture(500));
    expect(segments(split).map((name) => lineCount(join(split, name)))).toEqual([500, 1]);
  });

  it('keeps between keep and keep + segment size captures, removing whole oldest files first, earlier versions\' files counted', async () => {
    const dir = captureDir();
    mkdirSync(dir, { recursive: true });
    for (const n of [0, 1, 2]) writeFileSync(join(dir, `${capture(n).id}.json`), JSON.stringify(capture(n), null, 2));
    writeFileSync(join(dir, `${capture(3).id}.ndjson`), `${JSON.stringify(capture(3))}\n${JSON.stringify(capture(4))}\n`);
    const writer = createCaptureWriter(dir, { keep: 10, segmentSize: 4 });
    await writer.save(capture(5));
    // 6 captures: nothing to remove yet.
    expect(bodies(dir)).toEqual(range(0, 6).reverse());
    for (const n of range(6, 30)) {
      await writer.save(capture(n));
      const kept = bodies(dir);
      expect(kept.length).toBeGreaterThanOrEqual(Math.min(10, n + 1));
      expect(kept.length).toBeLessThan(14);
      expect(kept).toEqual(range(n + 1 - kept.length, n + 1).reverse()); // always the newest
    }
    expect(readdirSync(dir).filter((name) => name.endsWith('.json'))).toEqual([]);
    // A later run counts what this one left, once, and goes on pruning from it.
    const later = createCaptureWriter(dir, { keep: 10, segmentSize: 4 });
    await Promise.all(range(30, 38).map((n) => later.save(capture(n))));
    const kept = bodies(dir);
    expect(kept.length).toBeGreaterThanOrEqual(10);
    expect(kept.length).toBeLessThan(14);
    expect(kept).toEqual(range(38 - kept.length, 38).reverse());
  });

  it('refuses captures past the count limit instead of holding them in memory', async () => {
    const writer = createCaptureWriter(captureDir(), { maxPending: 2 });
    const results = await Promise.allSettled(range(0, 4).map((n) => writer.save(capture(n))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
    expect(String((results[2] as PromiseRejectedResult).reason.message)).toBe('2 captures are still waiting to be written');
    await expect(writer.save(capture(4))).resolves.toMatch(/\.ndjson$/); // the queue drained: saving again
  });

  it('enqueue says at once why it refused, queues nothing, and calls back each queued capture in order', async () => {
    const dir = captureDir();
    const writer = createCaptureWriter(dir, { maxPending: 2 });
    const calls: string[] = [];
    const all = new Promise<void>((resolve) => {
      const done = (n: number) => (error: Error | null, path: string): void => {
        calls.push(`${n}:${error ? error.message : path.slice(dir.length + 1)}`);
        if (calls.length === 2) resolve();
      };
      expect([0, 1, 2].map((n) => writer.enqueue(capture(n), done(n)))).toEqual([undefined, undefined, '2 captures are still waiting to be written']);
    });
    await all;
    expect(calls).toEqual([`0:${capture(0).id}.ndjson`, `1:${capture(0).id}.ndjson`]);
    expect(listCaptures(dir).map((c) => c.id)).toEqual([capture(1).id, capture(0).id]);
  });

  it('keeps writing when a callback throws', async () => {
    const dir = captureDir();
    const writer = createCaptureWriter(dir);
    expect(writer.enqueue(capture(0), () => {
      throw new Error('a careless caller');
    })).toBeUndefined();
    await expect(writer.save(capture(1))).resolves.toMatch(/\.ndjson$/);
    expect(listCaptures(dir).map((c) => c.id)).toEqual([capture(1).id, capture(0).id]);
  });

  it('refuses captures past the byte limit, whatever their count', async () => {
    const dir = captureDir();
    const writer = createCaptureWriter(dir, { maxPendingBytes: 100_000 });
    const big = 'x'.repeat(40_000);
    const results = await Promise.allSettled(range(0, 5).map((n) => writer.save(capture(n, big))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    expect(String((results[3] as PromiseRejectedResult).reason.message)).toMatch(/^3 captures \(\d+ KiB\) are still waiting to be written$/);
    expect(listCaptures(dir)).toHaveLength(3);
  });

  it('skips a torn last line left by a crash, and counts only whole lines', async () => {
    const dir = captureDir();
    mkdirSync(dir, { recursive: true });
    const torn = `${JSON.stringify(capture(0))}\n${JSON.stringify(capture(1))}\n${JSON.stringify(capture(2)).slice(0, 30)}`;
    writeFileSync(join(dir, `${capture(0).id}.ndjson`), torn);
    expect(bodies(dir)).toEqual([1, 0]);
    const writer = createCaptureWriter(dir, { keep: 3, segmentSize: 2 });
    await Promise.all([3, 4].map((n) => writer.save(capture(n))));
    expect(bodies(dir)).toEqual([4, 3, 1, 0]); // 2 + 2 whole captures: the old segment is still needed
    expect(readFileSync(join(dir, `${capture(0).id}.ndjson`), 'utf8')).toBe(torn); // never appended to
  });

  it('rejects a batch it cannot write when a file stands where the folder should be, and writes again once it can', async () => {
    const dir = captureDir();
    writeFileSync(dir, 'a file where the folder should be');
    const writer = createCaptureWriter(dir);
    await expect(writer.save(capture(0))).rejects.toThrow(/EEXIST|ENOTDIR/);
    rmSync(dir);
    await expect(writer.save(capture(1))).resolves.toBe(join(dir, `${capture(1).id}.ndjson`));
    expect(bodies(dir)).toEqual([1]);
  });

  it('writes to a fresh segment when the folder is deleted while a segment is open', async () => {
    const dir = captureDir();
    const writer = createCaptureWriter(dir);
    await writer.save(capture(0));
    rmSync(dir, { recursive: true });
    await expect(writer.save(capture(1))).resolves.toBe(join(dir, `${capture(1).id}.ndjson`));
    await writer.save(capture(2));
    expect(bodies(dir)).toEqual([2, 1]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
});
