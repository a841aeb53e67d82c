import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCaptures } from '../../src/config/capture-store.js';
import { KEPT_CAPTURES, SEGMENT_CAPTURES } from '../../src/config/capture-writer.js';
import { startListener, type RunningListener } from '../../src/server/listener.js';
import { tempConfigDir } from '../helpers/cli.js';
import { besiegeWebhookEndpoint } from '../helpers/siege-expect.js';

const KEY = 'listener-webhook-key-for-hostile-tests';
let listener: RunningListener;
let captures: { dir: string; cleanup: () => void };

beforeAll(async () => {
  captures = tempConfigDir();
  // As `listen` runs by default: every request on the path is saved as a capture.
  listener = await startListener({ host: '127.0.0.1', port: 0, webhookKey: KEY, captureDir: captures.dir });
});
afterAll(async () => {
  await listener?.close();
  captures?.cleanup();
});

describe('the listener under hostile traffic', () => {
  it('answers every hostile request with a 4xx or a close, and still verifies genuine deliveries', async () => {
    const report = await besiegeWebhookEndpoint({ url: listener.url, webhookKey: KEY, count: 2000 });
    expect(report.kinds['oversized body']).toEqual(['413']);
    expect(report.kinds['bad signature']).toEqual(['401']);
    expect(report.kinds['invalid UTF-8']).toEqual(['400']);
    expect(report.kinds['duplicate headers']).toEqual(['400']);
    expect(report.kinds['deep nesting']).toEqual(['400']);
    // Every request was reported (close waits for the last captures); only the latest are kept.
    await listener.close();
    const tally = listener.tally();
    expect(tally.received).toBeGreaterThan(1500);
    expect(tally.passed).toBe(3);
    expect(listener.reports().length).toBe(100);
    // Captures went into a few segment files, every line of them readable.
    const files = readdirSync(captures.dir);
    expect(files.every((name) => name.endsWith('.ndjson'))).toBe(true);
    expect(files.length).toBeLessThanOrEqual(Math.ceil((KEPT_CAPTURES + SEGMENT_CAPTURES) / SEGMENT_CAPTURES));
    expect(listCaptures(captures.dir).length).toBeGreaterThan(0);
  });
});
