import { createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, tempConfigDir } from '../helpers/cli.js';
import { hmacVector } from '../helpers/vectors.js';

const vector = hmacVector('V-URL-1');
const apiKey = 'pk_payment_my3T68cbuIXf1x3QOEbWtFEfcJPxeBr8wTewDVM';
const config = tempConfigDir();
const env = cleanEnv(config.dir, { CASHIER_CHECK_API_KEY: apiKey, CASHIER_CHECK_SECRET_KEY: vector.key });

afterAll(() => config.cleanup());

describe('cashier-check sign-url', () => {
  it('reproduces V-URL-1 with --json', async () => {
    const result = await runCli(['sign-url', '--cust-no', 'C86002201', '--order-no', 'C202503225', '--json'], { env });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      url: `http://127.0.0.1:4010/cashier?${vector.stringToSign}&signature=${vector.signature}`,
      stringToSign: vector.stringToSign,
      signature: vector.signature,
    });
    expect(result.stdout + result.stderr).not.toContain(vector.key);
  });

  it('encodes every widget parameter in order and signs the encoded text', async () => {
    const result = await runCli(
      ['sign-url', '--cust-no', 'C1', '--order-no', 'O1', '--amount', '25.50', '--symbol', 'usdc', '--chain-id', '42161', '--lang', 'zh-CN',
        '--redirect-url', 'https://shop.example/back?x=1', '--base-url', 'http://127.0.0.1:9999/cashier', '--json'],
      { env },
    );
    expect(result.code).toBe(0);
    const { url, stringToSign, signature } = JSON.parse(result.stdout) as Record<string, string>;
    expect(stringToSign).toBe(`apiKey=${apiKey}&custNo=C1&orderNo=O1&amount=25.50&currency=USDC&chainId=42161&lang=zh-CN&redirectURL=https%3A%2F%2Fshop.example%2Fback%3Fx%3D1`);
    expect(signature).toBe(createHmac('sha256', vector.key).update(stringToSign!).digest('hex'));
    expect(url).toBe(`http://127.0.0.1:9999/cashier?${stringToSign}&signature=${signature}`);
  });

  it('prints the link first for people', async () => {
    const result = await runCli(['sign-url', '--cust-no', 'C1'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^http:\/\/127\.0\.0\.1:4010\/cashier\?apiKey=.*&custNo=C1&signature=[0-9a-f]{64}$/);
  });

  it('refuses bad input with exit 2, naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [[], /--cust-no: is required/],
      [['--cust-no', 'C1', '--amount', 'ten'], /--amount: "ten" is not a decimal amount/],
      [['--cust-no', 'C1', '--chain-id', '5'], /--chain-id: "5" is not a BlockATM chain/],
      [['--cust-no', 'C1', '--redirect-url', 'shop.example'], /--redirect-url: must be an absolute http\(s\) URL/],
      [['--cust-no', 'C1', '--base-url', 'nope'], /--base-url: "nope" is not an absolute URL/],
      [['--cust-no', 'C1', '--currency', 'USDT', '--symbol', 'USDC'], /--currency\/--symbol/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(['sign-url', ...args], { env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    }
  });

  it('says which credential to set when none is configured', async () => {
    const empty = tempConfigDir();
    try {
      const result = await runCli(['sign-url', '--cust-no', 'C1'], { env: cleanEnv(empty.dir) });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/apiKey is not set[\s\S]*CASHIER_CHECK_API_KEY/);
    } finally {
      empty.cleanup();
    }
  });
});
