import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, tempConfigDir } from '../helpers/cli.js';
import { filesToScan, findLeaks, inBatches, knownSecrets, runIn, type KnownSecrets, type Run } from '../helpers/secret-scan.js';

const TIME = '1743060268000';
const BODY = '{"amount":"2000.00","orderNo":"ORDER_1","status":"SUCCESS","symbol":"USDT"}';
const MODES: string[][] = [[], ['--json'], ['--verbose']];

interface Invocation {
  args: string[];
  input?: string;
  env?: Record<string, string>;
}

/** Every command with the inputs that reach its main paths and its error paths. */
function invocations(work: string): Invocation[] {
  const body = join(work, 'body.json');
  return [
    { args: ['--help'] },
    { args: ['--version'] },
    { args: ['sign', '--help'] },
    { args: ['verify', '--help'] },
    { args: ['sign', '--time', TIME, '--body', body] },
    { args: ['sign', '--time', TIME, '--query', 'cashierId=1&page=2'] },
    { args: ['sign', '--time', TIME, '--body', '-'], input: BODY },
    { args: ['sign', '--webhook', '--time', TIME, '--body', body] },
    { args: ['sign', '--webhook', '--recipe', 'raw', '--time', TIME, '--body', body] },
    { args: ['sign', '--time', TIME, '--body', body], env: { CASHIER_CHECK_SIGNATURE_VERSION: 'v1' } },
    { args: ['verify', '--time', TIME, '--body', body, '--signature', 'ab'.repeat(32)] },
    { args: ['verify', '--time', TIME, '--body', body, '--signature', 'not-hex'] },
    { args: ['verify', '--time', TIME, '--body', body] },
    { args: ['init', '--yes', '--environment', 'sandbox', '--cashier-id', '86100021', '--webhook-url', 'https://merchant.example/blockatm/webhook'] },
    { args: ['init', '--yes', '--profile', 'second', '--environment', 'production', '--cashier-id', '86100022', '--webhook-url', 'https://merchant.example/hook'] },
    { args: ['config', 'show'] },
    { args: ['config', 'show', 'default'] },
    { args: ['config', 'list'] },
    { args: ['config', 'path'] },
    { args: ['config', 'use', 'default'] },
    // errors
    { args: ['init', '--yes'] },
    { args: ['init', '--yes', '--cashier-id', 'not-a-number', '--environment', 'nowhere'] },
    { args: ['config', 'use', 'nope'] },
    { args: ['config', 'delete', 'nope', '--yes'] },
    { args: ['sign', '--time', TIME, '--query', 'a=1'], env: { CASHIER_CHECK_SECRET_KEY: 'short' } },
    { args: ['sign', '--time', 'yesterday', '--body', body] },
    { args: ['sign', '--time', TIME, '--body', join(work, 'missing.json')] },
    { args: ['sign', '--time', TIME, '--body', '-'], input: '{"a":1,"a":2}' },
    { args: ['sign', '--time', TIME, '--body', '-'], input: 'not json' },
    { args: ['sign', '--profile', 'nope', '--time', TIME, '--query', 'a=1'] },
    { args: ['verify', '--body', body] },
    { args: ['frobnicate'] },
    { args: ['sign', '--frobnicate'] },
  ];
}

let secrets: KnownSecrets;
let config: { dir: string; cleanup: () => void };
let work: string;
const runs: { source: string; run: Run }[] = [];

function secretEnv(): Record<string, string> {
  return {
    CASHIER_CHECK_API_KEY: secrets.apiKey,
    CASHIER_CHECK_SECRET_KEY: secrets.secretKey,
    CASHIER_CHECK_WEBHOOK_KEY: secrets.webhookKey,
    CASHIER_CHECK_V1_PRIVATE_KEY: secrets.v1PrivateKey,
  };
}

beforeAll(async () => {
  secrets = knownSecrets();
  config = tempConfigDir();
  work = join(config.dir, 'work');
  mkdirSync(work);
  writeFileSync(join(work, 'body.json'), BODY);
  const fromEnv = join(config.dir, 'env-config');
  const fromProfile = join(config.dir, 'profile-config');
  mkdirSync(fromEnv);
  mkdirSync(fromProfile);
  writeFileSync(
    join(fromProfile, 'config.json'),
    JSON.stringify({ activeProfile: 'default', profiles: { default: { ...secrets, cashierId: '86100021', signatureVersion: 'v2' } } }),
    { mode: 0o600 },
  );
  const tasks: (() => Promise<void>)[] = [];
  for (const invocation of invocations(work)) {
    for (const mode of MODES) {
      const args = [...mode, ...invocation.args];
      tasks.push(async () => {
        const run = await runIn(work, args, cleanEnv(fromEnv, { ...secretEnv(), ...invocation.env }), invocation.input);
        runs.push({ source: 'env', run });
      });
    }
    // Keys from the stored profile, in the noisiest mode.
    tasks.push(async () => {
      const run = await runIn(work, ['--verbose', ...invocation.args], cleanEnv(fromProfile, invocation.env), invocation.input);
      runs.push({ source: 'profile', run });
    });
  }
  await inBatches(tasks);
}, 120_000);

afterAll(() => config?.cleanup());

describe('no command prints a secret', () => {
  it('ran every command in every mode, with the results a run should have', () => {
    expect(runs.length).toBe(invocations(work).length * (MODES.length + 1));
    // The harness reaches real paths: successes, check failures and usage errors all occur.
    const codes = new Set(runs.map(({ run }) => run.code));
    expect([...codes].sort()).toEqual([0, 1, 2]);
    const signed = runs.find(({ run }) => run.args.join(' ') === `--json sign --webhook --time ${TIME} --body ${join(work, 'body.json')}`);
    expect(JSON.parse(signed!.run.stdout).signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps every key out of stdout and stderr', () => {
    const leaks = runs.flatMap(({ source, run }) =>
      (['stdout', 'stderr'] as const).flatMap((stream) => findLeaks(run[stream], secrets).map((leak) => `${source} keys, cashier-check ${run.args.join(' ')}: ${stream}: ${leak}`)),
    );
    expect(leaks).toEqual([]);
  });

  it('keeps every key out of files the commands wrote', () => {
    const leaks = filesToScan(config.dir).flatMap(({ path, text }) => findLeaks(text, secrets).map((leak) => `${path}: ${leak}`));
    expect(leaks).toEqual([]);
  });

  it('finds a leak when there is one', () => {
    expect(findLeaks(`signature ok, key ${secrets.webhookKey.slice(3, 20)}…`, secrets)).toHaveLength(1);
    expect(findLeaks(`masked ${secrets.secretKey.slice(0, 4)}…${secrets.secretKey.slice(-4)}`, secrets)).toEqual([]);
  });
});
