import { createPrivateKey, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS, call, emulator, hmacHex, manualClock, signedHeaders } from '../../../test/helpers/emulator.js';
import { envelope } from '../../core/api-rules.js';
import type { RunningEmulator } from './index.js';
import { toJson } from './views.js';

const clock = manualClock(1_760_000_000_000);
let mock: RunningEmulator;
const key = { 'BlockATM-API-Key': CREDENTIALS.apiKey };

beforeAll(async () => {
  mock = await emulator({ clock });
});
afterAll(() => mock.close());

const url = (path: string): string => `${mock.baseUrl}${path}`;

describe('public endpoints', () => {
  it('allNetworks answers the documented envelope without an API key', async () => {
    const answer = await call(url('/admin/api/v2/pub/allNetworks'));
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.json).sort()).toEqual(['code', 'data', 'message', 'msg', 'success', 'trace']);
    expect(answer.json).toMatchObject({ code: '200', success: true, msg: 'success', message: 'success' });
    expect(answer.json.trace).toMatch(/^[0-9a-f]{16}$/);
    const sepolia = answer.json.data.find((n: { chainId: string }) => n.chainId === '11155111');
    expect(sepolia).toEqual({ addressType: 'EVM', chainId: '11155111', confirm: 3, explorer: 'https://sepolia.etherscan.io', name: 'Sepolia', network: 'Ethereum', testNet: true });
  });

  it('symbolList filters by chainId and symbol', async () => {
    const answer = await call(url('/admin/api/v2/pub/symbolList?chainId=1&symbol=USDC'));
    expect(answer.json.data).toEqual([{ chainId: '1', decimals: 6, network: 'Ethereum', symbol: 'USDC', tokenAddress: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48' }]);
    const all = await call(url('/admin/api/v2/pub/symbolList'));
    expect(all.json.data.length).toBeGreaterThan(5);
  });

  it('sends its Date header from its own clock', async () => {
    const answer = await call(url('/admin/api/v2/pub/allNetworks'));
    expect(answer.headers.get('date')).toBe(new Date(clock.now()).toUTCString());
  });
});

describe('API key rules', () => {
  it('answers 000112 without the key and 000110 for an unknown key', async () => {
    const missing = await call(url('/admin/api/v2/pub/cashier/info'));
    expect(missing.status).toBe(200);
    expect(missing.json).toMatchObject({ code: '000112', success: false, data: null });
    expect(missing.json.msg).toBe(missing.json.message);
    const unknown = await call(url('/admin/api/v2/pub/cashier/info'), { headers: { 'BlockATM-API-Key': 'pk_someone_else_123456' } });
    expect(unknown.json.code).toBe('000110');
  });

  it('accepts the exact key only: one changed character, a prefix, a longer key or a multibyte twin are unknown', async () => {
    const known = CREDENTIALS.apiKey;
    const variants = [`${known.slice(0, -1)}${known.endsWith('x') ? 'y' : 'x'}`, known.slice(0, -1), `${known}x`, `${known.slice(0, -1)}é`];
    for (const variant of variants) {
      const answer = await call(url('/admin/api/v2/pub/cashier/info'), { headers: { 'BlockATM-API-Key': variant } });
      expect(answer.json.code, variant).toBe('000110');
    }
    const padded = await call(url('/admin/api/v2/pub/cashier/info'), { headers: { 'BlockATM-API-Key': ` ${known} ` } });
    expect(padded.json.code).toBe('200');
  });

  it('writes an error envelope as the same JSON text as any other envelope', async () => {
    const answer = await call(url('/admin/api/v2/pub/cashier/info'), { headers: { 'BlockATM-API-Key': 'pk_"quoted"_ünknown' } });
    expect(answer.text).toBe(toJson(envelope(answer.json.code, answer.json.msg, null, answer.json.trace)));
    const missing = await call(url('/order/api/v2/payout/detail?bizOrderNo=%22x%22'), { headers: key });
    expect(missing.text).toBe(toJson(envelope(missing.json.code, missing.json.msg, null, missing.json.trace)));
  });

  it('cashier/info identifies the desk behind the key', async () => {
    const answer = await call(url('/admin/api/v2/pub/cashier/info'), { headers: key });
    expect(answer.json.code).toBe('200');
    expect(answer.text).toContain('"cashierId":86100021');
    expect(answer.json.data).toMatchObject({ merchantId: 86100021, payQr: 1, payWallet: 1 });
    expect(answer.json.data.networkDetail['11155111']).toContainEqual({ chainId: '11155111', currency: 'USDT', network: 'Ethereum' });
  });
});

describe('payment orders', () => {
  it('payorder/detail and list agree with an order created through the control API', async () => {
    const created = await call(url('/_mock/payments'), { method: 'POST', body: JSON.stringify({ orderNo: 'ORD-1001', custNo: 'C-7', amount: '25.00', status: 'PENDING' }) });
    expect(created.status).toBe(200);
    expect(created.json.order).toMatchObject({ orderNo: 'ORD-1001', status: 'PENDING', amount: '25.00' });
    expect(created.json.delivery).toBeNull();

    const detail = await call(url('/order/api/v2/payorder/detail?orderNo=ORD-1001'), { headers: key });
    expect(detail.json).toMatchObject({ code: '200', data: { orderNo: 'ORD-1001', custNo: 'C-7', status: 'PENDING', cashierId: 86100021, id: created.json.order.id } });
    expect(detail.text).toContain('"amount":25.00,');

    const list = await call(url('/order/api/v2/payorder/list?orderNo=ORD-1001&custNo=C-7'), { headers: key });
    expect(list.json.data).toHaveLength(1);
    expect(list.json.data[0]).toEqual(detail.json.data);
    const other = await call(url('/order/api/v2/payorder/list?orderNo=ORD-1001&custNo=C-8'), { headers: key });
    expect(other.json).toMatchObject({ code: '200', data: [] });
  });

  it('answers 000103 without orderNo and 000202 for an unknown one', async () => {
    expect((await call(url('/order/api/v2/payorder/detail'), { headers: key })).json.code).toBe('000103');
    expect((await call(url('/order/api/v2/payorder/list?custNo=x'), { headers: key })).json.code).toBe('000103');
    const missing = await call(url('/order/api/v2/payorder/detail?orderNo=NOPE'), { headers: key });
    expect(missing.json).toMatchObject({ code: '000202', success: false });
  });
});

describe('payouts (signed)', () => {
  const body = '{"amount":"44","bizOrderNo":"B-2001","chainId":"11155111","custNo":"473_860001","symbol":"USDT","toAddress":"0xc87dd49427a188bf2b601c1d5cd2aaf36bd553d2"}';
  const canonical = 'amount=44&bizOrderNo=B-2001&chainId=11155111&custNo=473_860001&symbol=USDT&toAddress=0xc87dd49427a188bf2b601c1d5cd2aaf36bd553d2';

  it('creates a payout, refuses the same bizOrderNo again (000106), and shows it in payout/detail', async () => {
    const t = clock.now();
    const headers = signedHeaders(`${canonical}&time=${t}`, t, { 'Content-Type': 'application/json' });
    const first = await call(url('/order/api/v2/payout/order'), { method: 'POST', headers, body });
    expect(first.json).toMatchObject({ code: '200', success: true, data: null });
    const again = await call(url('/order/api/v2/payout/order'), { method: 'POST', headers, body });
    expect(again.json.code).toBe('000106');

    const detail = await call(url('/order/api/v2/payout/detail?bizOrderNo=B-2001'), { headers: signedHeaders(`bizOrderNo=B-2001&time=${t}`, t) });
    expect(detail.json).toMatchObject({ code: '200', data: { bizOrderNo: 'B-2001', custNo: '473_860001', status: 0, symbol: 'USDT', toAddress: '0xc87dd49427a188bf2b601c1d5cd2aaf36bd553d2' } });
    expect(detail.text).toContain('"amount":44,');
  });

  it('rejects a wrong or missing signature with 000105', async () => {
    const t = clock.now();
    const wrong = signedHeaders(`${canonical}&time=${t + 1}`, t, { 'Content-Type': 'application/json' });
    const answer = await call(url('/order/api/v2/payout/order'), { method: 'POST', headers: wrong, body });
    expect(answer.json).toMatchObject({ code: '000105', success: false });
    expect(answer.json.msg).toContain('signature mismatch');
    const { 'BlockATM-Signature-V2': _dropped, ...unsigned } = signedHeaders(`x`, t);
    const none = await call(url('/order/api/v2/payout/detail?bizOrderNo=B-2001'), { headers: unsigned });
    expect(none.json.code).toBe('000105');
    expect(none.json.msg).toContain('BlockATM-Signature-V2 header is missing');
  });

  it('requires every documented field (000103), a non-empty object (000104) and valid JSON (000102)', async () => {
    const t = clock.now();
    const partial = '{"amount":"44","bizOrderNo":"B-2002"}';
    const missing = await call(url('/order/api/v2/payout/order'), { method: 'POST', headers: signedHeaders(`amount=44&bizOrderNo=B-2002&time=${t}`, t), body: partial });
    expect(missing.json).toMatchObject({ code: '000103' });
    expect(missing.json.msg).toContain('chainId');
    const empty = await call(url('/order/api/v2/payout/order'), { method: 'POST', headers: signedHeaders(`time=${t}`, t), body: '{}' });
    expect(empty.json.code).toBe('000104');
    const broken = await call(url('/order/api/v2/payout/order'), { method: 'POST', headers: signedHeaders(`time=${t}`, t), body: '{"amount":' });
    expect(broken.status).toBe(400);
    expect(broken.json).toMatchObject({ code: '000102', success: false });
    const badAmount = '{"amount":"-3","bizOrderNo":"B-2003","chainId":"11155111","custNo":"c","symbol":"USDT","toAddress":"0xabc"}';
    const negative = await call(url('/order/api/v2/payout/order'), { method: 'POST', headers: signedHeaders(`amount=-3&bizOrderNo=B-2003&chainId=11155111&custNo=c&symbol=USDT&toAddress=0xabc&time=${t}`, t), body: badAmount });
    expect(negative.json.code).toBe('000102');
  });

  it('answers 000103 for payout/detail without bizOrderNo and 000202 for an unknown one', async () => {
    const t = clock.now();
    expect((await call(url('/order/api/v2/payout/detail'), { headers: signedHeaders(`time=${t}`, t) })).json.code).toBe('000103');
    expect((await call(url('/order/api/v2/payout/detail?bizOrderNo=UNKNOWN1'), { headers: signedHeaders(`bizOrderNo=UNKNOWN1&time=${t}`, t) })).json.code).toBe('000202');
  });

  it('refuses a form-encoded payout (415)', async () => {
    const t = clock.now();
    const answer = await call(url('/order/api/v2/payout/order'), { method: 'POST', headers: signedHeaders(`time=${t}`, t, { 'Content-Type': 'application/x-www-form-urlencoded' }), body: 'a=1' });
    expect(answer.status).toBe(415);
    expect(answer.json.code).toBe('000102');
  });
});

describe('published vectors', () => {
  it('accepts the documentation\'s payout request (V-API-2) and payout query (V-API-4) signatures', async () => {
    const docClock = manualClock(1_742_723_373_000);
    const docKey = 'sck_QOoPSlHDSsgXYeNyTP2i0ug1HKLRjHw9Ug7mCc1Q0';
    const doc = await emulator({ clock: docClock, credentials: { ...CREDENTIALS, secretKey: docKey } });
    try {
      const body = '{"amount":"44","bizOrderNo":"B234569885XASA953ASDSAD","chainId":"11155111","custNo":"473_860001","merchantId":"286000260","symbol":"USDT","toAddress":"0xc87dd49427a188bf2b601c1d5cd2aaf36bd553d2","remark":"demo for create payout order"}';
      const created = await call(`${doc.baseUrl}/order/api/v2/payout/order`, {
        method: 'POST',
        headers: { 'BlockATM-API-Key': CREDENTIALS.apiKey, 'BlockATM-Request-Time': '1742723373000', 'BlockATM-Signature-V2': '814a8e1e90dcbbffe955e87e9f9eee86c539f26eaf584a36370b3265cd4204d2', 'Content-Type': 'application/json' },
        body,
      });
      expect(created.json.code).toBe('200');
      docClock.set(1_743_060_268_000);
      const detail = await call(`${doc.baseUrl}/order/api/v2/payout/detail?bizOrderNo=B202505220012`, {
        headers: { 'BlockATM-API-Key': CREDENTIALS.apiKey, 'BlockATM-Request-Time': '1743060268000', 'BlockATM-Signature-V2': 'b2d904016298a5c5a3ec5b3afe5da49ed27a39fb765b3175c92c8235f8e4af8e' },
      });
      expect(detail.json.code).toBe('000202');
    } finally {
      await doc.close();
    }
  });
});

describe('switches', () => {
  it('--require-sign-all makes cashier/info a signed call', async () => {
    const strict = await emulator({ clock, requireSignAll: true });
    try {
      const unsigned = await call(`${strict.baseUrl}/admin/api/v2/pub/cashier/info`, { headers: key });
      expect(unsigned.json.code).toBe('000105');
      const t = clock.now();
      const signed = await call(`${strict.baseUrl}/admin/api/v2/pub/cashier/info`, { headers: signedHeaders(`time=${t}`, t) });
      expect(signed.json.code).toBe('200');
    } finally {
      await strict.close();
    }
  });

  it('V1 mode verifies ECDSA request signatures and refuses an HMAC one', async () => {
    const v1 = await emulator({ clock, v1: {
      merchantPublicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEaB9M2IdxbRyZWEMgwSBstzeBG79w6LBDE1n/n9KQLuVSew3slRt5K2H7kwqCbpzOsuDRY4kMe8ybuaoBKy4RbA==',
      webhookPrivateKey: 'MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCAaXAqWZaVeWG4zQWjAT+RqFUwMKfLIAOQQqi6a3JObrg==',
    } });
    try {
      const t = clock.now();
      const merchantKey = createPrivateKey({ key: Buffer.from('MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCCk4q7HP8mNm4tl1TuFA20x5d1yeUYSyUHL7+8LHelLtg==', 'base64'), format: 'der', type: 'pkcs8' });
      const signature = sign('sha256', Buffer.from(`bizOrderNo=B-9&time=${t}`), { key: merchantKey, dsaEncoding: 'der' }).toString('base64');
      const headers = { 'BlockATM-API-Key': CREDENTIALS.apiKey, 'BlockATM-Request-Time': String(t) };
      const good = await call(`${v1.baseUrl}/order/api/v2/payout/detail?bizOrderNo=B-9`, { headers: { ...headers, 'BlockATM-Signature-V1': signature } });
      expect(good.json.code).toBe('000202');
      const hmac = await call(`${v1.baseUrl}/order/api/v2/payout/detail?bizOrderNo=B-9`, { headers: { ...headers, 'BlockATM-Signature-V2': hmacHex(CREDENTIALS.secretKey, `bizOrderNo=B-9&time=${t}`) } });
      expect(hmac.json.code).toBe('000105');
      expect(hmac.json.msg).toContain('V1 ECDSA');
    } finally {
      await v1.close();
    }
  });
});

describe('routing', () => {
  it('answers unknown paths with a 404 envelope and wrong methods with 405', async () => {
    const unknown = await call(url('/order/api/v2/nothing'));
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ code: '404', success: false });
    const wrong = await call(url('/admin/api/v2/pub/allNetworks'), { method: 'POST', body: '{}' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect(wrong.json.success).toBe(false);
  });
});
