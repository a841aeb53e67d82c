import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CapturedDelivery } from '../core/capture.js';
import { captureIdMaker, listCaptures, newCaptureId, saveCaptureAsync } from './capture-store.js';

describe('capture ids', () => {
  it('sort by time and match newCaptureId when made per second', () => {
    const make = captureIdMaker();
    const times = [1764140462000, 1764140462999, 1764140463000, 1764140463500, 1764140522001];
    const ids = times.map((ms) => make(ms, 'abcd'));
    expect(ids).toEqual(times.map((ms) => newCaptureId(ms, 'abcd')));
    expect(ids[0]).toBe('20251126T070102-abcd');
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('saveCaptureAsync', () => {
  it('writes a 0600 file by rename, leaving no temporary file, and lists it', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cashier-check-captures-')), 'captures');
    try {
      const capture: CapturedDelivery = { id: newCaptureId(1764140462000, 'beef'), receivedAt: '2025-11-26T07:01:02.000Z', method: 'POST', path: '/webhook', headers: {}, body: '{}', bodyEncoding: 'utf8', verdict: { verified: true, httpStatus: 200, reason: 'ok', recipe: 'sorted', event: 'Payment', status: 'SUCCESS' } };
      const path = await saveCaptureAsync(dir, capture);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readdirSync(dir)).toEqual([`${capture.id}.json`]);
      expect(listCaptures(dir).map((c) => c.id)).toEqual([capture.id]);
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  });
});
