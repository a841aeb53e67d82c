import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDelivery } from '../../src/core/delivery.js';
import { headerValues, readRequestBody, sendText, sendTooLarge, startServer, type RunningServer } from '../../src/server/http-server.js';
import { besiegeWebhookEndpoint } from '../helpers/siege-expect.js';

const KEY = 'base-webhook-key-for-hostile-tests';
let server: RunningServer;
const handlerErrors: unknown[] = [];

// The shared server base with the shared verifier: what the listener and the emulator build on.
beforeAll(async () => {
  server = await startServer({
    host: '127.0.0.1',
    port: 0,
    onError: (error) => handlerErrors.push(error),
    handler: async (req, res) => {
      const body = await readRequestBody(req, 1024 * 1024);
      if (!body.ok) return body.reason === 'too-large' ? sendTooLarge(res) : undefined;
      const verdict = verifyDelivery({ method: req.method ?? '', headers: headerValues(req), body: body.body }, { webhookKey: KEY, nowMs: Date.now(), toleranceMs: 300_000 });
      sendText(res, verdict.httpStatus, verdict.verified ? 'success' : verdict.reason);
    },
  });
});
afterAll(() => server?.close(1_000));

describe('the loopback server base under hostile traffic', () => {
  it('answers every hostile request with a 4xx or a close, and still verifies genuine deliveries', async () => {
    const report = await besiegeWebhookEndpoint({ url: `${server.origin}/webhook`, webhookKey: KEY, count: 1500 });
    expect(handlerErrors).toEqual([]);
    // Each kind got the answer a correct endpoint gives.
    expect(report.kinds['oversized body']).toEqual(['413']);
    expect(report.kinds['oversized chunked body']).toEqual(['413']);
    expect(report.kinds['bad signature']).toEqual(['401']);
    expect(report.kinds['invalid UTF-8']).toEqual(['400']);
    expect(report.kinds['deep nesting']).toEqual(['400']);
    expect(report.kinds['duplicate headers']).toEqual(['400']);
    expect(report.kinds['truncated body']).toEqual(['hung-up']);
  });
});
