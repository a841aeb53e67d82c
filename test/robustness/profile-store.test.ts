import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, tempConfigDir } from '../helpers/cli.js';
import { bundleScript } from '../helpers/script.js';

let writer: string;
beforeAll(async () => {
  writer = await bundleScript('fixtures/profile-writer.ts');
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function configDir(): string {
  const { dir, cleanup } = tempConfigDir();
  cleanups.push(cleanup);
  return dir;
}

/** Starts a writer; `ready` resolves once it reports `after` completed writes. */
function startWriter(dir: string, name: string, writes: number, after = 1): { child: ChildProcess; ready: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [writer, name, String(writes)], { env: cleanEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`wrote ${after}\n`)) resolve();
    });
    void exited.then((code) => reject(new Error(`writer exited ${code} before its first write: ${stderr}`)));
  });
  return { child, ready, exited };
}

interface StoredProfile {
  cashierId: string;
  secretKey: string;
  webhookKey: string;
}

/** Parses the file and checks every profile is whole: all three fields from the same write. */
function readWholeStore(dir: string): { activeProfile?: string; profiles: Record<string, StoredProfile> } {
  const store = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { activeProfile?: string; profiles: Record<string, StoredProfile> };
  for (const [name, profile] of Object.entries(store.profiles)) {
    expect(profile.secretKey).toBe(`secret-${name}-${profile.cashierId}`);
    expect(profile.webhookKey.endsWith(`-${profile.cashierId}`)).toBe(true);
    expect(profile.webhookKey.length).toBe(256 * 1024 + 1 + profile.cashierId.length);
  }
  return store;
}

describe('profile store under kills and concurrency', () => {
  it('keeps the previous profile whole when a writer is killed mid-write', async () => {
    const dir = configDir();
    const first = startWriter(dir, 'default', 1);
    expect(await first.exited).toBe(0);
    const seen = new Set<string>();
    for (let round = 0; round < 8; round++) {
      // Kill it hard while it writes, after a different number of completed writes each round.
      const { child, ready, exited } = startWriter(dir, 'default', 10_000, 1 + round);
      await ready;
      child.kill('SIGKILL');
      await exited;
      const store = readWholeStore(dir);
      seen.add(store.profiles.default!.cashierId);
      expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    }
    // The kills landed at different points of the loop, not all before the first write.
    expect(seen.size).toBeGreaterThan(1);
    // A lock left behind by a killed writer does not block the next one.
    const after = startWriter(dir, 'default', 2);
    expect(await after.exited).toBe(0);
    expect(readWholeStore(dir).profiles.default!.cashierId).toBe('2');
    expect(readdirSync(dir).filter((name) => name.endsWith('.lock'))).toEqual([]);
  });

  it('loses no profile when several processes write at once', async () => {
    const dir = configDir();
    const names = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
    const writers = names.map((name) => startWriter(dir, name, 5));
    const codes = await Promise.all(writers.map((w) => w.exited));
    expect(codes).toEqual(names.map(() => 0));
    const store = readWholeStore(dir);
    expect(Object.keys(store.profiles).sort()).toEqual([...names].sort());
    for (const name of names) expect(store.profiles[name]!.cashierId).toBe('5');
    expect(names).toContain(store.activeProfile);
  });

  it('keeps every profile when several `init` runs write at once', async () => {
    const dir = configDir();
    const env = cleanEnv(dir, { CASHIER_CHECK_API_KEY: 'api-key-0123456789', CASHIER_CHECK_SECRET_KEY: 'secret-key-0123456789', CASHIER_CHECK_WEBHOOK_KEY: 'webhook-key-0123456789' });
    const names = ['one', 'two', 'three', 'four', 'five', 'six'];
    const runs = await Promise.all(
      names.map((name, n) => runCli(['init', '--yes', '--profile', name, '--environment', 'sandbox', '--cashier-id', String(86100020 + n), '--webhook-url', `https://merchant.example/${name}`], { env })),
    );
    expect(runs.map((run) => run.code)).toEqual(names.map(() => 0));
    const store = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { profiles: Record<string, { cashierId: string; webhookUrl: string }> };
    expect(Object.keys(store.profiles).sort()).toEqual([...names].sort());
    names.forEach((name, n) => expect(store.profiles[name]).toMatchObject({ cashierId: String(86100020 + n), webhookUrl: `https://merchant.example/${name}` }));
    const list = await runCli(['config', 'list', '--json'], { env });
    expect(list.code).toBe(0);
  });

  it('reports a corrupt profile file without quoting it, and never overwrites it', async () => {
    const dir = configDir();
    const broken = '{"profiles": {"default": {"secretKey": "never-print-this-secret"';
    writeFileSync(join(dir, 'config.json'), broken, { mode: 0o600 });
    const child = startWriter(dir, 'default', 1);
    let stderr = '';
    child.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.ready.catch(() => undefined);
    expect(await child.exited).not.toBe(0);
    expect(stderr).toContain('is corrupt (not valid JSON)');
    expect(stderr).not.toContain('never-print-this-secret');
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(broken);
  });
});
