import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyDelivery, type IncomingDelivery } from './delivery.js';
import { createMismatchDoctor } from './mismatch-doctor.js';

const WEBHOOK_KEY = 'whk_test_7c1e9a3b5d2f4a6c';
const SECRET_KEY = 'sck_test_Vb2n8Kq4Lm6Xz1Rp';
const KEYS = [{ name: 'Webhook key' as const, key: WEBHOOK_KEY }, { name: 'secret key' as const, key: SECRET_KEY }];
const NOW = 1_743_060_268_000;

function delivery(key: string, body = '{"amount":"10.00","orderNo":"D_1","status":"SUCCESS"}', base64 = false): IncomingDelivery {
  const payload = JSON.parse(body) as Record<string, string>;
  const sorted = `${Object.keys(payload).sort().map((k) => `${k}=${payload[k]}`).join('&')}&time=${NOW}`;
  const signature = createHmac('sha256', key).update(sorted).digest(base64 ? 'base64' : 'hex');
  return {
    method: 'POST',
    body: Buffer.from(body),
    headers: { 'blockatm-signature-v2': [signature], 'blockatm-request-time': [String(NOW)], 'blockatm-event': ['Payment'], 'content-type': ['application/json'] },
  };
}

function judge(request: IncomingDelivery) {
  return verifyDelivery(request, { webhookKey: WEBHOOK_KEY, nowMs: NOW, toleranceMs: 300_000 });
}

describe('createMismatchDoctor', () => {
  it('names the secret key behind a mismatch without printing any key', () => {
    const doctor = createMismatchDoctor({ keys: KEYS, now: () => NOW });
    const request = delivery(SECRET_KEY);
    const line = doctor(request, judge(request));
    expect(line).toMatch(/secret key/);
    expect(line).not.toContain(SECRET_KEY);
    expect(line).not.toContain(WEBHOOK_KEY);
  });

  it('stays silent for verified deliveries, unexplained forgeries and other refusals', () => {
    const doctor = createMismatchDoctor({ keys: KEYS, now: () => NOW });
    const genuine = delivery(WEBHOOK_KEY);
    expect(doctor(genuine, judge(genuine))).toBeNull();
    const forged = delivery('some_other_key_entirely');
    expect(doctor(forged, judge(forged))).toBeNull();
    const noTime = { ...genuine, headers: { ...genuine.headers, 'blockatm-request-time': undefined } };
    expect(doctor(noTime, judge(noTime))).toBeNull();
  });

  it('skips bodies of 64 KiB or more', () => {
    const doctor = createMismatchDoctor({ keys: KEYS, now: () => NOW });
    const big = delivery(SECRET_KEY, JSON.stringify({ amount: '1.00', orderNo: 'BIG', memo: 'x'.repeat(64 * 1024) }));
    expect(judge(big).verified).toBe(false);
    expect(doctor(big, judge(big))).toBeNull();
  });

  it('runs at most a few times per second', () => {
    let now = NOW;
    const doctor = createMismatchDoctor({ keys: KEYS, now: () => now, perSecond: 3 });
    const request = delivery(WEBHOOK_KEY, undefined, true);
    const verdict = judge(request);
    const lines = Array.from({ length: 10 }, () => doctor(request, verdict));
    expect(lines.filter((line) => line !== null)).toHaveLength(3);
    expect(lines[0]).toMatch(/Base64/);
    now += 1_000;
    expect(doctor(request, verdict)).toMatch(/Base64/);
  });
});
