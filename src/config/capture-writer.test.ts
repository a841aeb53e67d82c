import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

function capture(n: number): CapturedDelivery {
  return {
    id: newCaptureId(1764140462000 + n * 1000, 'beef'), receivedAt: new Date(1764140462000 + n * 1000).toISOString(), method: 'POST', path: '/webhook', headers: {},
    body: `{"n":${n}}`, bodyEncoding: 'utf8', verdict: { verified: true, httpStatus: 200, reason: 'ok', recipe: 'sorted', event: 'Payment', status: 'SUCCESS' },
  };
}

describe('createCaptureWriter', () => {
  it('writes 0600 files by rename, leaving no temporary file, readable by listCaptures', async () => {
    const dir = captureDir();
    const writer = createCaptureWriter(dir);
    const paths = await Promise.all([0, 1, 2].map((n) => writer.save(capture(n))));
    expect(paths.map((path) => statSync(path).mode & 0o777)).toEqual([0o600, 0o600, 0o600]);
    expect(readdirSync(dir).sort()).toEqual([0, 1, 2].map((n) => `${capture(n).id}.json`));
    expect(listCaptures(dir).map((c) => c.body)).toEqual(['{"n":2}', '{"n":1}', '{"n":0}']);
  });

  it('keeps only the newest files, removing the oldest, those of earlier runs first', async () => {
    const dir = captureDir();
    mkdirSync(dir, { recursive: true });
    for (const n of [0, 1]) writeFileSync(join(dir, `${capture(n).id}.json`), JSON.stringify(capture(n)));
    const writer = createCaptureWriter(dir, { keep: 3 });
    await Promise.all([2, 3, 4, 5].map((n) => writer.save(capture(n))));
    expect(readdirSync(dir).sort()).toEqual([3, 4, 5].map((n) => `${capture(n).id}.json`));
  });

  it('refuses captures past the queue limit instead of holding them in memory', async () => {
    const writer = createCaptureWriter(captureDir(), { maxPending: 2 });
    const results = await Promise.allSettled([0, 1, 2, 3].map((n) => writer.save(capture(n))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
    expect(String((results[2] as PromiseRejectedResult).reason.message)).toMatch(/2 captures are still waiting/);
  });

  it('reports a folder it cannot write to, and writes again once it can', async () => {
    const dir = captureDir();
    writeFileSync(join(dir, '..', 'captures'), 'a file where the folder should be');
    const writer = createCaptureWriter(dir);
    await expect(writer.save(capture(0))).rejects.toThrow();
    rmSync(dir);
    await expect(writer.save(capture(1))).resolves.toBe(join(dir, `${capture(1).id}.json`));
  });
});
