import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, startCli, tempConfigDir, waitForJson, type RunningCli } from '../helpers/cli.js';

interface Ready {
  type: 'ready';
  baseUrl: string;
  webhookUrl: string | null;
  credentials: { apiKey: string; secretKey: string; webhookKey: string; cashierId: string };
  demoCredentials: string[];
}

const running: RunningCli[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const cli of running.splice(0)) await cli.stop('SIGKILL');
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function config(): string {
  const { dir, cleanup } = tempConfigDir();
  cleanups.push(cleanup);
  return dir;
}

describe('cashier-check mock', () => {
  it('prints a ready line with demo credentials, serves signed calls, and exits 130 on SIGINT', async () => {
    const cli = startCli(['mock', '--port', '0', '--json'], { env: cleanEnv(config()) });
    running.push(cli);
    const ready = await waitForJson<Ready>(cli, 'ready');
    expect(ready.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.credentials.apiKey).toMatch(/^pk_demo_\w{32}$/);
    expect(ready.credentials.secretKey).toMatch(/^sk_demo_\w{32}$/);
    expect(ready.credentials.webhookKey).toMatch(/^whk_demo_\w{32}$/);
    expect(ready.credentials.cashierId).toBe('86100021');

    const t = Date.now();
    const signature = createHmac('sha256', ready.credentials.secretKey).update(`bizOrderNo=E2E-1&time=${t}`).digest('hex');
    const response = await fetch(`${ready.baseUrl}/order/api/v2/payout/detail?bizOrderNo=E2E-1`, {
      headers: { 'BlockATM-API-Key': ready.credentials.apiKey, 'BlockATM-Request-Time': String(t), 'BlockATM-Signature-V2': signature },
    });
    expect(await response.json()).toMatchObject({ code: '000202', success: false });

    const result = await cli.stop('SIGINT');
    expect(result.code).toBe(130);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('GET /order/api/v2/payout/detail?bizOrderNo=E2E-1  200 000202');
    expect(result.stderr).toContain('emulator stopped');
  });

  it('masks configured credentials and delivers webhooks to --webhook-url', async () => {
    const bodies: string[] = [];
    const hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        bodies.push(body);
        res.end('success');
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => hooks.close());
    const hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/webhook`;
    const env = cleanEnv(config(), {
      CASHIER_CHECK_API_KEY: 'pk_payment_configured_0001',
      CASHIER_CHECK_SECRET_KEY: 'sck_configured_secret_value_0001',
      CASHIER_CHECK_WEBHOOK_KEY: 'whk_configured_webhook_value_0001',
      CASHIER_CHECK_CASHIER_ID: '199',
    });
    const cli = startCli(['mock', '--port', '0', '--json', '--webhook-url', hookUrl], { env });
    running.push(cli);
    const ready = await waitForJson<Ready>(cli, 'ready');
    expect(ready.credentials).toEqual({ apiKey: 'pk_p…0001', secretKey: 'sck_…0001', webhookKey: 'whk_…0001', cashierId: '199' });
    expect(ready.demoCredentials).toEqual([]);
    expect(ready.webhookUrl).toBe(hookUrl);

    const created = await fetch(`${ready.baseUrl}/_mock/payments`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"orderNo":"E2E-P1","status":"SUCCESS"}' });
    const answer = (await created.json()) as { delivery: { delivered: boolean } };
    expect(answer.delivery.delivered).toBe(true);
    expect(JSON.parse(bodies[0]!)).toMatchObject({ orderNo: 'E2E-P1', cashierId: 199, status: 'SUCCESS' });

    const result = await cli.stop('SIGINT');
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/webhook Payment E2E-P1 -> http:\/\/127\.0\.0\.1:\d+\/webhook {2}HTTP 200/);
    for (const secret of ['pk_payment_configured_0001', 'sck_configured_secret_value_0001', 'whk_configured_webhook_value_0001']) {
      expect(result.stdout + result.stderr).not.toContain(secret);
    }
  });

  it('finishes a request in flight when interrupted', async () => {
    let arrived: () => void = () => {};
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const hooks = createServer((req, res) => {
      req.resume();
      arrived();
      setTimeout(() => res.end('success'), 300);
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => hooks.close());
    const hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/slow`;
    const cli = startCli(['mock', '--port', '0', '--json', '--webhook-url', hookUrl], { env: cleanEnv(config()) });
    running.push(cli);
    const ready = await waitForJson<Ready>(cli, 'ready');
    const pending = fetch(`${ready.baseUrl}/_mock/payments`, { method: 'POST' });
    await arrival;
    cli.child.kill('SIGINT');
    const response = await pending;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { delivery: { delivered: boolean } }).delivery.delivered).toBe(true);
    expect((await cli.exited).code).toBe(130);
  });

  it('prints a readable banner on stderr and nothing on stdout without --json', async () => {
    const cli = startCli(['mock', '--port', '0', '--v1', '--int-status'], { env: cleanEnv(config()) });
    running.push(cli);
    await expect.poll(() => cli.stderr(), { timeout: 10_000 }).toContain('Press Ctrl-C to stop.');
    const banner = cli.stderr();
    expect(banner).toMatch(/BlockATM emulator listening on http:\/\/127\.0\.0\.1:\d+ {2}\(V1 ECDSA\)/);
    expect(banner).toMatch(/API key {7}pk_demo_\w{32} {2}\(demo\)/);
    expect(banner).toContain('integer statuses, retries after 60 s, 5 min, 30 min, 2 h, 24 h');
    expect(banner).toContain('V1 webhook public key  MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEsjqDDEF5uuVoAFCxftskpMszLQMro888rFlrowcTzVibc4J2PgDywFZYXc6x21yHcenJ2bCZ/03XkMrbKqqEwA==');
    const result = await cli.stop('SIGINT');
    expect(result.code).toBe(130);
    expect(result.stdout).toBe('');
  });

  it('in V1 demo mode prints the private key to sign with, and send-test signed with it passes', async () => {
    const cli = startCli(['mock', '--port', '0', '--v1', '--json'], { env: cleanEnv(config()) });
    running.push(cli);
    const ready = await waitForJson<Ready & { v1DemoPrivateKey: string | null }>(cli, 'ready');
    expect(ready.v1DemoPrivateKey).toMatch(/^MEECAQAw[A-Za-z0-9+/=]+$/);
    await expect.poll(() => cli.stderr(), { timeout: 10_000 }).toContain(`V1 demo private key    ${ready.v1DemoPrivateKey}`);
    const v1 = { CASHIER_CHECK_SIGNATURE_VERSION: 'v1', CASHIER_CHECK_V1_PRIVATE_KEY: ready.v1DemoPrivateKey!, CASHIER_CHECK_API_KEY: ready.credentials.apiKey, CASHIER_CHECK_CASHIER_ID: ready.credentials.cashierId };
    const result = await runCli(['send-test', '--json', '--environment', ready.baseUrl], { env: cleanEnv(config(), v1) });
    expect(result.code, result.stdout).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ failed: 0, checks: [{}, {}, { name: 'signature', status: 'pass' }, {}] });
    const own = startCli(['mock', '--port', '0', '--v1', '--json'], { env: cleanEnv(config(), { CASHIER_CHECK_V1_PRIVATE_KEY: ready.v1DemoPrivateKey! }) });
    running.push(own);
    expect(await waitForJson<{ v1DemoPrivateKey: string | null }>(own, 'ready')).toMatchObject({ v1DemoPrivateKey: null });
  });

  it('refuses bad flags with exit 2 naming the flag', async () => {
    const env = cleanEnv(config());
    const port = await runCli(['mock', '--port', 'abc'], { env });
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port');
    const schedule = await runCli(['mock', '--port', '0', '--retry-schedule', '1000,x'], { env });
    expect(schedule.code).toBe(2);
    expect(schedule.stderr).toContain('--retry-schedule');
    const url = await runCli(['mock', '--port', '0', '--webhook-url', 'ftp://x'], { env });
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('--webhook-url');
  });

  it('reports a port in use with exit 2', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => blocker.close());
    const port = String((blocker.address() as AddressInfo).port);
    const result = await runCli(['mock', '--port', port], { env: cleanEnv(config()) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`port ${port}`);
  });
});
