import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, startCli, tempConfigDir, waitForJson, type RunningCli } from '../helpers/cli.js';
import { emulator } from '../helpers/emulator.js';
import { hmac, payment, post, rawHttp, rawPost, signedDelivery, sortedStringToSign } from '../helpers/webhook-client.js';

const KEY = 'whk_test_Q2m9Vx7LpR4tN8sK';
const cleanups: (() => void | Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Delivery {
  type: 'delivery';
  verified: boolean;
  recipe: string | null;
  event: string | null;
  status: string | null;
  reason: string;
  httpStatus: number | null;
  orderNo: string | null;
  hint: string | null;
  captureId: string | null;
  forward: { status: number | null; body: string } | null;
}

async function listen(args: string[], extraEnv: Record<string, string> = {}): Promise<{ cli: RunningCli; url: string; configDir: string; deliveries: () => Delivery[] }> {
  const config = tempConfigDir();
  cleanups.push(config.cleanup);
  const cli = startCli(['listen', '--port', '0', '--json', ...args], { env: cleanEnv(config.dir, { CASHIER_CHECK_WEBHOOK_KEY: KEY, ...extraEnv }) });
  cleanups.push(() => cli.stop('SIGKILL'));
  const ready = await waitForJson<{ url: string }>(cli, 'ready');
  const deliveries = (): Delivery[] => cli.stdout().split('\n').filter((line) => line.includes('"type":"delivery"')).map((line) => JSON.parse(line) as Delivery);
  return { cli, url: ready.url, configDir: config.dir, deliveries };
}

describe('listen', () => {
  it('prints a ready line with a free port and the webhook path', async () => {
    const { url, cli } = await listen([]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
    expect(url).not.toContain(':0/');
    const result = await cli.stop('SIGINT');
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/ngrok http \d+/);
    expect(result.stderr).toContain('cloudflared tunnel --url');
    expect(JSON.parse(result.stdout.trim().split('\n').pop()!)).toMatchObject({ type: 'summary', end: 'interrupted', received: 0 });
  });

  it('verifies genuine deliveries in both recipes and rejects each forgery with the right reason', async () => {
    const { cli, url, deliveries } = await listen(['--count', '9']);
    const now = Date.now();
    const cases: { name: string; send: () => Promise<{ status: number; body: string }>; status: number; verified: boolean; reason: RegExp; recipe?: string }[] = [
      { name: 'sorted', send: () => sendSigned(url, payment('SORTED_1'), { key: KEY, timeMs: Date.now() }), status: 200, verified: true, reason: /sorted recipe/, recipe: 'sorted' },
      { name: 'raw', send: () => sendSigned(url, payment('RAW_1'), { key: KEY, timeMs: Date.now(), recipe: 'raw' }), status: 200, verified: true, reason: /raw recipe/, recipe: 'raw' },
      {
        name: 'tampered',
        send: () => {
          const genuine = signedDelivery(payment('TAMPER_1'), { key: KEY, timeMs: Date.now() });
          return post(url, genuine.body.replace('2000.00', '9000.00'), genuine.headers);
        },
        status: 401, verified: false, reason: /signature mismatch/,
      },
      { name: 'wrong key', send: () => sendSigned(url, payment('WRONGKEY_1'), { key: 'whk_someone_else_123', timeMs: Date.now() }), status: 401, verified: false, reason: /signature mismatch/ },
      { name: 'stale', send: () => sendSigned(url, payment('STALE_1'), { key: KEY, timeMs: now - 3_600_000 }), status: 401, verified: false, reason: /stale/ },
      { name: 'future', send: () => sendSigned(url, payment('FUTURE_1'), { key: KEY, timeMs: now + 3_600_000 }), status: 401, verified: false, reason: /from the future/ },
      { name: 'seconds', send: () => sendSigned(url, payment('SECONDS_1'), { key: KEY, timeMs: Math.floor(Date.now() / 1000) }), status: 401, verified: false, reason: /in seconds/ },
      {
        name: 'no signature',
        send: () => {
          const genuine = signedDelivery(payment('NOSIG_1'), { key: KEY, timeMs: Date.now() });
          const { ['BlockATM-Signature-V2']: _dropped, ...headers } = genuine.headers;
          return post(url, genuine.body, headers);
        },
        status: 401, verified: false, reason: /missing BlockATM-Signature-V2/,
      },
      { name: 'garbage', send: () => post(url, '\u0000\u0001not json at all', { 'Content-Type': 'application/json' }), status: 400, verified: false, reason: /not acceptable JSON/ },
    ];
    for (const testCase of cases) {
      const answer = await testCase.send();
      expect(answer.status, testCase.name).toBe(testCase.status);
      if (testCase.verified) expect(answer.body).toBe('success');
    }
    const result = await cli.exited;
    expect(result.code).toBe(1);
    const seen = deliveries();
    expect(seen).toHaveLength(cases.length);
    cases.forEach((testCase, index) => {
      const delivery = seen[index]!;
      expect(delivery.verified, testCase.name).toBe(testCase.verified);
      expect(delivery.httpStatus, testCase.name).toBe(testCase.status);
      expect(delivery.reason, testCase.name).toMatch(testCase.reason);
      if (testCase.recipe) expect(delivery.recipe).toBe(testCase.recipe);
    });
    expect(seen[0]).toMatchObject({ event: 'Payment', status: 'SUCCESS', orderNo: 'SORTED_1' });
    expect(seen[3]!.hint).toMatch(/Webhook key/);
    expect(JSON.parse(result.stdout.trim().split('\n').pop()!)).toMatchObject({ type: 'summary', end: 'count', received: 9, passed: 2, failed: 7, unsaved: 0, exitCode: 1 });
  });

  it('answers hostile requests with a 4xx, reports them and keeps serving', async () => {
    const { cli, url, deliveries } = await listen(['--count', '7']);
    const path = new URL(url).pathname;
    const genuine = signedDelivery(payment('DUP_1'), { key: KEY, timeMs: Date.now() });
    const pairs = Object.entries(genuine.headers) as [string, string][];
    const duplicate = await rawHttp(url, rawPost(path, [...pairs, ['BlockATM-Signature-V2', '0'.repeat(64)]], Buffer.from(genuine.body)));
    expect(duplicate).toMatch(/^HTTP\/1\.1 400/);
    const invalidUtf8 = await rawHttp(url, rawPost(path, pairs, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])));
    expect(invalidUtf8).toMatch(/^HTTP\/1\.1 400/);
    const get = await rawHttp(url, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(get).toMatch(/^HTTP\/1\.1 405/);
    expect(get).toMatch(/Allow: POST/i);
    const huge = await post(url, Buffer.alloc(2 * 1024 * 1024, 0x61), { 'Content-Type': 'application/json' }).catch(() => ({ status: 413, body: 'connection closed' }));
    expect(huge.status).toBe(413);
    const wrongPath = await post(url.replace(/\/webhook$/, '/elsewhere'), genuine.body, genuine.headers);
    expect(wrongPath.status).toBe(404);
    const duplicateKey = signedDelivery({ amount: '1.00', orderNo: 'K' }, { key: KEY, timeMs: Date.now() });
    const dupKeyAnswer = await post(url, '{"amount":"1.00","orderNo":"K","amount":"9.00"}', duplicateKey.headers);
    expect(dupKeyAnswer.status).toBe(400);
    const flood = Array.from({ length: 400 }, (_, i) => `X-Flood-${i}: ${'f'.repeat(60)}`).join('\r\n');
    expect(await rawHttp(url, `POST ${path} HTTP/1.1\r\nHost: x\r\n${flood}\r\nContent-Length: 2\r\n\r\n{}`)).toMatch(/^HTTP\/1\.1 4\d\d/);
    const after = await sendSigned(url, payment('AFTER_1'), { key: KEY, timeMs: Date.now() });
    expect(after.status).toBe(200);
    const result = await cli.exited;
    expect(result.code).toBe(1);
    const seen = deliveries();
    expect(seen.map((d) => d.httpStatus)).toEqual([400, 400, 405, 413, 404, 400, 200]);
    expect(seen[0]!.reason).toMatch(/duplicate BlockATM-Signature-V2 header/);
    expect(seen[1]!.reason).toMatch(/not valid UTF-8/);
    expect(seen[1]).toMatchObject({ event: 'Payment', eventHeader: 'Payment' });
    expect(seen[2]).toMatchObject({ event: null, eventHeader: null });
    expect(seen[4]).toMatchObject({ event: 'Payment', status: 'SUCCESS', orderNo: 'DUP_1' });
    expect(seen[5]!.reason).toMatch(/duplicate key "amount"/);
    expect(seen[6]).toMatchObject({ verified: true, orderNo: 'AFTER_1' });
  });

  it('verifies 50 concurrent deliveries and reports every one', async () => {
    const { cli, url, deliveries } = await listen(['--count', '50']);
    const orders = Array.from({ length: 50 }, (_, i) => `CONC_${i}`);
    const answers = await Promise.all(orders.map((order, i) => sendSigned(url, payment(order), { key: KEY, timeMs: Date.now(), recipe: i % 2 ? 'raw' : 'sorted' })));
    expect(answers.every((answer) => answer.status === 200 && answer.body === 'success')).toBe(true);
    const result = await cli.exited;
    expect(result.code).toBe(0);
    const seen = deliveries();
    expect(seen.every((d) => d.verified)).toBe(true);
    expect(new Set(seen.map((d) => d.orderNo))).toEqual(new Set(orders));
  });

  it('relays the exact bytes and BlockATM headers to the app and answers with its status', async () => {
    const received: { body: Buffer; headers: IncomingHttpHeaders }[] = [];
    const app = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks), headers: req.headers });
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('database down');
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => app.close(resolve)));
    const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hooks/blockatm`;
    const { cli, url, deliveries } = await listen(['--count', '1', '--forward-to', appUrl]);
    // Spacing and key order a re-serialising relay would change: the app must see them as sent.
    const time = String(Date.now());
    const body = '{"status":"SUCCESS", "orderNo":"FWD_1","amount":"10.50","symbol":"USDT"}';
    const signature = hmac(KEY, `${sortedStringToSign({ amount: '10.50', orderNo: 'FWD_1', status: 'SUCCESS', symbol: 'USDT' }, time)}`);
    const answer = await post(url, body, { 'Content-Type': 'application/json', 'BlockATM-Signature-V2': signature, 'BlockATM-Request-Time': time, 'BlockATM-Event': 'Payment' });
    expect(answer).toEqual({ status: 500, body: 'database down' });
    expect(received).toHaveLength(1);
    expect(received[0]!.body.toString('utf8')).toBe(body);
    expect(received[0]!.headers).toMatchObject({ 'blockatm-signature-v2': signature, 'blockatm-request-time': time, 'blockatm-event': 'Payment', 'content-type': 'application/json' });
    const result = await cli.exited;
    expect(result.code).toBe(1);
    const [delivery] = deliveries();
    expect(delivery).toMatchObject({ verified: true, httpStatus: 500, forward: { status: 500, body: 'database down' } });
    expect(delivery!.hint).toMatch(/only 200/);
  });

  it('exits 3 when --timeout passes before --count deliveries arrive', async () => {
    const { cli, url } = await listen(['--count', '2', '--timeout', '1']);
    expect((await sendSigned(url, payment('T_1'), { key: KEY, timeMs: Date.now() })).status).toBe(200);
    const result = await cli.exited;
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout.trim().split('\n').pop()!)).toMatchObject({ type: 'summary', end: 'timeout', received: 1 });
  });

  it('exits 0 at --count when all verified, 1 on Ctrl-C after a failure', async () => {
    const first = await listen(['--count', '1']);
    await sendSigned(first.url, payment('OK_1'), { key: KEY, timeMs: Date.now() });
    expect((await first.cli.exited).code).toBe(0);
    const second = await listen([]);
    await sendSigned(second.url, payment('BAD_1'), { key: 'whk_wrong_key_0000', timeMs: Date.now() });
    await second.cli.waitForLine((line) => line.includes('"type":"delivery"'));
    expect((await second.cli.stop('SIGINT')).code).toBe(1);
  });

  it('saves captures with the exact body and no credentials', async () => {
    const { cli, url, configDir, deliveries } = await listen(['--count', '1']);
    const delivery = signedDelivery(payment('CAP_1'), { key: KEY, timeMs: Date.now() });
    await post(url, delivery.body, { ...delivery.headers, 'BlockATM-API-Key': 'pk_should_not_be_saved', Authorization: 'Bearer secret-token' });
    expect((await cli.exited).code).toBe(0);
    // One segment, named after its first capture, one compact JSON line per capture.
    const files = readdirSync(join(configDir, 'captures'));
    expect(files).toEqual([`${deliveries()[0]!.captureId}.ndjson`]);
    const text = readFileSync(join(configDir, 'captures', files[0]!), 'utf8');
    expect(text.split('\n')).toHaveLength(2);
    const capture = JSON.parse(text) as { body: string; headers: Record<string, string[]>; verdict: { verified: boolean } };
    expect(capture.body).toBe(delivery.body);
    expect(capture.verdict.verified).toBe(true);
    expect(capture.headers['blockatm-signature-v2']).toEqual([delivery.headers['BlockATM-Signature-V2']]);
    for (const secret of [KEY, 'pk_should_not_be_saved', 'secret-token']) expect(text).not.toContain(secret);
  });

  it('prints a readable block per delivery without --json', async () => {
    const config = tempConfigDir();
    cleanups.push(config.cleanup);
    const cli = startCli(['listen', '--port', '0', '--count', '1', '--no-capture'], { env: cleanEnv(config.dir, { CASHIER_CHECK_WEBHOOK_KEY: KEY }) });
    cleanups.push(() => cli.stop('SIGKILL'));
    const line = await cli.waitForLine((text) => text.startsWith('Listening for BlockATM webhooks on'));
    const url = line.split(' on ')[1]!.trim();
    await sendSigned(url, payment('HUMAN_1'), { key: KEY, timeMs: Date.now() });
    const result = await cli.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/PASS .*Payment SUCCESS .*order HUMAN_1 .*2000\.00 USDT/);
    expect(result.stdout).toMatch(/verified: signature valid \(sorted recipe\)/);
    expect(result.stdout).toMatch(/1 delivery: 1 passed, 0 failed/);
    expect(result.stdout + result.stderr).not.toContain(KEY);
  });

  it('names the mistake behind a signature mismatch, in JSON and in the readable block, without printing a key', async () => {
    const secret = 'sck_test_Hn3Wq8Zt5Lc1Vb7M';
    const { cli, url, deliveries } = await listen(['--count', '2', '--no-capture'], { CASHIER_CHECK_SECRET_KEY: secret });
    await sendSigned(url, payment('WRONG_KEY_1'), { key: secret, timeMs: Date.now() });
    await sendSigned(url, payment('FORGED_1'), { key: 'not_any_key_of_this_profile', timeMs: Date.now() });
    const result = await cli.exited;
    const [wrongKey, forged] = deliveries() as (Delivery & { diagnosis: string | null })[];
    expect(wrongKey).toMatchObject({ verified: false, httpStatus: 401, orderNo: 'WRONG_KEY_1', diagnosis: expect.stringMatching(/signed with the secret key/) });
    expect(forged).toMatchObject({ verified: false, diagnosis: null });
    expect(result.stdout + result.stderr).not.toContain(secret);
    expect(result.stdout + result.stderr).not.toContain(KEY);

    const config = tempConfigDir();
    cleanups.push(config.cleanup);
    const human = startCli(['listen', '--port', '0', '--count', '1', '--no-capture'], { env: cleanEnv(config.dir, { CASHIER_CHECK_WEBHOOK_KEY: KEY, CASHIER_CHECK_SECRET_KEY: secret }) });
    cleanups.push(() => human.stop('SIGKILL'));
    const line = await human.waitForLine((text) => text.startsWith('Listening for BlockATM webhooks on'));
    await sendSigned(line.split(' on ')[1]!.trim(), payment('WRONG_KEY_2'), { key: secret, timeMs: Date.now() });
    const shown = await human.exited;
    expect(shown.stdout).toMatch(/signature doctor: explained by: signed with the secret key/);
    expect(shown.stdout + shown.stderr).not.toContain(secret);
  });

  it('refuses a port in use with exit 2 and advice, and a missing Webhook key with exit 2', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const port = String((blocker.address() as AddressInfo).port);
    const config = tempConfigDir();
    cleanups.push(config.cleanup);
    const busy = await runCli(['listen', '--port', port], { env: cleanEnv(config.dir, { CASHIER_CHECK_WEBHOOK_KEY: KEY }) });
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(busy.stderr).toContain('--port 0');
    const noKey = await runCli(['listen', '--port', '0'], { env: cleanEnv(config.dir) });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/the Webhook key is not set.*\n.*CASHIER_CHECK_WEBHOOK_KEY/);
    const badPort = await runCli(['listen', '--port', 'http'], { env: cleanEnv(config.dir, { CASHIER_CHECK_WEBHOOK_KEY: KEY }) });
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/--port: "http" is not an integer/);
  });
});

function sendSigned(url: string, payload: Record<string, string | number>, options: Parameters<typeof signedDelivery>[1]): Promise<{ status: number; body: string }> {
  const delivery = signedDelivery(payload, options);
  return post(url, delivery.body, delivery.headers);
}

describe('listen with the emulator', () => {
  it('verifies the payment and payout webhooks the emulator sends, integer statuses included', async () => {
    const { cli, url, deliveries } = await listen(['--count', '2'], { CASHIER_CHECK_WEBHOOK_KEY: 'whk_test_webhook_0001' });
    const running = await emulator({ webhookUrl: url, intStatus: true });
    cleanups.push(() => running.close());
    const paid = await post(`${running.baseUrl}/_mock/payments`, JSON.stringify({ orderNo: 'EMU_1', status: 'SUCCESS' }), { 'Content-Type': 'application/json' });
    expect(paid.status).toBe(200);
    const payout = await post(`${running.baseUrl}/_mock/payouts`, JSON.stringify({}), { 'Content-Type': 'application/json' });
    expect(payout.status).toBe(200);
    expect((await cli.exited).code).toBe(0);
    expect(deliveries().map((d) => [d.event, d.status, d.verified, d.httpStatus])).toEqual([['Payment', 'SUCCESS', true, 200], ['Payout', 'SUCCESS', true, 200]]);
    expect(deliveries()[0]!.orderNo).toBe('EMU_1');
  });

  it('a --path that needs escaping is advertised escaped and served there; a query or fragment is refused', async () => {
    const { cli, url, deliveries } = await listen(['--path', '/blockatm hook', '--count', '1']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/blockatm%20hook$/);
    expect((await post(url, '{}', { 'Content-Type': 'application/json' })).status).toBe(401);
    expect((await cli.exited).code).toBe(1);
    expect(deliveries()[0]).toMatchObject({ httpStatus: 401 });
    const config = tempConfigDir();
    cleanups.push(config.cleanup);
    const query = await runCli(['listen', '--port', '0', '--path', '/hook?x=1'], { env: cleanEnv(config.dir, { CASHIER_CHECK_WEBHOOK_KEY: KEY }) });
    expect(query.code).toBe(2);
    expect(query.stderr).toMatch(/^error: --path: "\/hook\?x=1" must be a path only, without \? or #\n/);
  });

  it('says plainly that a V1 profile\'s ECDSA webhooks are not what it verifies', async () => {
    const { cli } = await listen([], { CASHIER_CHECK_SIGNATURE_VERSION: 'v1' });
    const result = await cli.stop('SIGINT');
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('warning: this profile uses signature version v1, but listen verifies V2 webhooks only (BlockATM-Signature-V2, HMAC with the Webhook key); V1 ECDSA deliveries will fail here\n');
  });
});
