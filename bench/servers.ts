import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ROOT, round, type Figure } from './stats.js';

const BIN = join(ROOT, 'bin', 'cashier-check.js');

export interface Target {
  name: string;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The baseline: node:http that reads the body and answers 200, nothing else. */
const BARE_SERVER = `
import { createServer } from 'node:http';
const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => { res.writeHead(200, { 'Content-Type': 'text/plain' }); res.end('success'); });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ type: 'ready', url: 'http://127.0.0.1:' + server.address().port })));
process.on('SIGINT', () => server.close(() => process.exit(0)));
`;

function startChild(name: string, args: string[], env: NodeJS.ProcessEnv, urlOf: ReadyLine): Promise<Target> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const keepStderr = (chunk: Buffer): void => {
    if (stderr.length < 4096) stderr += chunk.toString();
  };
  child.stderr!.on('data', keepStderr);
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const url = buffered.split('\n').slice(0, -1).map(urlOf).find((found) => found !== undefined); // whole lines only
      if (url === undefined) return;
      clearTimeout(giveUp);
      // From here on both streams are drained unread (a line per request would cost the load
      // generator, which shares this process, CPU time), so the server never blocks on them.
      child.stdout!.off('data', onData);
      child.stderr!.off('data', keepStderr);
      child.stdout!.resume();
      child.stderr!.resume();
      resolve({
        name,
        url,
        child,
        async stop() {
          child.kill('SIGINT');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        },
      });
    };
    // A server that runs but never announces its URL (its ready line changed?) must not hang the bench.
    const giveUp = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} printed no line announcing its URL within 20 s: ${buffered.slice(0, 300)}`));
    }, 20_000);
    child.stdout!.on('data', onData);
    void exited.then(() => {
      clearTimeout(giveUp);
      reject(new Error(`${name} exited before it was ready: ${stderr.slice(0, 500)}`));
    });
  });
}

/** The server's URL if this stdout line announces it, else undefined. */
export type ReadyLine = (line: string) => string | undefined;

/** The `{"type":"ready",…}` line of --json output, with the URL under `key`. */
export function readyJson(key: string): ReadyLine {
  return (line) => (line.includes('"ready"') ? String((JSON.parse(line) as Record<string, unknown>)[key]) : undefined);
}

export function startBare(): Promise<Target> {
  return startChild('bare node:http', ['--input-type=module', '-e', BARE_SERVER], { PATH: process.env.PATH }, readyJson('url'));
}

export function startCommand(name: string, args: string[], env: Record<string, string>, urlOf: ReadyLine): Promise<Target> {
  return startChild(name, [BIN, ...args], { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env }, urlOf);
}

/** Peak resident memory of a process so far (Linux: VmHWM), in MiB; NaN elsewhere. */
export function peakRssMiB(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export interface Load {
  okPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export type RequestFactory = () => { method: 'POST' | 'GET'; path: string; headers: Record<string, string>; body?: string };

/** Drives `url` with autocannon: many keep-alive connections, a fresh request for each send. */
export async function drive(url: string, make: RequestFactory, seconds: number, connections: number): Promise<Load> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [{ setupRequest: (request) => ({ ...request, ...make() }) }],
  });
  const ok = result['2xx'];
  return {
    okPerSecond: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.sent,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/**
 * Throughput of a subject server against the bare one, measured alternately (bare, subject,
 * bare, subject) so load from elsewhere on the machine hits both.
 */
export async function compareServers(options: {
  suite: string;
  name: string;
  start: () => Promise<Target>;
  make: RequestFactory;
  seconds: number;
  connections: number;
  rounds: number;
  goal: number;
  /** Throws unless one request through the subject got the genuine answer (not a polite refusal). */
  check: (url: string, request: ReturnType<RequestFactory>) => Promise<void>;
}): Promise<Figure[]> {
  const bare: Load[] = [];
  const subject: Load[] = [];
  let peak = 0;
  for (let round = 0; round < options.rounds; round++) {
    const baseline = await startBare();
    try {
      await drive(baseline.url, options.make, 1, options.connections); // warm-up
      bare.push(await drive(baseline.url, options.make, options.seconds, options.connections));
    } finally {
      await baseline.stop();
    }
    const target = await options.start();
    try {
      await options.check(target.url, options.make());
      await drive(target.url, options.make, 1, options.connections);
      subject.push(await drive(target.url, options.make, options.seconds, options.connections));
      peak = Math.max(peak, peakRssMiB(target.child.pid!));
    } finally {
      await target.stop();
    }
  }
  // The machine's other load drifts between rounds, so each subject round is judged against the
  // bare round run just before it, and the median of those paired ratios is the figure.
  const ratios = subject.map((load, i) => load.okPerSecond / bare[i]!.okPerSecond);
  const ratio = median(ratios);
  const middle = (loads: Load[]): Load => [...loads].sort((a, b) => a.okPerSecond - b.okPerSecond)[Math.floor((loads.length - 1) / 2)]!;
  const b = middle(bare);
  const s = middle(subject);
  if (s.non2xx > 0 || s.errors > 0) process.stderr.write(`warning: ${options.name}: ${s.non2xx} non-2xx answers, ${s.errors} errors\n`);
  return [
    {
      suite: options.suite,
      name: `${options.name}: 2xx per second`,
      unit: 'req/s',
      value: Math.round(s.okPerSecond),
      baseline: Math.round(b.okPerSecond),
      baselineName: 'bare node:http',
      ratio: round(ratio, 3),
      goal: `≥ ${options.goal}×`,
      met: ratio >= options.goal && s.non2xx === 0,
      extra: { pairedRatios: ratios.map((r) => round(r, 3)).join(' '), connections: options.connections, seconds: options.seconds, rounds: options.rounds, p50Ms: s.p50, p99Ms: s.p99, bareP50Ms: b.p50, bareP99Ms: b.p99, non2xx: s.non2xx, errors: s.errors, peakRssMiB: round(peak, 1) },
    },
    {
      suite: options.suite,
      name: `${options.name}: p99 latency`,
      unit: 'ms',
      value: s.p99,
      baseline: b.p99,
      baselineName: 'bare node:http',
      ratio: round(s.p99 / Math.max(b.p99, 0.001), 3),
    },
  ];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
