import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, quantile, ROOT, round, type Figure } from './stats.js';

const BIN = join(ROOT, 'bin', 'cashier-check.js');

interface Subject {
  name: string;
  args: string[];
}

function timeOnce(args: string[], env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.toString().slice(0, 300)}`);
  return elapsed;
}

/**
 * Wall time of `--help` and `sign` against bare `node -e 0`. Runs are interleaved, so load
 * from other processes hits the baseline and the subjects alike; medians of `runs` each.
 */
export function benchStartup(runs: number): Figure[] {
  const dir = mkdtempSync(join(tmpdir(), 'cashier-check-bench-'));
  try {
    const bodyFile = join(dir, 'body.json');
    writeFileSync(bodyFile, '{"amount":"2000.00","orderNo":"ORDER_1","status":"SUCCESS","symbol":"USDT","blockTime":1743060253000}');
    const env = { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1', CASHIER_CHECK_CONFIG_DIR: dir, CASHIER_CHECK_SECRET_KEY: 'bench-secret-key-0123456789', CASHIER_CHECK_WEBHOOK_KEY: 'bench-webhook-key-0123456789' };
    const baseline: Subject = { name: 'node -e 0', args: ['-e', '0'] };
    const subjects: Subject[] = [
      { name: 'cashier-check --help', args: [BIN, '--help'] },
      { name: 'cashier-check sign --webhook', args: [BIN, 'sign', '--webhook', '--time', '1743060268000', '--body', bodyFile, '--json'] },
    ];
    const times = new Map<string, number[]>([[baseline.name, []], ...subjects.map((s) => [s.name, []] as [string, number[]])]);
    for (const subject of [baseline, ...subjects]) timeOnce(subject.args, env); // warm the file cache
    for (let i = 0; i < runs; i++) {
      for (const subject of [baseline, ...subjects]) times.get(subject.name)!.push(timeOnce(subject.args, env));
    }
    const base = median(times.get(baseline.name)!);
    return subjects.map((subject) => {
      const samples = times.get(subject.name)!;
      const value = median(samples);
      const ratio = value / base;
      return {
        suite: 'start-up',
        name: subject.name,
        unit: 'ms',
        value: round(value, 1),
        baseline: round(base, 1),
        baselineName: baseline.name,
        ratio: round(ratio, 3),
        goal: '≤ 1.5×',
        met: ratio <= 1.5,
        extra: { runs, p25: round(quantile(samples, 0.25), 1), p75: round(quantile(samples, 0.75), 1), baselineP25: round(quantile(times.get(baseline.name)!, 0.25), 1), baselineP75: round(quantile(times.get(baseline.name)!, 0.75), 1) },
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
