import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, tempConfigDir } from '../helpers/cli.js';

const API_KEY = 'pk_test_7Hq2LmN9xR4vT8sK';
const SECRET = 'sck_test_Zp3Qw8Er5Ty1Ui6Op';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const config = tempConfigDir();
  cleanups.push(config.cleanup);
  return cleanEnv(config.dir, { CASHIER_CHECK_API_KEY: API_KEY, CASHIER_CHECK_SECRET_KEY: SECRET, ...extra });
}

/** A loopback server that only counts what reaches it. */
async function countingServer(): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits += 1;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('send-test', () => {
  it('--dry-run sends nothing and prints each request, masked, with its string to sign and curl', async () => {
    const target = await countingServer();
    const result = await runCli(['send-test', '--dry-run', '--json', '--environment', target.url], { env: env() });
    expect(result.code).toBe(0);
    expect(target.hits()).toBe(0);
    const plan = JSON.parse(result.stdout) as { dryRun: boolean; requests: { check: string; headers: Record<string, string>; stringToSign: string | null; curl: string }[] };
    expect(plan.requests.map((r) => r.check)).toEqual(['reachability', 'api-key', 'signature']);
    expect(plan.requests[2]!.stringToSign).toMatch(/^bizOrderNo=CCHK[0-9A-F]{12}&time=\d{13}$/);
    expect(plan.requests[2]!.curl).toContain(`'${target.url}/order/api/v2/payout/detail?bizOrderNo=`);
    expect(result.stdout + result.stderr).not.toContain(API_KEY);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('classifies a refused connection, prints the fix and exits 1', async () => {
    const url = await closedPortUrl();
    const result = await runCli(['send-test', '--environment', url], { env: env() });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL {2}Reachability and TLS \(allNetworks\)\n {6}refused: connection refused by 127\.0\.0\.1:\d+/);
    expect(result.stdout).toMatch(/fix: nothing is listening there/);
    expect(result.stdout).toMatch(/SKIP {2}Signed request/);
    expect(result.stdout).toMatch(/\n0 passed, 1 failed, 0 warned, 3 skipped\n$/);
    const json = await runCli(['send-test', '--json', '--environment', url], { env: env() });
    expect(JSON.parse(json.stdout)).toMatchObject({ failed: 1, checks: [{ name: 'reachability', status: 'fail', evidence: { failure: 'refused' } }, {}, {}, {}] });
  });

  it('warns that --to-address does nothing without --create-payout', async () => {
    const target = await countingServer();
    const result = await runCli(['send-test', '--dry-run', '--environment', target.url, '--to-address', '0xc87dd49427a188bf2b601c1d5cd2aaf36bd553d2'], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('warning: --to-address is used only with --create-payout; no payout is created\n');
    expect(result.stdout).not.toContain('payout/order');
  });

  it('classifies a server that never answers as a timeout', async () => {
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      hanging.closeAllConnections();
      return new Promise((resolve) => hanging.close(resolve));
    });
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const result = await runCli(['send-test', '--json', '--timeout', '1', '--environment', url], { env: env() });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { checks: { status: string; detail: string; evidence: { failure: string } }[] };
    expect(report.checks[0]).toMatchObject({ status: 'fail', evidence: { failure: 'timeout' } });
    expect(report.checks[0]!.detail).toMatch(/did not answer within 1000 ms/);
  });

  it('goes through the proxy named in HTTP_PROXY', async () => {
    const target = await countingServer();
    const seen: string[] = [];
    const proxy = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(502).end();
    });
    proxy.on('connect', (req, socket) => {
      seen.push(`CONNECT ${req.url}`);
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => proxy.close(resolve)));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const result = await runCli(['send-test', '--json', '--environment', target.url], { env: env({ HTTP_PROXY: proxyUrl, NO_PROXY: '' }) });
    expect(result.code).toBe(1);
    expect(target.hits()).toBe(0);
    expect(seen[0]).toContain(new URL(target.url).host);
    const report = JSON.parse(result.stdout) as { checks: { detail: string; hint: string }[] };
    expect(report.checks[0]!.detail).toMatch(/the proxy failed the request/);
    expect(report.checks[0]!.hint).toMatch(/NO_PROXY/);
  });

  it('refuses --create-payout on production and missing credentials with exit 2', async () => {
    const production = await runCli(['send-test', '--environment', 'production', '--create-payout', '--to-address', '0xabc'], { env: env() });
    expect(production.code).toBe(2);
    expect(production.stderr).toContain('--create-payout is refused on production');
    const config = tempConfigDir();
    cleanups.push(config.cleanup);
    const noSecret = await runCli(['send-test', '--dry-run'], { env: cleanEnv(config.dir, { CASHIER_CHECK_API_KEY: API_KEY }) });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/secretKey is not set\nhint: set CASHIER_CHECK_SECRET_KEY/);
  });
});
