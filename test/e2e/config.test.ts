import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, tempConfigDir, type RunResult } from '../helpers/cli.js';
import { KEY, startPty } from '../helpers/pty.js';

const API_KEY = 'pk_payment_my3T68cbuIXf1x3QOEbWtFEfcJPxeBr8wTewDVM';
const SECRET_KEY = 'sck_QOoPSlHDSsgXYeNyTP2i0ug1HKLRjHw9Ug7mCc1Q0';
const WEBHOOK_KEY = 'whk_Zx81PqL0aa77TTmmQQ';
const ENV_SECRET = 'sck_from_the_environment_0001';

let config: { dir: string; cleanup: () => void };
beforeEach(() => {
  config = tempConfigDir();
  const profile = (cashierId: string, extra: Record<string, string> = {}) => ({ environment: 'sandbox', cashierId, apiKey: API_KEY, secretKey: SECRET_KEY, webhookKey: WEBHOOK_KEY, webhookUrl: 'https://shop.example.com/hook', signatureVersion: 'v2', ...extra });
  writeFileSync(
    join(config.dir, 'config.json'),
    JSON.stringify({ activeProfile: 'default', profiles: { default: profile('91'), local: profile('7', { environment: 'custom', baseUrl: 'http://127.0.0.1:4010' }) } }),
    { mode: 0o600 },
  );
});
afterEach(() => config.cleanup());

const cli = (args: string[], env: Record<string, string> = {}): Promise<RunResult> => runCli(args, { env: cleanEnv(config.dir, env) });
const stored = () => JSON.parse(readFileSync(join(config.dir, 'config.json'), 'utf8')) as { activeProfile?: string; profiles: Record<string, unknown> };

function expectNoSecrets(result: RunResult): void {
  for (const secret of [API_KEY, SECRET_KEY, WEBHOOK_KEY, ENV_SECRET]) expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
}

describe('config', () => {
  it('show masks secrets and says where each value comes from', async () => {
    const result = await cli(['config', 'show', '--json'], { CASHIER_CHECK_SECRET_KEY: ENV_SECRET, CASHIER_CHECK_BASE_URL: 'http://127.0.0.1:9999' });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      profile: 'default',
      path: join(config.dir, 'config.json'),
      stored: true,
      active: true,
      values: {
        environment: { value: 'custom', source: 'env' },
        baseUrl: { value: 'http://127.0.0.1:9999', source: 'env' },
        cashierId: { value: '91', source: 'profile' },
        apiKey: { value: 'pk_p…wDVM', source: 'profile' },
        secretKey: { value: 'sck_…0001', source: 'env' },
        webhookKey: { value: 'whk_…mmQQ', source: 'profile' },
        webhookUrl: { value: 'https://shop.example.com/hook', source: 'profile' },
        signatureVersion: { value: 'v2', source: 'profile' },
        v1PrivateKey: { value: null, source: null },
        v1PublicKey: { value: null, source: null },
      },
      problems: [],
    });
    expectNoSecrets(result);
    const human = await cli(['config', 'show', 'local']);
    expect(human.stdout).toMatch(/^profile "local" \(stored\)/);
    expect(human.stdout).toMatch(/base URL\s+http:\/\/127\.0\.0\.1:4010\s+\[profile\]/);
    expect(human.stdout).toMatch(/secret key\s+sck_…c1Q0\s+\[profile\]/);
    expectNoSecrets(human);
  });

  it('show lists a bad value as a problem and exits 2, without the secret', async () => {
    const result = await cli(['config', 'show', '--json'], { CASHIER_CHECK_SECRET_KEY: `"${ENV_SECRET}"` });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).problems).toEqual([{ field: 'secretKey', where: 'CASHIER_CHECK_SECRET_KEY', problem: 'has quotes around it; paste the secret key without quotes' }]);
    expectNoSecrets(result);
  });

  it('path prints the file, list marks the active profile', async () => {
    expect((await cli(['config', 'path'])).stdout).toBe(`${join(config.dir, 'config.json')}\n`);
    expect(JSON.parse((await cli(['config', 'path', '--json'])).stdout)).toEqual({ path: join(config.dir, 'config.json'), exists: true });
    const list = await cli(['config', 'list']);
    expect(list.stdout).toBe('* default  sandbox  desk 91\n  local    http://127.0.0.1:4010  desk 7\n');
    expect(JSON.parse((await cli(['config', 'list', '--json'])).stdout)).toEqual({
      path: join(config.dir, 'config.json'),
      active: 'default',
      profiles: [
        { name: 'default', active: true, environment: 'sandbox', baseUrl: null, cashierId: '91' },
        { name: 'local', active: false, environment: 'custom', baseUrl: 'http://127.0.0.1:4010', cashierId: '7' },
      ],
    });
  });

  it('use switches the active profile; an unknown one is exit 2 naming the known ones', async () => {
    const used = await cli(['config', 'use', 'local', '--json']);
    expect(JSON.parse(used.stdout)).toEqual({ active: 'local', path: join(config.dir, 'config.json') });
    expect(stored().activeProfile).toBe('local');
    expect(JSON.parse((await cli(['config', 'show', '--json'])).stdout)).toMatchObject({ profile: 'local', values: { cashierId: { value: '7' } } });
    const unknown = await cli(['config', 'use', 'prod']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('error: unknown profile "prod"\nhint: known profiles: default, local; or create it with "cashier-check init --profile prod"\n');
    expect((await cli(['--profile', 'prod', 'config', 'show'])).stderr).toMatch(/^error: unknown profile "prod"/);
  });

  it('delete of the active profile leaves none active and says what to do', async () => {
    const result = await cli(['config', 'delete', 'default', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('deleted profile "default"\nit was the active profile; choose another with "cashier-check config use <profile>" (local)\n');
    expect(stored()).toEqual({ profiles: { local: expect.any(Object) } });
    const json = await cli(['config', 'delete', 'local', '--yes', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ deleted: 'local', active: null, remaining: [] });
    expect((await cli(['config', 'list'])).stdout).toMatch(/^no profiles yet/);
  });

  it('delete of the active profile says when "default" takes over', async () => {
    expect((await cli(['config', 'use', 'local'])).code).toBe(0);
    const result = await cli(['config', 'delete', 'local', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('deleted profile "local"\nit was the active profile; "default" is used from now on (choose another with "cashier-check config use <profile>")\n');
    expect((await cli(['config', 'list'])).stdout).toMatch(/^\* default/);
    expect((await cli(['config', 'use', 'local'])).code).toBe(2);
    writeFileSync(join(config.dir, 'config.json'), JSON.stringify({ activeProfile: 'default', profiles: { default: {}, local: {} } }));
    const json = await cli(['config', 'delete', 'local', '--yes', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ deleted: 'local', active: 'default', remaining: ['default'] });
  });

  it('an active profile that is missing from a hand-edited file is named, not silently replaced', async () => {
    writeFileSync(join(config.dir, 'config.json'), JSON.stringify({ activeProfile: 'gone', profiles: { default: { secretKey: SECRET_KEY } } }));
    for (const args of [['config', 'show'], ['sign', '--time', '1', '--query', 'a=1']]) {
      const result = await cli(args);
      expect(result.code, result.stdout).toBe(2);
      expect(result.stderr).toBe('error: the active profile "gone" is not in the profile file\nhint: choose one with "cashier-check config use <profile>" (default), or create it with "cashier-check init --profile gone"\n');
      expectNoSecrets(result);
    }
    expect((await cli(['--profile', 'default', 'sign', '--time', '1', '--query', 'a=1'])).code).toBe(0);
    expect((await cli(['config', 'use', 'default'])).code).toBe(0);
    expect((await cli(['config', 'show'])).code).toBe(0);
  });

  it('delete without a terminal needs --yes, and asks on one', async () => {
    const refused = await cli(['config', 'delete', 'local']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: confirmation to delete is needed, and stdin is not a terminal/);
    expect(Object.keys(stored().profiles)).toEqual(['default', 'local']);
    const session = startPty(['config', 'delete', 'local'], cleanEnv(config.dir));
    await session.waitFor('Delete profile "local"');
    session.type(`y${KEY.enter}`);
    expect((await session.exited).exitCode).toBe(0);
    expect(Object.keys(stored().profiles)).toEqual(['default']);
  });

  it('a hand-edited file with a wrong value is reported in one line, exit 2', async () => {
    writeFileSync(join(config.dir, 'config.json'), JSON.stringify({ profiles: { default: { cashierId: 'ninety-one', secretKey: SECRET_KEY } } }));
    const result = await cli(['sign', '--time', '1743060268000', '--query', 'a=1']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('error: profile "default" field cashierId: must be the numeric Cashier Desk ID shown in the dashboard (digits only)');
    expectNoSecrets(result);
    writeFileSync(join(config.dir, 'config.json'), '{"profiles": {"default": ');
    const corrupt = await cli(['config', 'list']);
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr.split('\n')[0]).toBe(`error: profile file ${join(config.dir, 'config.json')} is corrupt (not valid JSON)`);
  });

  it('config without a subcommand shows its help and exits 2', async () => {
    const result = await cli(['config']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('delete');
  });
});
