import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CapturedDelivery } from '../core/capture.js';
import { captureIdMaker, idSuffixMaker, listCaptures, loadCapture, newCaptureId } from './capture-store.js';

const roots: string[] = [];
function captureDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'cashier-check-captures-'));
  roots.push(root);
  const dir = join(root, 'captures');
  mkdirSync(dir);
  return dir;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function capture(n: number): CapturedDelivery {
  const ms = 1764140462000 + n * 1000;
  return {
    id: newCaptureId(ms, `beef${n}`), receivedAt: new Date(ms).toISOString(), method: 'POST', path: '/webhook', headers: {},
    body: `{"n":${n}}`, bodyEncoding: 'utf8', verdict: { verified: true, httpStatus: 200, reason: 'ok', recipe: 'sorted', event: 'Payment', status: 'SUCCESS' },
  };
}
const line = (n: number): string => `${JSON.stringify(capture(n))}\n`;

describe('capture ids', () => {
  it('sort by time and match newCaptureId when made per second', () => {
    const make = captureIdMaker(() => 'abcd');
    const times = [1764140462000, 1764140462999, 1764140463000, 1764140463500, 1764140522001];
    const ids = times.map((ms) => make(ms));
    expect(ids).toEqual(times.map((ms) => newCaptureId(ms, 'abcd')));
    expect(ids[0]).toBe('20251126T070102-abcd');
    expect([...ids].sort()).toEqual(ids);
  });

  it('end in 12 hex digits that never repeat within a server and differ between servers', () => {
    const next = idSuffixMaker();
    const suffixes = Array.from({ length: 20_000 }, () => next());
    expect(new Set(suffixes).size).toBe(suffixes.length);
    for (const suffix of suffixes.slice(0, 50)) expect(suffix).toMatch(/^[0-9a-f]{12}$/);
    expect([...suffixes].sort()).toEqual(suffixes); // in the order they were made
    const others = Array.from({ length: 8 }, () => idSuffixMaker()().slice(0, 6));
    expect(new Set(others).size).toBeGreaterThan(1);
  });
});

describe('listCaptures', () => {
  it('reads every line of the segments and the single files of earlier versions, newest first', () => {
    const dir = captureDir();
    writeFileSync(join(dir, `${capture(0).id}.json`), JSON.stringify(capture(0), null, 2));
    writeFileSync(join(dir, `${capture(1).id}.ndjson`), line(1) + line(2) + line(3));
    writeFileSync(join(dir, `${capture(4).id}.ndjson`), line(4) + line(5));
    writeFileSync(join(dir, 'notes.txt'), 'not a capture');
    expect(listCaptures(dir).map((c) => c.body)).toEqual([5, 4, 3, 2, 1, 0].map((n) => `{"n":${n}}`));
  });

  it('skips a torn last line and lines that are not captures, keeping the rest', () => {
    const dir = captureDir();
    const torn = line(2).slice(0, 40);
    writeFileSync(join(dir, `${capture(0).id}.ndjson`), `${line(0)}\n[1,2]\nnull\n{"id":7}\n${line(1)}${torn}`);
    writeFileSync(join(dir, `${capture(3).id}.json`), '{"id": "half a fi');
    expect(listCaptures(dir).map((c) => c.id)).toEqual([capture(1).id, capture(0).id]);
  });

  it('is empty when the folder does not exist', () => {
    expect(listCaptures(join(captureDir(), 'missing'))).toEqual([]);
  });

  it('finds a capture by id or id prefix with loadCapture, and names the id it cannot find', () => {
    const dir = captureDir();
    writeFileSync(join(dir, `${capture(0).id}.ndjson`), line(0) + line(1));
    expect(loadCapture(dir, capture(1).id).body).toBe('{"n":1}');
    expect(loadCapture(dir, capture(0).id.slice(0, 20)).body).toBe('{"n":0}');
    expect(() => loadCapture(dir, '20991126T000000')).toThrow(/no captured delivery "20991126T000000"/);
  });
});
