import { expect } from 'vitest';
import type { siege } from './hostile.js';

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
