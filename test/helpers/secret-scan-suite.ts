import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/server/emulator/index.js';
import { startListener, type RunningListener } from '../../src/server/listener.js';
import { cleanEnv, startCli, tempConfigDir, waitForJson } from './cli.js';
import { filesToScan, findLeaks, inBatches, knownSecrets, runIn, type KnownSecrets, type Run } from './secret-scan.js';

const TIME = '1743060268000';
const BODY = '{"amount":"2000.00","orderNo":"ORDER_1","status":"SUCCESS","symbol":"USDT"}';
const MODES: string[][] = [[], ['--json'], ['--verbose']];

interface Invocation {
  args: string[];
  input?: string;
  env?: Record<string, string>;
  /** Keys this command's output is meant to carry. */
  shows?: (keyof KnownSecrets)[];
  /** Fewer modes for the slow ones: the verbose human view and JSON still cover both renderings. */
  modes?: string[][];
  /** Runs once the servers' run has saved its captures. */
  afterServers?: boolean;
}

const HEAVY = [['--verbose'], ['--json']];
/** Help and usage errors come from the parser before any key is read: one plain run says it all. */
const PARSER = [['--verbose']];

/** Commands that talk to servers, and the servers themselves. */
function onlineInvocations(work: string, apiBaseUrl: string, receiverUrl: string): Invocation[] {
  const local = { CASHIER_CHECK_BASE_URL: apiBaseUrl };
  return [
    { args: ['check', '--mock', '--junit', 'mock.xml'], modes: HEAVY },
    { args: ['check', '--mock', '--vulnerable-receiver', '--junit', 'vulnerable.xml'], modes: HEAVY },
    { args: ['check', '--webhook-url', receiverUrl, '--junit', 'local.xml', '--timeout', '5'], env: local, modes: HEAVY },
    { args: ['trigger', 'payment.success', '--to', receiverUrl] },
    { args: ['trigger', 'payout.refused', '--to', receiverUrl, '--set', 'amount=3.00'] },
    { args: ['probe', '--to', receiverUrl, '--timeout', '5'], modes: HEAVY },
    { args: ['trigger', 'payment.nonsense', '--to', receiverUrl], modes: HEAVY },
    { args: ['probe', '--to', 'not a url'], modes: HEAVY },
    { args: ['send-test', '--dry-run'] },
    { args: ['send-test', '--environment', apiBaseUrl, '--timeout', '5'] },
    { args: ['send-test', '--environment', 'nowhere'], modes: HEAVY },
    // A widget link names the desk by its API key (the integration public key): that is the link.
    { args: ['sign-url', '--cust-no', 'CUST_1', '--order-no', 'ORDER_1', '--amount', '1.00', '--currency', 'USDT'], shows: ['apiKey'] },
    { args: ['replay', '--list'], afterServers: true },
    { args: ['replay', '--show', 'nope'], modes: HEAVY },
    { args: ['verify', '--request', join(work, 'missing.http')], modes: HEAVY },
  ];
}

/** Every offline command with the inputs that reach its main paths and its error paths. */
function offlineInvocations(work: string): Invocation[] {
  const body = join(work, 'body.json');
  return [
    { args: ['--help'], modes: PARSER },
    { args: ['--version'], modes: PARSER },
    { args: ['sign', '--help'], modes: PARSER },
    { args: ['verify', '--help'], modes: PARSER },
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
    { args: ['init', '--yes'], modes: HEAVY },
    { args: ['init', '--yes', '--cashier-id', 'not-a-number', '--environment', 'nowhere'] },
    { args: ['config', 'use', 'nope'], modes: HEAVY },
    { args: ['config', 'delete', 'nope', '--yes'], modes: HEAVY },
    { args: ['sign', '--time', TIME, '--query', 'a=1'], env: { CASHIER_CHECK_SECRET_KEY: 'short' } },
    { args: ['sign', '--time', 'yesterday', '--body', body], modes: HEAVY },
    { args: ['sign', '--time', TIME, '--body', join(work, 'missing.json')], modes: HEAVY },
    { args: ['sign', '--time', TIME, '--body', '-'], input: '{"a":1,"a":2}' },
    { args: ['sign', '--time', TIME, '--body', '-'], input: 'not json' },
    { args: ['sign', '--profile', 'nope', '--time', TIME, '--query', 'a=1'], modes: HEAVY },
    { args: ['verify', '--body', body], modes: HEAVY },
    { args: ['frobnicate'], modes: PARSER },
    { args: ['sign', '--frobnicate'], modes: PARSER },
  ];
}

/**
 * Runs every command of one part in every mode (human, --json, --verbose, with keys from the
 * environment, and once with keys from a stored profile) and scans all output and written files.
 */
export function secretScanSuite(part: 'offline' | 'online'): void {
  const invocations = (work: string, apiBaseUrl: string): Invocation[] => (part === 'online' ? onlineInvocations(work, apiBaseUrl, receiver.url) : offlineInvocations(work));
  const servers = part === 'online' ? 2 : 0;
  let secrets: KnownSecrets;
  let api: RunningEmulator;
  let receiver: RunningListener;
  let config: { dir: string; cleanup: () => void };
  let work: string;
  const runs: { source: string; run: Run; shows?: (keyof KnownSecrets)[] }[] = [];

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
    // send-test talks to a local emulator that holds the same keys, so its signed calls succeed.
    api = await startEmulator({ host: '127.0.0.1', port: 0, credentials: { apiKey: secrets.apiKey, secretKey: secrets.secretKey, webhookKey: secrets.webhookKey, cashierId: '86100021' } });
    // trigger, probe and check send webhooks to a correct local receiver holding the Webhook key.
    receiver = await startListener({ host: '127.0.0.1', port: 0, webhookKey: secrets.webhookKey });
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
    const later: (() => Promise<void>)[] = [];
    for (const invocation of invocations(work, api.baseUrl)) {
      const queue = invocation.afterServers ? later : tasks;
      for (const mode of invocation.modes ?? MODES) {
        const args = [...mode, ...invocation.args];
        queue.push(async () => {
          const run = await runIn(work, args, cleanEnv(fromEnv, { ...secretEnv(), ...invocation.env }), invocation.input);
          runs.push({ source: 'env', run, shows: invocation.shows });
        });
      }
      // Keys from the stored profile, in the noisiest mode.
      queue.push(async () => {
        const run = await runIn(work, ['--verbose', ...invocation.args], cleanEnv(fromProfile, invocation.env), invocation.input);
        runs.push({ source: 'profile', run, shows: invocation.shows });
      });
    }
    await Promise.all([part === 'online' ? serversRun(fromEnv) : undefined, inBatches(tasks, 3)]);
    await inBatches(later);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await receiver?.close();
    config?.cleanup();
  });

  /**
   * The servers, end to end with the same keys: mock delivers a signed payment to listen (which
   * saves it), a forgery follows; then replay and verify work on the capture.
   */
  async function serversRun(configDir: string): Promise<void> {
    const env = cleanEnv(configDir, { ...secretEnv(), CASHIER_CHECK_CASHIER_ID: '86100021' });
    const listen = startCli(['listen', '--port', '0', '--count', '2', '--timeout', '20', '--json', '--verbose'], { env });
    const { url } = await waitForJson<{ url: string }>(listen, 'ready');
    const mock = startCli(['mock', '--port', '0', '--json', '--verbose', '--webhook-url', url], { env });
    try {
      const { baseUrl } = await waitForJson<{ baseUrl: string }>(mock, 'ready');
      const paid = await fetch(`${baseUrl}/_mock/payments`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"orderNo":"SCAN_1"}' });
      expect(paid.status).toBe(200);
      await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'BlockATM-Signature-V2': 'ab'.repeat(32), 'BlockATM-Request-Time': String(Date.now()) }, body: '{"orderNo":"FORGED"}' });
      runs.push({ source: 'env', run: { args: ['listen'], ...(await listen.exited) } });
    } finally {
      runs.push({ source: 'env', run: { args: ['mock'], ...(await mock.stop('SIGINT')) } });
      await listen.stop('SIGKILL');
    }
  }

  describe('no command prints a secret', () => {
    it('ran every command in every mode, with the results a run should have', () => {
      expect(runs.length).toBe(invocations(work, api.baseUrl).reduce((sum, invocation) => sum + (invocation.modes ?? MODES).length + 1, 0) + servers);
      if (part === 'online') {
        expect(runs.find(({ run }) => run.args[0] === 'listen')?.run.code).toBe(1);
        expect(runs.find(({ run }) => run.args[0] === 'mock')?.run.code).toBe(130);
      }
      // The harness reaches real paths: successes, check failures and usage errors all occur.
      const codes = new Set(runs.map(({ run }) => run.code));
      for (const code of [0, 2]) expect(codes).toContain(code);
      if (part === 'offline') {
        expect(codes).toContain(1);
        const signed = runs.find(({ run }) => run.args.join(' ') === `--json sign --webhook --time ${TIME} --body ${join(work, 'body.json')}`);
        expect(JSON.parse(signed!.run.stdout).signature).toMatch(/^[0-9a-f]{64}$/);
      } else {
        const sent = runs.find(({ run }) => run.args.join(' ') === `--json send-test --environment ${api.baseUrl} --timeout 5`);
        expect(sent?.run.code, sent?.run.stderr).toBe(0);
        const listed = runs.find(({ run }) => run.args.join(' ') === '--json replay --list');
        expect(filesToScan(work).map((file) => file.path)).toEqual(expect.arrayContaining(['mock.xml', 'vulnerable.xml', 'local.xml']));
        const { deliveries } = JSON.parse(listed!.run.stdout) as { deliveries: { verified: boolean }[] };
        expect(deliveries.map((d) => d.verified).sort()).toEqual([false, true]);
      }
    });

    it('keeps every key out of stdout and stderr', () => {
      const leaks = runs.flatMap(({ source, run, shows = [] }) => {
        const hidden = Object.fromEntries(Object.entries(secrets).filter(([name]) => !shows.includes(name as keyof KnownSecrets))) as Partial<KnownSecrets>;
        return (['stdout', 'stderr'] as const).flatMap((stream) => findLeaks(run[stream], hidden).map((leak) => `${source} keys, cashier-check ${run.args.join(' ')}: ${stream}: ${leak}`));
      });
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
}
