import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, startCli, tempConfigDir, waitForJson, type RunningCli } from '../helpers/cli.js';

const config = tempConfigDir();
const keys = { CASHIER_CHECK_API_KEY: 'pk_payment_cashier_e2e_0001', CASHIER_CHECK_SECRET_KEY: 'sck_cashier_e2e_secret_0001', CASHIER_CHECK_WEBHOOK_KEY: 'whk_cashier_e2e_0001' };
let mock: RunningCli | undefined;

afterAll(async () => {
  await mock?.stop();
  config.cleanup();
});

describe('cashier-check mock and its test cashier', () => {
  it('prints a ready link that opens a fresh signed order, and no key reaches the terminal', async () => {
    mock = startCli(['mock', '--port', '0', '--json'], { env: cleanEnv(config.dir, keys) });
    const ready = await waitForJson<{ baseUrl: string; cashierUrl: string }>(mock, 'ready');
    expect(ready.cashierUrl).toBe(`${ready.baseUrl}/cashier/demo`);
    await expect.poll(() => mock!.stderr()).toContain(`Test cashier  ${ready.cashierUrl}`);

    const demo = await fetch(ready.cashierUrl, { redirect: 'manual' });
    expect(demo.status).toBe(302);
    const signed = demo.headers.get('location')!;
    expect(signed).toMatch(new RegExp(`^${ready.baseUrl}/cashier\\?apiKey=${keys.CASHIER_CHECK_API_KEY}&custNo=CUST_0001&orderNo=DEMO_[0-9A-F]{8}&.*&signature=[0-9a-f]{64}$`));
    const page = await fetch(signed);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Pay 100.00 USDT');
    const tampered = await fetch(signed.replace('amount=100.00', 'amount=1.00'));
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain('The link&#39;s signature is not valid');

    const result = await mock.stop('SIGINT');
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/GET \/cashier\?apiKey=pk_p…0001&custNo=CUST_0001.* {2}200/);
    for (const secret of Object.values(keys)) expect(result.stdout + result.stderr).not.toContain(secret);
  });
});
