import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, tempConfigDir } from '../helpers/cli.js';

const SECRET_KEY = 'sck_QOoPSlHDSsgXYeNyTP2i0ug1HKLRjHw9Ug7mCc1Q0';

let config: { dir: string; cleanup: () => void };
beforeAll(() => {
  config = tempConfigDir();
});
afterAll(() => config.cleanup());

const sign = (args: string[]) => runCli(['sign', ...args], { env: cleanEnv(config.dir, { CASHIER_CHECK_SECRET_KEY: SECRET_KEY }) });

describe('sign input mistakes', () => {
  it('warns when --time looks like epoch seconds, and still signs what was asked', async () => {
    const result = await sign(['--time', '1743060268', '--query', 'a=1', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ stringToSign: 'a=1&time=1743060268' });
    expect(result.stderr).toBe('warning: --time 1743060268 looks like epoch seconds; BlockATM-Request-Time is epoch milliseconds (1743060268000)\n');
    expect(result.stdout).not.toContain(SECRET_KEY);
  });

  it('does not warn for epoch milliseconds', async () => {
    const result = await sign(['--time', '1743060268000', '--query', 'a=1']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('a malformed query gets a hint about queries, not bodies', async () => {
    const result = await sign(['--time', '1743060268000', '--query', 'a=%zz']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --query: the query has a malformed %-escape in "a=%zz"\nhint: give the query exactly as sent, e.g. bizOrderNo=B202505220012 (percent-escapes must be %XX)\n');
  });

  it('a body that is not JSON gets the body hint', async () => {
    const result = await runCli(['sign', '--time', '1743060268000', '--body', '-'], { env: cleanEnv(config.dir, { CASHIER_CHECK_SECRET_KEY: SECRET_KEY }), input: 'not json' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --body: .*\nhint: the body must be one JSON object, exactly as sent\n$/);
  });
});
