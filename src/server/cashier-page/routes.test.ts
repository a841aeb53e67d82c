import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWidgetUrl, type QueryParam } from '../../core/url-signing.js';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';

const credentials = { apiKey: 'pk_test_cashier_routes', secretKey: 'sk_test_cashier_routes_secret', webhookKey: 'whk_test_cashier_routes', cashierId: '86100021' };

describe('the cashier routes of the emulator', () => {
  let receiver: Server;
  let hooks: { headers: Record<string, unknown>; body: Record<string, unknown> }[];
  let withHook: RunningEmulator;
  let withoutHook: RunningEmulator;

  const query = (params: QueryParam[]): string => signWidgetUrl('http://x/cashier', [['apiKey', credentials.apiKey], ...params], credentials.secretKey).url.split('?')[1]!;
  const action = (emulator: RunningEmulator, body: unknown): Promise<Response> =>
    fetch(`${emulator.baseUrl}/_mock/cashier/action`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  beforeAll(async () => {
    hooks = [];
    receiver = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      req.on('end', () => {
        hooks.push({ headers: req.headers, body: JSON.parse(text) as Record<string, unknown> });
        res.writeHead(200).end('success');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    withHook = await startEmulator({ host: '127.0.0.1', port: 0, credentials, webhookUrl: `http://127.0.0.1:${port}/hook?token=t0k` });
    withoutHook = await startEmulator({ host: '127.0.0.1', port: 0, credentials });
  });

  afterAll(async () => {
    await withHook?.close();
    await withoutHook?.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('serves the page with a strict policy and no secret, and opens the order in the store', async () => {
    const response = await fetch(`${withHook.baseUrl}/cashier?${query([['custNo', 'C1'], ['orderNo', 'OPEN_1'], ['amount', '5.00']])}`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).toContain('Pay 5.00 USDT');
    for (const secret of [credentials.secretKey, credentials.webhookKey, 't0k']) expect(html).not.toContain(secret);
    expect(withHook.store.payments.get('OPEN_1')).toMatchObject({ status: 'WAITING_PAYMENT', amount: '5.00', custNo: 'C1' });
  });

  it('refuses an unsigned link, a link without custNo and a foreign apiKey with a 400 page', async () => {
    const unsigned = await fetch(`${withHook.baseUrl}/cashier?apiKey=${credentials.apiKey}&custNo=C1`);
    expect(unsigned.status).toBe(400);
    expect(await unsigned.text()).toContain('The link is not signed');
    const noCust = await fetch(`${withHook.baseUrl}/cashier?${query([['orderNo', 'O']])}`);
    expect(await noCust.text()).toContain('custNo is missing');
    const foreign = signWidgetUrl('http://x/cashier', [['apiKey', 'pk_someone_else'], ['custNo', 'C1']], credentials.secretKey).url.split('?')[1];
    expect(await (await fetch(`${withHook.baseUrl}/cashier?${foreign}`)).text()).toContain('Unknown apiKey');
  });

  it('redirects /cashier/demo to a fresh signed order that returns to the emulator', async () => {
    const first = await fetch(`${withHook.baseUrl}/cashier/demo`, { redirect: 'manual' });
    const second = await fetch(`${withHook.baseUrl}/cashier/demo`, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).not.toBe(second.headers.get('location'));
    const page = await fetch(first.headers.get('location')!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`${withHook.baseUrl}/cashier/return`);
  });

  it('serves the return page the demo link uses', async () => {
    const response = await fetch(`${withHook.baseUrl}/cashier/return?txId=0xab&status=SUCCESS`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<code>SUCCESS</code>');
  });

  it('serves its stylesheet and script with their types', async () => {
    const css = await fetch(`${withHook.baseUrl}/cashier/assets/cashier.css`);
    const js = await fetch(`${withHook.baseUrl}/cashier/assets/cashier.js`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain('/_mock/cashier/action');
  });

  it('cancels: a signed CANCELLED webhook, and a redirect with status=CANCELLED', async () => {
    const response = await action(withHook, { link: query([['custNo', 'C2'], ['orderNo', 'CANCEL_1'], ['redirectURL', 'http://127.0.0.1:1/back']]), action: 'cancel' });
    const result = (await response.json()) as { order: Record<string, unknown>; delivery: Record<string, unknown>; redirect: string };
    expect(response.status).toBe(200);
    expect(result.order).toMatchObject({ orderNo: 'CANCEL_1', status: 'CANCELLED', txId: '' });
    expect(result.delivery).toMatchObject({ delivered: true, retriesPending: 0, url: expect.stringMatching(/\/hook\?…$/) as unknown });
    expect(result.redirect).toBe('http://127.0.0.1:1/back?txId=&status=CANCELLED');
    const hook = hooks.find((entry) => entry.body.orderNo === 'CANCEL_1');
    expect(hook?.body).toMatchObject({ status: 'CANCELLED', custNo: 'C2' });
    expect(hook?.headers['blockatm-signature-v2']).toMatch(/^[0-9a-f]{64}$/);
    const live = await fetch(`${withHook.baseUrl}/_mock/cashier/deliveries?id=${String(result.delivery.deliveryId)}`);
    expect(await live.json()).toMatchObject({ delivered: true, attempts: [{ attempt: 1, status: 200, delivered: true }] });
  });

  it('expires without a Webhook URL: no delivery, still the redirect', async () => {
    const response = await action(withoutHook, { link: query([['custNo', 'C3'], ['orderNo', 'EXP_1'], ['redirectURL', 'http://127.0.0.1:1/back']]), action: 'expire' });
    expect(await response.json()).toMatchObject({ order: { status: 'EXPIRED' }, delivery: null, redirect: 'http://127.0.0.1:1/back?txId=&status=EXPIRED' });
    expect(withoutHook.store.payments.get('EXP_1')?.status).toBe('EXPIRED');
  });

  it('refuses a new order when the store is full, and still shows the page', async () => {
    const filler = withoutHook.store.payments.get('EXP_1')!;
    for (let i = 0; i < 50_000; i += 1) withoutHook.store.payments.set(`FILL_${i}`, filler);
    try {
      const link = query([['custNo', 'C4'], ['orderNo', 'FULL_1']]);
      expect((await fetch(`${withoutHook.baseUrl}/cashier?${link}`)).status).toBe(200);
      const response = await action(withoutHook, { link, action: 'pay' });
      expect(response.status).toBe(503);
      expect(withoutHook.store.payments.has('FULL_1')).toBe(false);
    } finally {
      for (let i = 0; i < 50_000; i += 1) withoutHook.store.payments.delete(`FILL_${i}`);
    }
  });

  it('answers bad action requests with 400 naming the field', async () => {
    const cases: [unknown, string | null][] = [
      ['not json', null],
      [{ action: 'pay' }, 'link'],
      [{ link: query([['custNo', 'C1']]), action: 'refund' }, 'action'],
      [{ link: query([['custNo', 'C1']]).replace('C1', 'C9'), action: 'pay' }, 'signature'],
    ];
    for (const [body, field] of cases) {
      const response = await action(withHook, body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { field: string | null } }).error.field).toBe(field);
    }
    const textPlain = await fetch(`${withHook.baseUrl}/_mock/cashier/action`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ link: query([['custNo', 'C1']]), action: 'pay' }) });
    expect(textPlain.status).toBe(415);
    expect((await fetch(`${withHook.baseUrl}/_mock/cashier/deliveries?id=..%2F`)).status).toBe(400);
    expect((await fetch(`${withHook.baseUrl}/_mock/cashier/deliveries?id=dlv_unknown`)).status).toBe(404);
  });
});
