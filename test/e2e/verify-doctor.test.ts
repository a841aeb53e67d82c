import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturesDir } from '../../src/config/capture-store.js';
import { createCaptureWriter } from '../../src/config/capture-writer.js';
import type { CapturedDelivery } from '../../src/core/capture.js';
import { cleanEnv, runCli, tempConfigDir } from '../helpers/cli.js';

const WEBHOOK_KEY = 'whk_e2e_5d1c0b9a8f7e6d5c4b3a2910';
const SECRET_KEY = 'sck_e2e_QOoPSlHDSsgXYeNyTP2i0ug1';
const TIME = '1743060268000';
const BODY = '{"orderNo":"ORDER_1","amount":2000.00,"status":"SUCCESS","cashierId":86100021}';
const SORTED = `amount=2000.00&cashierId=86100021&orderNo=ORDER_1&status=SUCCESS&time=${TIME}`;
const hmac = (key: string, text: string): string => createHmac('sha256', key).update(text).digest('hex');

function httpDump(signature: string, body = BODY, extra: string[] = []): string {
  return ['POST /webhooks/blockatm HTTP/1.1', 'Host: shop.example', 'Content-Type: application/json', `BlockATM-Signature-V2: ${signature}`, `BlockATM-Request-Time: ${TIME}`, 'BlockATM-Event: Payment', `Content-Length: ${Buffer.byteLength(body)}`, ...extra, '', body].join('\r\n');
}

describe('verify --request', () => {
  let config: ReturnType<typeof tempConfigDir>;
  let env: NodeJS.ProcessEnv;
  const file = (name: string, content: string): string => {
    const path = join(config.dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeAll(() => {
    config = tempConfigDir();
    env = cleanEnv(config.dir, { CASHIER_CHECK_WEBHOOK_KEY: WEBHOOK_KEY, CASHIER_CHECK_SECRET_KEY: SECRET_KEY });
  });
  afterAll(() => config.cleanup());

  it('verifies a capture saved by listen, from its file and from its id', async () => {
    const capture: CapturedDelivery = {
      id: '20261126T070102-a1b2', receivedAt: '2026-11-26T07:01:02.000Z', method: 'POST', path: '/',
      headers: { 'content-type': ['application/json'], 'blockatm-signature-v2': [hmac(WEBHOOK_KEY, SORTED)], 'blockatm-request-time': [TIME], 'blockatm-event': ['Payment'] },
      body: BODY, bodyEncoding: 'utf8',
      verdict: { verified: true, httpStatus: 200, reason: 'verified', recipe: 'sorted', event: 'Payment', status: 'SUCCESS' },
    };
    await createCaptureWriter(capturesDir(env)).save(capture);
    // The file form: one capture as "replay --show --json" prints it.
    const shown = await runCli(['replay', '--show', capture.id, '--json'], { env });
    expect(shown.code, shown.stderr).toBe(0);
    const path = file('capture.json', shown.stdout);
    for (const request of [path, capture.id, '20261126T070102']) {
      const result = await runCli(['verify', '--request', request, '--json'], { env });
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ valid: true, recipe: 'sorted', request: { format: 'capture', id: capture.id, event: 'Payment' }, diagnosis: null });
    }
  });

  it('diagnoses a raw HTTP dump signed with the secret key, without printing any key', async () => {
    const result = await runCli(['verify', '--request', file('wrong-key.http', httpDump(hmac(SECRET_KEY, SORTED))), '--json'], { env });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ valid: false, recipe: null, failure: 'mismatch', request: { format: 'http', method: 'POST', path: '/webhooks/blockatm' } });
    expect(report.reason).toContain('signature mismatch');
    expect(report.diagnosis).toMatchObject({ explained: true, keysTried: ['Webhook key', 'secret key'] });
    expect(report.diagnosis.findings[0]).toMatchObject({ mistakes: ['wrong-key'], key: 'secret key', recipe: 'sorted' });
    for (const secret of [WEBHOOK_KEY, SECRET_KEY]) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('prints both strings to sign aligned, with the first differing byte marked', async () => {
    const parsedSigned = `amount=2000&cashierId=86100021&orderNo=ORDER_1&status=SUCCESS&time=${TIME}`;
    const result = await runCli(['verify', '--request', file('numbers.http', httpDump(hmac(WEBHOOK_KEY, parsedSigned)))], { env });
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    const expected = lines.find((line) => line.trimStart().startsWith('expected'))!;
    const signed = lines.find((line) => line.trimStart().startsWith('signed'))!;
    const caret = lines.find((line) => line.includes('^ first difference at byte 11'))!;
    expect(result.stdout).toContain('numbers re-formatted (2000.00 → 2000)');
    expect(expected.indexOf('amount=')).toBe(signed.indexOf('amount='));
    expect(expected[caret.indexOf('^')]).toBe('.');
    expect(signed[caret.indexOf('^')]).toBe('&');
  });

  it('takes --signature and --time over the request\'s headers', async () => {
    const path = file('override.http', httpDump('0'.repeat(64)));
    const otherTime = '1743060299000';
    const signature = hmac(WEBHOOK_KEY, SORTED.replace(TIME, otherTime));
    const result = await runCli(['verify', '--request', path, '--time', otherTime, '--signature', signature, '--json'], { env });
    expect(result.code, result.stdout).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: true, time: otherTime, signature });
  });

  it('finds the newline an editor added after the body of a dump without Content-Length', async () => {
    const dump = ['POST / HTTP/1.1', `BlockATM-Signature-V2: ${hmac(WEBHOOK_KEY, `${BODY}&time=${TIME}`)}`, `BlockATM-Request-Time: ${TIME}`, '', `${BODY}\n`].join('\n');
    const result = await runCli(['verify', '--request', file('newline.http', dump), '--recipe', 'raw', '--json'], { env });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).diagnosis.findings[0].mistakes).toEqual(['trailing-newline']);
  });

  it('refuses bad input with the field, a fix and exit 2', async () => {
    const cases: [string[], string][] = [
      [['verify', '--request', file('junk.txt', 'hello')], '--request'],
      [['verify', '--request', join(config.dir, 'missing.http')], 'no such file, and no captured delivery'],
      [['verify', '--request', file('x.http', httpDump('a')), '--body', '-'], '--body/--request'],
      [['verify', '--request', file('no-time.http', 'POST / HTTP/1.1\r\nX: 1\r\n\r\n{}')], 'no BlockATM-Request-Time header'],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args, { env })));
    for (const [i, [args, message]] of cases.entries()) {
      const result = results[i]!;
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
