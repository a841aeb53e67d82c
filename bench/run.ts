import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { benchSigning } from './signing.js';
import { benchStartup } from './startup.js';
import { benchEmulator, benchListener } from './targets.js';
import { ROOT, table, type Figure } from './stats.js';

const load = { seconds: Number(process.env.BENCH_SECONDS ?? 5), connections: Number(process.env.BENCH_CONNECTIONS ?? 50), rounds: Number(process.env.BENCH_ROUNDS ?? 3) };

type Suite = 'startup' | 'signing' | 'listener' | 'emulator';
const SUITES: Record<Suite, () => Promise<Figure[]> | Figure[]> = {
  startup: () => benchStartup(Number(process.env.BENCH_RUNS ?? 40)),
  signing: () => benchSigning(Number(process.env.BENCH_MS ?? 3000)),
  listener: () => benchListener(load),
  emulator: () => benchEmulator(load),
};

/** `npm run bench [-- suite...]`: every figure is a ratio against a baseline from the same run. */
async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((name): name is Suite => name in SUITES);
  const unknown = process.argv.slice(2).filter((name) => !(name in SUITES));
  if (unknown.length) throw new Error(`unknown suite ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`);
  const suites = asked.length ? asked : (Object.keys(SUITES) as Suite[]);
  const loadBefore = loadavg();
  const figures: Figure[] = [];
  for (const suite of suites) {
    process.stderr.write(`running ${suite}…\n`);
    figures.push(...(await SUITES[suite]()));
  }
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverage: { before: loadBefore.map((n) => Math.round(n * 100) / 100), after: loadavg().map((n) => Math.round(n * 100) / 100) },
    figures,
  };
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = report.date.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  writeFileSync(join(dir, `${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${table(figures)}\n\nnode ${report.node}, ${report.cpus} × ${report.cpuModel}; load average ${report.loadAverage.before[0]} before, ${report.loadAverage.after[0]} after\nwritten to bench/results/${stamp}.json\n`);
}

await main();
