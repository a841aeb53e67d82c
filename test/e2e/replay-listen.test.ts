import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, startCli, tempConfigDir, waitForJson, type RunningCli } from '../helpers/cli.js';
import { hmac, payment, signedDelivery } from '../helpers/webhook-client.js';

const WEBHOOK_KEY = 'whk_roundtrip_3b2a1f0e9d8c7b6a5f4e';

interface Delivery {
  id: string;
  verified: boolean;
  amount: string | null;
  reason: string;
}

describe('replay round-trips through listen', () => {
  let config: ReturnType<typeof tempConfigDir>;
  let env: NodeJS.ProcessEnv;
  const running: RunningCli[] = [];
  const listen = async (extra: string[]): Promise<{ cli: RunningCli; url: string }> => {
    const cli = startCli(['listen', '--port', '0', '--json', ...extra], { env });
    running.push(cli);
    const ready = await waitForJson<{ url: string }>(cli, 'ready');
    return { cli, url: ready.url };
  };

  beforeEach(() => {
    config = tempConfigDir();
    env = cleanEnv(config.dir, { CASHIER_CHECK_WEBHOOK_KEY: WEBHOOK_KEY });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((cli) => cli.stop()));
    config.cleanup();
  });

  it('a delivery caught by listen is replayed as captured, then edited, to another listener that verifies both', async () => {
    const first = await listen(['--count', '1']);
    const delivery = signedDelivery(payment('ORDER_RT1'), { key: WEBHOOK_KEY, timeMs: Date.now() });
    const sent = await fetch(first.url, { method: 'POST', headers: delivery.headers, body: delivery.body });
    expect(sent.status).toBe(200);
    const caught = await waitForJson<Delivery>(first.cli, 'delivery');
    expect(caught.verified).toBe(true);
    expect((await first.cli.exited).code).toBe(0);

    const list = await runCli(['replay', '--list', '--json'], { env });
    const [listed] = JSON.parse(list.stdout).deliveries as { id: string; verified: boolean }[];
    expect(listed).toMatchObject({ id: caught.id, verified: true });

    const second = await listen(['--count', '2', '--no-capture']);
    const asCaptured = await runCli(['replay', caught.id, '--to', second.url, '--json'], { env });
    expect(asCaptured.code, asCaptured.stderr).toBe(0);
    expect(JSON.parse(asCaptured.stdout)).toMatchObject({ mode: 'as-captured', status: 200, body: 'success', pass: true });
    const edited = await runCli(['replay', caught.id, '--to', second.url, '--set', 'amount=1.25', '--json'], { env });
    expect(edited.code, edited.stderr).toBe(0);
    expect(JSON.parse(edited.stdout)).toMatchObject({ mode: 're-signed', status: 200, pass: true });

    expect((await second.cli.exited).code).toBe(0);
    const deliveries = second.cli.stdout().split('\n').filter((line) => line.includes('"type":"delivery"')).map((line) => JSON.parse(line) as Delivery);
    expect(deliveries.map((d) => [d.verified, d.amount])).toEqual([[true, '2000.00'], [true, '1.25']]);
  });

  it('a delivery that failed at listen is diagnosed by verify --request with its capture id', async () => {
    const first = await listen(['--count', '1']);
    const body = '{"orderNo":"O_9","amount":2000.00,"status":"SUCCESS"}';
    const timeMs = Date.now();
    const signedParsed = hmac(WEBHOOK_KEY, `amount=2000&orderNo=O_9&status=SUCCESS&time=${timeMs}`);
    const sent = await fetch(first.url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'BlockATM-Signature-V2': signedParsed, 'BlockATM-Request-Time': String(timeMs), 'BlockATM-Event': 'Payment' }, body });
    expect(sent.status).toBe(401);
    const caught = await waitForJson<Delivery>(first.cli, 'delivery');
    expect(caught.verified).toBe(false);
    const verify = await runCli(['verify', '--request', caught.id, '--json'], { env });
    expect(verify.code).toBe(1);
    expect(JSON.parse(verify.stdout).diagnosis.findings[0].mistakes).toEqual(['numbers']);
  });
});
