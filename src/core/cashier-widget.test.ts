import { describe, expect, it } from 'vitest';
import { hmacVector } from '../../test/helpers/vectors.js';
import { redirectTarget, settle, underpaidAmount } from './cashier-actions.js';
import { demoCashierLink, fakeAddress, readWidgetLink, widgetParams, type WidgetOrder } from './cashier-widget.js';
import { signWidgetUrl, type QueryParam } from './url-signing.js';

const vector = hmacVector('V-URL-1');
const credentials = { apiKey: 'pk_payment_my3T68cbuIXf1x3QOEbWtFEfcJPxeBr8wTewDVM', secretKey: vector.key };

function link(params: QueryParam[], secretKey = credentials.secretKey): string {
  return signWidgetUrl('http://127.0.0.1/cashier', params, secretKey).url.split('?')[1]!;
}

function orderFrom(query: string): WidgetOrder {
  const read = readWidgetLink(query, credentials);
  if (!read.ok) throw new Error(read.error.title);
  return read.value;
}

describe('reading a widget link like the V2 widget', () => {
  it('accepts the V-URL-1 link and fills the defaults', () => {
    const order = orderFrom(`${vector.stringToSign}&signature=${vector.signature}`);
    expect(order).toMatchObject({ custNo: 'C86002201', orderNo: 'C202503225', amount: '100.00', amountFromLink: false, currency: 'USDT', chainId: '11155111', network: 'Ethereum', redirectUrl: null });
    expect(order.depositAddress).toMatch(/^0x[0-9a-f]{40}$/);
  });

  it('reads every parameter sign-url writes', () => {
    const params = widgetParams({ apiKey: credentials.apiKey, custNo: 'C1', orderNo: 'O-9', amount: '12.5', currency: 'usdc', chainId: '0x2B6653DC', lang: 'zh-CN', redirectUrl: 'http://127.0.0.1:9/done?a=1' });
    expect(params.ok).toBe(true);
    const order = orderFrom(link(params.ok ? params.value : []));
    expect(order).toMatchObject({ orderNo: 'O-9', amount: '12.5', currency: 'USDC', chainId: '0x2b6653dc', network: 'TRON', lang: 'zh-CN', redirectUrl: 'http://127.0.0.1:9/done?a=1' });
    expect(order.depositAddress).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
  });

  it('accepts symbol as the older name of currency, and a generated orderNo is stable', () => {
    const query = link([['apiKey', credentials.apiKey], ['custNo', 'C1'], ['symbol', 'USDC']]);
    expect(orderFrom(query).currency).toBe('USDC');
    expect(orderFrom(query).orderNo).toMatch(/^ORDER_[0-9A-F]{10}$/);
    expect(orderFrom(query).orderNo).toBe(orderFrom(query).orderNo);
  });

  it('refuses, naming the parameter: no signature, bad signature, no custNo, unknown apiKey', () => {
    const cases: [string, string, RegExp][] = [
      [vector.stringToSign, 'signature', /not signed/],
      [`${vector.stringToSign}&signature=${'0'.repeat(64)}`, 'signature', /not valid/],
      [`${vector.stringToSign.replace('C86002201', 'C86002202')}&signature=${vector.signature}`, 'signature', /not valid/],
      [link([['apiKey', credentials.apiKey], ['orderNo', 'O1']]), 'custNo', /custNo is missing/],
      [link([['apiKey', credentials.apiKey], ['custNo', '']]), 'custNo', /custNo is missing/],
      [link([['apiKey', 'pk_other_key_123'], ['custNo', 'C1']]), 'apiKey', /Unknown apiKey/],
      [link([['custNo', 'C1']]), 'apiKey', /no apiKey/],
      [link([['apiKey', credentials.apiKey], ['custNo', 'C1'], ['amount', '-3']]), 'amount', /amount is not valid/],
      [link([['apiKey', credentials.apiKey], ['custNo', 'C1'], ['chainId', '5']]), 'chainId', /chainId is not valid/],
      [link([['apiKey', credentials.apiKey], ['custNo', 'C1'], ['redirectURL', 'javascript:alert(1)']]), 'redirectURL', /redirectURL is not valid/],
    ];
    for (const [query, field, title] of cases) {
      const read = readWidgetLink(query, credentials);
      expect(read.ok ? null : read.error.field, query).toBe(field);
      expect(read.ok ? '' : read.error.title, query).toMatch(title);
    }
  });

  it('shows the string to sign on a bad signature, never the secret key', () => {
    const read = readWidgetLink(`${vector.stringToSign}&signature=${'0'.repeat(64)}`, credentials);
    const text = JSON.stringify(read);
    expect(text).toContain(vector.stringToSign);
    expect(text).not.toContain(credentials.secretKey);
  });

  it('validates sign-url input, naming the field', () => {
    expect(widgetParams({ apiKey: 'k', custNo: 'a.b' })).toMatchObject({ ok: false, error: { field: 'custNo' } });
    expect(widgetParams({ apiKey: 'k', custNo: 'a', amount: '0.00' })).toMatchObject({ ok: false, error: { field: 'amount' } });
    expect(widgetParams({ apiKey: 'k', custNo: 'a', chainId: 'eth' })).toMatchObject({ ok: false, error: { field: 'chainId' } });
    expect(widgetParams({ apiKey: 'k', custNo: 'a', redirectUrl: 'ftp://x' })).toMatchObject({ ok: false, error: { field: 'redirectUrl' } });
    expect(widgetParams({ apiKey: 'k', custNo: 'a', lang: 'en US' })).toMatchObject({ ok: false, error: { field: 'lang' } });
  });

  it('makes fake addresses in each chain\'s format, stable per seed', () => {
    expect(fakeAddress('evm', 'x')).toBe(fakeAddress('evm', 'x'));
    expect(fakeAddress('evm', 'x')).not.toBe(fakeAddress('evm', 'y'));
  });
});

describe('cashier actions', () => {
  const order = orderFrom(link([['apiKey', credentials.apiKey], ['custNo', 'C1'], ['amount', '100.00'], ['redirectURL', 'http://127.0.0.1:1/back?ref=7']]));

  it('maps each button to the webhook status and the redirect status', () => {
    expect(settle(order, 'pay')).toMatchObject({ status: 'SUCCESS', paidAmount: '100.00', redirectStatus: 'SUCCESS' });
    expect(settle(order, 'underpay')).toMatchObject({ status: 'SUCCESS', paidAmount: '90.00', redirectStatus: 'SUCCESS' });
    expect(settle(order, 'cancel')).toMatchObject({ status: 'CANCELLED', redirectStatus: 'CANCELLED' });
    expect(settle(order, 'expire')).toMatchObject({ status: 'EXPIRED', redirectStatus: 'EXPIRED' });
  });

  it('underpays by 10%, exactly, in decimal', () => {
    expect(underpaidAmount('100')).toBe('90.00');
    expect(underpaidAmount('12.5')).toBe('11.25');
    expect(underpaidAmount('0.01')).toBe('0.00');
    expect(underpaidAmount('0.000001')).toBe('0.000000');
    expect(underpaidAmount('123456789012345.123456789')).toBe('111111110111110.611111110');
  });

  it('appends txId and status to redirectURL, keeping its own query', () => {
    expect(redirectTarget('http://127.0.0.1:1/back?ref=7', '0xabc', 'SUCCESS')).toBe('http://127.0.0.1:1/back?ref=7&txId=0xabc&status=SUCCESS');
    expect(redirectTarget('http://127.0.0.1:1/back', '', 'CANCELLED')).toBe('http://127.0.0.1:1/back?txId=&status=CANCELLED');
  });
});

describe('the demo link mock prints', () => {
  it('is signed for the emulator and returns to its own return page', () => {
    const url = demoCashierLink('http://127.0.0.1:4010', credentials, 'DEMO_1');
    expect(url.startsWith('http://127.0.0.1:4010/cashier?apiKey=')).toBe(true);
    const order = orderFrom(url.split('?')[1]!);
    expect(order).toMatchObject({ orderNo: 'DEMO_1', custNo: 'CUST_0001', amount: '100.00', redirectUrl: 'http://127.0.0.1:4010/cashier/return' });
    expect(url).not.toContain(credentials.secretKey);
  });
});
