import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCaptures } from '../../src/config/capture-store.js';
import { tempConfigDir } from '../helpers/cli.js';
import { bundleScript } from '../helpers/script.js';

let child: string;
const config = tempConfigDir();
beforeAll(async () => {
  child = await bundleScript('fixtures/capture-writer-child.ts');
});
afterAll(() => config.cleanup());

/** Runs the writer until it reports `atLeast` saved captures, kills it, and returns the last count it reported. */
async function killWhileSaving(dir: string, atLeast: number, first = 0): Promise<number> {
  const proc = spawn(process.execPath, [child, dir, '1000', String(first)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => proc.on('close', () => resolve()));
  const saved = await new Promise<number>((resolve, reject) => {
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const counts = [...output.matchAll(/saved (\d+)\n/g)].map((match) => Number(match[1]));
      const last = counts.at(-1) ?? 0;
      if (last >= atLeast) {
        proc.kill('SIGKILL');
        resolve(last);
      }
    });
    void exited.then(() => reject(new Error(`the writer exited before saving ${atLeast}: ${stderr}`)));
  });
  await exited;
  return saved;
}

describe('captures after a crash', () => {
  it('keep every capture reported saved before a kill, readable, whatever the kill tore', async () => {
    const dir = join(config.dir, 'captures');
    const saved = await killWhileSaving(dir, 120);
    // Everything reported saved (the newest 40 of it, as kept) is there; only unreported work may be lost.
    const found = new Set(listCaptures(dir).map((capture) => (JSON.parse(capture.body) as { n: number }).n));
    for (let n = saved - 40; n < saved; n++) expect(found.has(n), `capture ${n}`).toBe(true);
    // Only a segment's last line can be torn: every line before it is a whole capture.
    for (const name of readdirSync(dir)) {
      const lines = readFileSync(join(dir, name), 'utf8').split('\n');
      for (const line of lines.slice(0, -1)) expect(() => JSON.parse(line)).not.toThrow();
    }
    // A new run after the crash counts what is there and goes on keeping the newest 40 to 50.
    const again = await killWhileSaving(dir, 48, 100_000);
    const kept = listCaptures(dir).map((capture) => (JSON.parse(capture.body) as { n: number }).n);
    for (let n = 100_000; n < 100_000 + again; n++) expect(kept).toContain(n);
    expect(kept.length).toBeGreaterThanOrEqual(40);
    expect(kept.length).toBeLessThanOrEqual(50 + 8);
  });
});
