import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, tempConfigDir } from '../helpers/cli.js';
import { acceptsEverything, answers500, hmac, redirectsToHttps, sortedStringToSign, startReceiver, type TestReceiver } from '../helpers/receivers.js';

const WEBHOOK_KEY = 'whk_test_71c0d2e9a4b3f6e8';

let config: ReturnType<typeof tempConfigDir>;
let receiver: TestReceiver;
beforeEach(async () => {
  config = tempConfigDir();
  receiver = await startReceiver(acceptsEverything);
});
afterEach(async () => {
  await receiver.close();
  config.cleanup();
});

const env = (extra: Record<string, string> = {}) => cleanEnv(config.dir, { CASHIER_CHECK_WEBHOOK_KEY: WEBHOOK_KEY, ...extra });

async function trigger(args: string[]) {
  const result = await runCli(['trigger', ...args, '--json'], { env: env() });
  return { ...result, json: result.stdout ? (JSON.parse(result.stdout) as Record<string, unknown>) : undefined };
}

function lastDelivery() {
  const request = receiver.requests.at(-1)!;
  const time = String(request.headers['blockatm-request-time']);
  return { request, time, payload: JSON.parse(request.body) as Record<string, unknown> };
}

const PAYMENT_FIELDS = ['amount', 'blockTime', 'cashierId', 'chainId', 'custNo', 'fromAddress', 'id', 'network', 'orderNo', 'orderType', 'status', 'symbol', 'txId'];
const PAYOUT_FIELDS = ['amount', 'bizOrderNo', 'blockTime', 'chainId', 'contractId', 'createTime', 'custNo', 'fee', 'gasAmount', 'id', 'network', 'status', 'symbol', 'toAddress', 'txId', 'type'];

describe('trigger', () => {
  it('sends payment.success as BlockATM does, signed over the sorted fields with the Webhook key', async () => {
    const before = Date.now();
    const { code, json } = await trigger(['payment.success', '--to', receiver.url]);
    expect(json).toEqual({ scenario: 'payment.success', status: 200, body: 'success', latencyMs: expect.any(Number), pass: true });
    expect(code).toBe(0);
    const { request, time, payload } = lastDelivery();
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['blockatm-event']).toBe('Payment');
    expect(Number(time)).toBeGreaterThanOrEqual(before);
    expect(Number(time)).toBeLessThanOrEqual(Date.now());
    expect(request.body).not.toMatch(/\s/);
    expect(Object.keys(payload).sort()).toEqual(PAYMENT_FIELDS);
    expect(payload).toMatchObject({ status: 'SUCCESS', amount: expect.stringMatching(/^\d+\.\d{2}$/), id: expect.any(Number), cashierId: expect.any(Number), orderType: 1, chainId: expect.any(String) });
    expect(payload.txId).toMatch(/^0x[0-9a-f]{64}$/);
    expect(request.headers['blockatm-signature-v2']).toBe(hmac(WEBHOOK_KEY, sortedStringToSign(request.body, time)));
  });

  it.each([
    ['payment.pending', 'Payment', 'PENDING'],
    ['payment.expired', 'Payment', 'EXPIRED'],
    ['payment.cancelled', 'Payment', 'CANCELLED'],
    ['payout.success', 'Payout', 'SUCCESS'],
    ['payout.refused', 'Payout', 'REFUSE'],
  ])('sends %s with the %s event and status %s', async (scenario, event, status) => {
    const { code } = await trigger([scenario, '--to', receiver.url]);
    expect(code).toBe(0);
    const { request, time, payload } = lastDelivery();
    expect(request.headers['blockatm-event']).toBe(event);
    expect(payload.status).toBe(status);
    expect(Object.keys(payload).sort()).toEqual(event === 'Payment' ? PAYMENT_FIELDS : PAYOUT_FIELDS);
    if (status === 'EXPIRED' || status === 'CANCELLED') expect(payload.txId).toBe('');
    expect(request.headers['blockatm-signature-v2']).toBe(hmac(WEBHOOK_KEY, sortedStringToSign(request.body, time)));
  });

  it('applies --set overrides typed like the field, and signs the result', async () => {
    const { code, stderr } = await trigger(['payment.success', '--to', receiver.url, '--set', 'orderNo=SHOP-42', '--set', 'amount=12.50', '--set', 'cashierId=91', '--set', 'note=hello world']);
    expect(code).toBe(0);
    expect(stderr, 'with --json the note about an added field still reaches the person').toContain('added field note');
    const { request, time, payload } = lastDelivery();
    expect(payload).toMatchObject({ orderNo: 'SHOP-42', amount: '12.50', cashierId: 91, note: 'hello world' });
    expect(request.headers['blockatm-signature-v2']).toBe(hmac(WEBHOOK_KEY, sortedStringToSign(request.body, time)));
  });

  it('takes raw JSON with field:=, keeping number text exactly as written', async () => {
    await trigger(['payment.success', '--to', receiver.url, '--set', 'amount:=2000.00', '--set', 'txId:=null']);
    const { request, time } = lastDelivery();
    expect(request.body).toContain('"amount":2000.00');
    expect(request.body).toContain('"txId":null');
    const expected = sortedStringToSign(request.body, time).replace('amount=2000&', 'amount=2000.00&');
    expect(expected).not.toContain('txId=');
    expect(request.headers['blockatm-signature-v2']).toBe(hmac(WEBHOOK_KEY, expected));
  });

  it('sends the legacy integer status with --int-status, and the raw recipe with --recipe raw', async () => {
    await trigger(['payment.success', '--to', receiver.url, '--int-status', '--recipe', 'raw']);
    const { request, time, payload } = lastDelivery();
    expect(payload.status).toBe(9);
    expect(request.headers['blockatm-signature-v2']).toBe(hmac(WEBHOOK_KEY, `${request.body}&time=${time}`));
  });

  it('fails on a non-200 answer and shows the status and body', async () => {
    const failing = await startReceiver(answers500);
    try {
      const { code, json } = await trigger(['payout.success', '--to', failing.url]);
      expect(json).toMatchObject({ scenario: 'payout.success', status: 500, body: 'internal error', pass: false });
      expect(code).toBe(1);
      const human = await runCli(['trigger', 'payout.success', '--to', failing.url], { env: env() });
      expect(human.stdout).toMatch(/FAIL\s+HTTP 500 in \d+ ms: internal error/);
      expect(human.stdout).toContain('fix:');
    } finally {
      await failing.close();
    }
  });

  it('names the redirect target when the endpoint redirects instead of answering', async () => {
    const redirecting = await startReceiver(redirectsToHttps);
    try {
      const { code, json } = await trigger(['payment.success', '--to', redirecting.url]);
      expect(json).toMatchObject({ status: 301, pass: false, location: 'https://shop.example.com/webhook' });
      expect(code).toBe(1);
      const human = await runCli(['trigger', 'payment.success', '--to', redirecting.url], { env: env() });
      expect(human.stdout).toMatch(/fix: the endpoint redirects \(HTTP 301 to https:\/\/shop\.example\.com\/webhook\)/);
    } finally {
      await redirecting.close();
    }
  });

  it('reports a refused connection with its kind and a fix, exit 1', async () => {
    const closed = await startReceiver(acceptsEverything);
    await closed.close();
    const { code, json, stderr } = await trigger(['payment.success', '--to', closed.url]);
    expect(json).toMatchObject({ scenario: 'payment.success', status: null, pass: false, error: { kind: 'refused', hint: expect.stringContaining('nothing is listening') } });
    expect(stderr).not.toContain(WEBHOOK_KEY);
    expect(code).toBe(1);
  });

  it('rejects bad input with exit 2 and the field to fix', async () => {
    const cases: [string[], string][] = [
      [['payment.refunded', '--to', receiver.url], 'scenario'],
      [['payment.success', '--to', receiver.url, '--set', 'novalue'], '--set'],
      [['payment.success', '--to', receiver.url, '--set', 'id=abc'], 'id is a number'],
      [['payment.success', '--to', receiver.url, '--set', 'amount:={bad'], 'JSON value'],
      [['payout.success', '--to', receiver.url, '--int-status'], '--int-status'],
      [['payment.success', '--to', 'not a url'], '--to'],
      [['payment.success', '--to', receiver.url, '--timeout', '0'], '--timeout'],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(['trigger', ...args], { env: env() });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr, 'the field is named once').not.toMatch(/^error: (\S+): \1/m);
    }
    expect(receiver.requests).toHaveLength(0);
  });

  it('lists the scenarios when none is given', async () => {
    const result = await runCli(['trigger', '--to', receiver.url], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('scenario');
    for (const name of ['payment.success', 'payment.pending', 'payment.expired', 'payment.cancelled', 'payout.success', 'payout.refused']) expect(result.stderr).toContain(name);
    expect(result.stderr).not.toContain('missing required argument');
    expect(receiver.requests).toHaveLength(0);
  });

  it('uses the profile Webhook URL by default and guards production', async () => {
    const viaEnv = await runCli(['trigger', 'payment.success', '--json'], { env: env({ CASHIER_CHECK_WEBHOOK_URL: receiver.url }) });
    expect(viaEnv.code).toBe(0);
    const production = await runCli(['trigger', 'payment.success', '--to', 'https://shop.example.com/hook'], { env: env({ CASHIER_CHECK_ENV: 'production' }) });
    expect(production.code).toBe(2);
    expect(production.stderr).toContain('--i-own-this-endpoint');
  });
});
