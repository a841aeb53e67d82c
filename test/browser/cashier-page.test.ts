import { createHmac, timingSafeEqual } from 'node:crypto';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWidgetUrl, type QueryParam } from '../../src/core/url-signing.js';
import { startEmulator, type RunningEmulator } from '../../src/server/emulator/index.js';

const OUTPUT_DIR = fileURLToPath(new URL('../../test-output/', import.meta.url));
const credentials = { apiKey: 'pk_test_browser_cashier', secretKey: 'sk_test_browser_cashier_secret', webhookKey: 'whk_test_browser_cashier', cashierId: '86100021' };
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's Chromium on PATH; CI installs it with apt-get. No browser is ever downloaded. */
function findChromium(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

interface Received {
  valid: boolean;
  event: string | undefined;
  body: Record<string, unknown>;
}

/**
 * The merchant's side, on loopback: a webhook endpoint that checks BlockATM's V2 signature with
 * plain node:crypto (sorted key=value of the body, then &time=), and the redirect page.
 */
async function startMerchant(): Promise<{ origin: string; received: Received[]; failNext: (count: number) => void; close: () => Promise<void> }> {
  const received: Received[] = [];
  let failures = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'POST' && url.pathname === '/webhook') {
        const text = Buffer.concat(chunks).toString('utf8');
        const body = JSON.parse(text) as Record<string, unknown>;
        const time = String(req.headers['blockatm-request-time']);
        const message = `${Object.keys(body).sort().filter((key) => body[key] !== null).map((key) => `${key}=${String(body[key])}`).join('&')}&time=${time}`;
        const expected = createHmac('sha256', credentials.webhookKey).update(message).digest();
        const given = Buffer.from(String(req.headers['blockatm-signature-v2'] ?? ''), 'hex');
        const valid = given.length === expected.length && timingSafeEqual(given, expected);
        received.push({ valid, event: req.headers['blockatm-event'] as string | undefined, body });
        if (valid && failures > 0) {
          failures -= 1;
          res.writeHead(503).end('busy');
          return;
        }
        res.writeHead(valid ? 200 : 401, { 'Content-Type': 'text/plain' }).end(valid ? 'success' : 'bad signature');
        return;
      }
      if (req.method === 'GET' && url.pathname === '/back') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Shop</title><h1>Back at the shop</h1>');
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    failNext: (count) => (failures = count),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('the test cashier page in Chromium', () => {
  let merchant: Awaited<ReturnType<typeof startMerchant>>;
  let emulator: RunningEmulator;
  let context: BrowserContext;
  let userDataDir: string;

  const link = (params: QueryParam[]): string => signWidgetUrl(`${emulator.baseUrl}/cashier`, [['apiKey', credentials.apiKey], ...params], credentials.secretKey).url;

  async function newPage(width: number, height: number): Promise<Page> {
    const page = await context.newPage();
    await page.setViewportSize({ width, height });
    return page;
  }

  beforeAll(async () => {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    merchant = await startMerchant();
    emulator = await startEmulator({ host: '127.0.0.1', port: 0, credentials, webhookUrl: `${merchant.origin}/webhook`, retrySchedule: [1000, 1000, 1000] });
    userDataDir = mkdtempSync(join(tmpdir(), 'cashier-check-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: chromiumPath!, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await context?.close();
    await emulator?.close();
    await merchant?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('pays: the delivery row turns green and the customer lands on redirectURL with status=SUCCESS', async () => {
    const page = await newPage(1280, 900);
    await page.goto(link([['custNo', 'CUST_7'], ['orderNo', 'ORD_PAY_1'], ['amount', '25.00'], ['currency', 'USDT'], ['chainId', '11155111'], ['redirectURL', `${merchant.origin}/back?cart=9`]]));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Pay 25.00 USDT');
    await page.screenshot({ path: join(OUTPUT_DIR, 'cashier-page-desktop.png'), fullPage: true });

    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    const row = page.locator('#attempts tr.ok[data-http-status="200"]');
    await row.waitFor();
    expect(await row.textContent()).toContain(`${merchant.origin}/webhook`);
    expect(await page.locator('#status').textContent()).toMatch(/Webhook delivered: HTTP 200 in \d+ ms/);
    await page.screenshot({ path: join(OUTPUT_DIR, 'cashier-page-delivered.png'), fullPage: true });

    await page.waitForURL((url) => url.pathname === '/back');
    const landed = new URL(page.url());
    const webhook = merchant.received.find((delivery) => delivery.body.orderNo === 'ORD_PAY_1');
    expect(webhook).toMatchObject({ valid: true, event: 'Payment', body: { status: 'SUCCESS', amount: '25.00', custNo: 'CUST_7', symbol: 'USDT' } });
    expect(landed.searchParams.get('status')).toBe('SUCCESS');
    expect(landed.searchParams.get('cart')).toBe('9');
    expect(landed.searchParams.get('txId')).toBe(webhook?.body.txId);
    expect(emulator.store.payments.get('ORD_PAY_1')?.status).toBe('SUCCESS');
    await page.close();
  });

  it('shows the signature error for a tampered link', async () => {
    const page = await newPage(1280, 900);
    const tampered = link([['custNo', 'CUST_7'], ['amount', '25.00']]).replace('amount=25.00', 'amount=2.00');
    const response = await page.goto(tampered);
    expect(response?.status()).toBe(400);
    const alert = page.getByRole('alert');
    expect(await alert.getByRole('heading').textContent()).toBe('The link\'s signature is not valid');
    expect(await alert.textContent()).toContain('changed after signing');
    expect(await page.locator('button[data-action]').count()).toBe(0);
    await page.screenshot({ path: join(OUTPUT_DIR, 'cashier-page-tampered.png'), fullPage: true });
    await page.close();
  });

  it('works by keyboard at phone width, and shows retries live until the endpoint answers 200', async () => {
    const page = await newPage(375, 812);
    merchant.failNext(1);
    await page.goto(link([['custNo', 'CUST_8'], ['orderNo', 'ORD_UNDER_1'], ['amount', '40.00'], ['redirectURL', `${merchant.origin}/back`]]));
    const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(scrollWidth).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(OUTPUT_DIR, 'cashier-page-phone.png'), fullPage: true });

    await page.getByRole('button', { name: 'Underpay' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#attempts tr.fail[data-http-status="503"]').waitFor();
    expect(await page.locator('#retries').textContent()).toMatch(/Retries pending: 3/);
    await page.locator('#attempts tr.ok[data-http-status="200"]').waitFor();
    await page.getByRole('button', { name: 'Stay on this page' }).click();
    await page.screenshot({ path: join(OUTPUT_DIR, 'cashier-page-phone-retried.png'), fullPage: true });

    const deliveries = merchant.received.filter((delivery) => delivery.body.orderNo === 'ORD_UNDER_1');
    expect(deliveries).toHaveLength(2);
    expect(deliveries.every((delivery) => delivery.valid && delivery.body.status === 'SUCCESS' && delivery.body.amount === '36.00')).toBe(true);
    expect(await page.locator('#expectation').textContent()).toMatch(/compare the paid amount/);
    expect(new URL(page.url()).pathname).toBe('/cashier');
    await page.close();
  });
});

if (!chromiumPath) {
  describe('the test cashier page in Chromium', () => {
    it.skip('skipped: no chromium binary on PATH (install Debian\'s with "apt-get install -y chromium"; CI does)', () => {});
  });
}
