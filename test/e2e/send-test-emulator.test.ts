import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/server/emulator/index.js';
import { cleanEnv, runCli, startCli, tempConfigDir, waitForJson, type RunningCli } from '../helpers/cli.js';
import { CREDENTIALS, emulator } from '../helpers/emulator.js';

interface Report {
  checks: { name: string; status: string; detail: string; hint: string; evidence: { status: number | null; code: string | null; failure?: string } | null }[];
  passed: number;
  failed: number;
  warned: number;
}

const emulators: RunningEmulator[] = [];
const clis: RunningCli[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const cli of clis.splice(0)) await cli.stop('SIGKILL');
  await Promise.all(emulators.splice(0).map((running) => running.close()));
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function env(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { dir, cleanup } = tempConfigDir();
  cleanups.push(cleanup);
  return cleanEnv(dir, {
    CASHIER_CHECK_API_KEY: CREDENTIALS.apiKey,
    CASHIER_CHECK_SECRET_KEY: CREDENTIALS.secretKey,
    CASHIER_CHECK_CASHIER_ID: CREDENTIALS.cashierId,
    ...overrides,
  });
}

async function started(options: Parameters<typeof emulator>[0] = {}): Promise<RunningEmulator> {
  const running = await emulator(options);
  emulators.push(running);
  return running;
}

async function sendTest(baseUrl: string, extraEnv: Record<string, string> = {}, args: string[] = []): Promise<{ code: number | null; report: Report; stderr: string }> {
  const result = await runCli(['send-test', '--json', '--environment', baseUrl, ...args], { env: env(extraEnv) });
  return { code: result.code, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

const byName = (report: Report, name: string) => report.checks.find((check) => check.name === name)!;

describe('send-test against the emulator', () => {
  it('passes every check with the right credentials', async () => {
    const running = await started();
    const { code, report } = await sendTest(running.baseUrl);
    expect(code).toBe(0);
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([['reachability', 'pass'], ['api-key', 'pass'], ['signature', 'pass'], ['clock-skew', 'pass']]);
    expect(byName(report, 'api-key').detail).toContain(`Cashier Desk ID ${CREDENTIALS.cashierId}`);
    expect(byName(report, 'signature').evidence).toMatchObject({ status: 200, code: '000202' });
  });

  it('fails the signature check with the secret-key hint when the secret is wrong', async () => {
    const running = await started();
    const { code, report } = await sendTest(running.baseUrl, { CASHIER_CHECK_SECRET_KEY: 'sck_test_not_the_secret_9' });
    expect(code).toBe(1);
    const signature = byName(report, 'signature');
    expect(signature).toMatchObject({ status: 'fail', evidence: { code: '000105' } });
    expect(signature.hint).toMatch(/CASHIER_CHECK_SECRET_KEY/);
    expect(signature.hint).toMatch(/BlockATM-Signature-V2/);
    expect(byName(report, 'api-key').status).toBe('pass');
  });

  it('fails the API key check for a key the emulator does not know', async () => {
    const running = await started();
    const { code, report } = await sendTest(running.baseUrl, { CASHIER_CHECK_API_KEY: 'pk_test_unknown_key_77' });
    expect(code).toBe(1);
    expect(byName(report, 'api-key')).toMatchObject({ status: 'fail', evidence: { code: '000110' } });
  });

  it('classifies a stopped emulator as refused', async () => {
    const running = await started();
    const { baseUrl } = running;
    await running.close();
    emulators.splice(emulators.indexOf(running), 1);
    const { code, report } = await sendTest(baseUrl);
    expect(code).toBe(1);
    expect(byName(report, 'reachability')).toMatchObject({ status: 'fail', evidence: { failure: 'refused' } });
    expect(byName(report, 'signature').status).toBe('skip');
  });

  it('warns when the clocks differ by 10 s and fails past the 30 s window, saying which way', async () => {
    const ahead = await started({ clockOffsetMs: 10_000 });
    const warned = await sendTest(ahead.baseUrl);
    expect(warned.code).toBe(0);
    expect(byName(warned.report, 'clock-skew')).toMatchObject({ status: 'warn', detail: expect.stringMatching(/this machine's clock is (9|10)(\.\d)? s .* behind BlockATM's/) });
    expect(byName(warned.report, 'signature').status).toBe('pass');

    const behind = await started({ clockOffsetMs: -60_000 });
    const failed = await sendTest(behind.baseUrl);
    expect(failed.code).toBe(1);
    expect(byName(failed.report, 'clock-skew')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/ahead of BlockATM's/) });
    const signature = byName(failed.report, 'signature');
    expect(signature).toMatchObject({ status: 'fail', evidence: { code: '000105' } });
    expect(signature.hint).toMatch(/fix the clock first/);
  });

  it('creates a payout on the emulator only with --create-payout', async () => {
    const running = await started();
    const { code, report } = await sendTest(running.baseUrl, {}, ['--create-payout', '--to-address', '0xc87dd49427a188bf2b601c1d5cd2aaf36bd553d2']);
    expect(code).toBe(0);
    expect(byName(report, 'create-payout')).toMatchObject({ status: 'pass', evidence: { code: '200' } });
    expect([...running.store.payouts.values()].map((order) => order.amount)).toEqual(['0.01']);
    const without = await sendTest(running.baseUrl);
    expect(without.report.checks.some((c) => c.name === 'create-payout')).toBe(false);
    expect(running.store.payouts.size).toBe(1);
  });

  it('passes against the mock command and prints readable lines with --verbose', async () => {
    const mockEnv = env({ CASHIER_CHECK_WEBHOOK_KEY: CREDENTIALS.webhookKey });
    const mock = startCli(['mock', '--port', '0', '--json'], { env: mockEnv });
    clis.push(mock);
    const { baseUrl } = await waitForJson<{ baseUrl: string }>(mock, 'ready');
    const result = await runCli(['send-test', '--verbose', '--environment', baseUrl], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/PASS {2}Signed request \(payout\/detail\)\n.*000202/);
    expect(result.stdout).toMatch(/GET \/order\/api\/v2\/payout\/detail\?bizOrderNo=CCHK\w+ → HTTP 200, code 000202/);
    expect(result.stdout).toMatch(/string to sign: bizOrderNo=CCHK\w+&time=\d{13}/);
    expect(result.stdout).toMatch(/4 passed, 0 failed, 0 warned/);
    for (const secret of [CREDENTIALS.apiKey, CREDENTIALS.secretKey]) expect(result.stdout + result.stderr).not.toContain(secret);
  });
});
