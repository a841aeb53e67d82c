import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacVector } from '../../test/helpers/vectors.js';
import { parseQueryParams, signWidgetUrl, urlStringToSign, verifyWidgetUrl, type QueryParam } from './url-signing.js';

const vector = hmacVector('V-URL-1');
const vectorParams: QueryParam[] = vector.stringToSign.split('&').map((pair) => pair.split('=') as [string, string]);
const key = vector.key;

describe('widget URL signing (V2)', () => {
  it('V-URL-1: string to sign and signature', () => {
    expect(urlStringToSign(vectorParams)).toBe(vector.stringToSign);
    const signed = signWidgetUrl('https://cashier.example/pay', vectorParams, key);
    expect(signed.signature).toBe(vector.signature);
    expect(signed.url).toBe(`https://cashier.example/pay?${vector.stringToSign}&signature=${vector.signature}`);
  });

  it('V-URL-1 verifies, also with an upper-case signature', () => {
    expect(verifyWidgetUrl(`${vector.stringToSign}&signature=${vector.signature}`, key)).toMatchObject({ valid: true, stringToSign: vector.stringToSign });
    expect(verifyWidgetUrl(`?${vector.stringToSign}&signature=${vector.signature.toUpperCase()}`, key).valid).toBe(true);
  });

  it('URL-encodes values in URL order, and the signature covers the encoded text', () => {
    const params: QueryParam[] = [['orderNo', 'A 1/2'], ['custNo', 'c&d=e'], ['redirectURL', 'https://shop.example/done?x=1']];
    const expected = 'orderNo=A%201%2F2&custNo=c%26d%3De&redirectURL=https%3A%2F%2Fshop.example%2Fdone%3Fx%3D1';
    expect(urlStringToSign(params)).toBe(expected);
    const signed = signWidgetUrl('http://127.0.0.1:4010/cashier', params, key);
    expect(signed.signature).toBe(createHmac('sha256', key).update(expected).digest('hex'));
    const query = signed.url.split('?').slice(1).join('?');
    expect(parseQueryParams(query)).toEqual({ ok: true, value: [...params, ['signature', signed.signature]] });
    expect(verifyWidgetUrl(query, key).valid).toBe(true);
  });

  it('reads + and %20 alike, as browsers send either', () => {
    const signed = signWidgetUrl('http://h/cashier', [['custNo', 'a b']], key);
    expect(verifyWidgetUrl(`custNo=a+b&signature=${signed.signature}`, key).valid).toBe(true);
  });

  it('tells missing, malformed, duplicated, unreadable and mismatching signatures apart', () => {
    expect(verifyWidgetUrl(vector.stringToSign, key).failure).toBe('missing');
    expect(verifyWidgetUrl(`${vector.stringToSign}&signature=abc`, key).failure).toBe('malformed');
    expect(verifyWidgetUrl(`${vector.stringToSign}&signature=${vector.signature}&signature=${vector.signature}`, key).failure).toBe('duplicate');
    expect(verifyWidgetUrl(`custNo=%E0%A4%A&signature=${vector.signature}`, key).failure).toBe('unparseable');
    const tampered = verifyWidgetUrl(`${vector.stringToSign.replace('C86002201', 'C86002202')}&signature=${vector.signature}`, key);
    expect(tampered).toMatchObject({ valid: false, failure: 'mismatch' });
    expect(tampered.reason).toMatch(/changed after signing, or signed with another secret key/);
    expect(verifyWidgetUrl(`${vector.stringToSign}&signature=${vector.signature}`, `${key}x`).failure).toBe('mismatch');
  });

  it('names the likely cause of a mismatch', () => {
    const sign = (message: string): string => createHmac('sha256', key).update(message).digest('hex');
    const unencoded = verifyWidgetUrl(`custNo=a%2Fb&orderNo=1&signature=${sign('custNo=a/b&orderNo=1')}`, key);
    expect(unencoded.reason).toMatch(/without URL-encoding/);
    const sorted = verifyWidgetUrl(`orderNo=1&custNo=2&signature=${sign('custNo=2&orderNo=1')}`, key);
    expect(sorted.reason).toMatch(/sorted by name/);
    const plus = verifyWidgetUrl(`custNo=a+b&signature=${sign('custNo=a+b')}`, key);
    expect(plus.reason).toMatch(/%20, not \+/);
    const question = verifyWidgetUrl(`custNo=1&signature=${sign('?custNo=1')}`, key);
    expect(question.reason).toMatch(/leading "\?"/);
  });

  it('appends to a base URL that already has a query', () => {
    expect(signWidgetUrl('http://h/c?x=1', [['a', 'b']], key).url).toMatch(/^http:\/\/h\/c\?x=1&a=b&signature=[0-9a-f]{64}$/);
  });
});
