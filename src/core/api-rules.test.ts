import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { envelope, judgeRequestWindow, verifyRequestSignature } from './api-rules.js';

const NOW = 1_743_060_268_000;
const window = (time: string | undefined, extra: { rec?: string; recv?: string; strict?: boolean } = {}) =>
  judgeRequestWindow({ time: time === undefined ? undefined : [time], recWindow: extra.rec ? [extra.rec] : undefined, recvWindow: extra.recv ? [extra.recv] : undefined, nowMs: NOW, strict: extra.strict ?? false });

describe('judgeRequestWindow', () => {
  it('passes at exactly the window and fails one millisecond past it', () => {
    expect(window(String(NOW - 30_000))).toMatchObject({ ok: true, windowMs: 30_000, ageMs: 30_000 });
    expect(window(String(NOW - 30_001))).toMatchObject({ ok: false, code: '000105' });
  });

  it('caps the requested window at 60000 ms and prefers Rec_Window over RECV_WINDOW', () => {
    expect(window(String(NOW - 60_001), { rec: '600000' })).toMatchObject({ ok: false });
    expect(window(String(NOW - 1_500), { rec: '2000', recv: '1000' })).toMatchObject({ ok: true, windowMs: 2_000 });
    expect(window(String(NOW), { rec: '0' })).toMatchObject({ ok: false, code: '000102' });
    expect(window(String(NOW), { rec: '-5' })).toMatchObject({ ok: false, code: '000102' });
  });

  it('allows 1 s of clock skew into the future, none when strict', () => {
    expect(window(String(NOW + 1_000)).ok).toBe(true);
    expect(window(String(NOW + 1_001)).ok).toBe(false);
    expect(window(String(NOW + 1), { strict: true }).ok).toBe(false);
  });

  it('names a missing or unreadable time', () => {
    expect(window(undefined)).toMatchObject({ ok: false, msg: 'BlockATM-Request-Time header is missing' });
    expect(window('yesterday')).toMatchObject({ ok: false, code: '000105' });
    expect(judgeRequestWindow({ time: [String(NOW), String(NOW)], recWindow: undefined, recvWindow: undefined, nowMs: NOW, strict: false }).ok).toBe(false);
  });
});

describe('verifyRequestSignature', () => {
  const secretKey = 'sck_QOoPSlHDSsgXYeNyTP2i0ug1HKLRjHw9Ug7mCc1Q0';
  const verifier = { version: 'v2' as const, secretKey };

  it('accepts the published payout-detail vector (V-API-4) and rejects a changed query', () => {
    const signature = 'b2d904016298a5c5a3ec5b3afe5da49ed27a39fb765b3175c92c8235f8e4af8e';
    expect(verifyRequestSignature({ verifier, signatureV2: [signature], signatureV1: undefined, time: '1743060268000', query: 'bizOrderNo=B202505220012' })).toMatchObject({ ok: true, stringToSign: 'bizOrderNo=B202505220012&time=1743060268000' });
    expect(verifyRequestSignature({ verifier, signatureV2: [signature], signatureV1: undefined, time: '1743060268000', query: 'bizOrderNo=B202505220013' })).toMatchObject({ ok: false, code: '000105' });
  });

  it('signs the body when there is one, with numbers as written', () => {
    const body = '{"b":"x","a":2000.00}';
    const signature = createHmac('sha256', secretKey).update('a=2000.00&b=x&time=5').digest('hex').toUpperCase();
    expect(verifyRequestSignature({ verifier, signatureV2: [signature], signatureV1: undefined, time: '5', body, query: 'ignored=1' }).ok).toBe(true);
  });

  it('tells missing, duplicated and malformed signatures apart', () => {
    const base = { verifier, time: '5', query: '' };
    expect(verifyRequestSignature({ ...base, signatureV2: undefined, signatureV1: ['abc'] })).toMatchObject({ ok: false, msg: expect.stringContaining('a BlockATM-Signature-V1 header was sent') });
    expect(verifyRequestSignature({ ...base, signatureV2: ['a'.repeat(64), 'a'.repeat(64)], signatureV1: undefined })).toMatchObject({ ok: false, msg: expect.stringContaining('more than once') });
    expect(verifyRequestSignature({ ...base, signatureV2: ['zz'], signatureV1: undefined })).toMatchObject({ ok: false, msg: expect.stringContaining('64 hex') });
  });
});

describe('envelope', () => {
  it('carries both msg and message, and success only for 200', () => {
    expect(envelope('200', 'success', [1], 't')).toEqual({ code: '200', success: true, data: [1], trace: 't', msg: 'success', message: 'success' });
    expect(envelope('000202', 'data not found', undefined, 't')).toMatchObject({ success: false, data: null });
  });
});
