import { expect } from 'vitest';
import { buildDelivery, samplePayment, serialisePayload } from '../../src/core/webhook-payload.js';
import { siege } from './hostile.js';
import { heapAfterGc, unhandledRejections } from './memory.js';

type SiegeReport = Awaited<ReturnType<typeof siege>>;

/** What every server must show after a siege: all answered, none accepted, no 5xx, no leak, no crash. */
export function expectSurvivedSiege(report: SiegeReport, count: number): void {
  expect(report.timedOut).toBe(false);
  expect(report.outcomes).toHaveLength(count);
  expect(report.serverErrors).toEqual([]);
  expect(report.accepted).toEqual([]);
  expect(report.genuineDuringDrip).toBe(true);
  expect(report.genuineAfter).toBe(true);
  // Back near the baseline: 2,000 requests leaking even 4 KiB each would fail this.
  expect(report.heapGrowthBytes).toBeLessThan(8 * 1024 * 1024);
  expect(report.unhandled).toEqual([]);
}

/**
 * Besieges a webhook endpoint that holds `webhookKey` with `count` hostile requests, checking
 * genuine signed deliveries are still answered `200 success` during and after, and that it
 * survived. Returns the report for the endpoint's own checks.
 */
export async function besiegeWebhookEndpoint(options: { url: string; webhookKey: string; count: number }): Promise<SiegeReport> {
  const genuine = (): { body: string; headers: Record<string, string> } =>
    buildDelivery({ event: 'Payment', body: serialisePayload(samplePayment(Date.now())), webhookKey: options.webhookKey, timeMs: Date.now() });
  const url = new URL(options.url);
  const report = await siege({
    port: Number(url.port),
    path: url.pathname,
    signedHeaders: Object.entries(genuine().headers),
    count: options.count,
    heapAfterGc,
    watchRejections: unhandledRejections,
    genuine: async () => {
      const delivery = genuine();
      const response = await fetch(options.url, { method: 'POST', headers: delivery.headers, body: delivery.body });
      return response.status === 200 && (await response.text()) === 'success';
    },
  });
  expectSurvivedSiege(report, options.count);
  return report;
}
