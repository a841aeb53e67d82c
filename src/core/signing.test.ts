import { describe, expect, it } from 'vitest';
import { vectors, hmacVector } from '../../test/helpers/vectors.js';
import { canonicalFromBody, canonicalFromQuery, withTime } from './canonical.js';
import { apiStringToSign } from './request-signing.js';
import { checkHmacHex, ecdsaSignBase64, ecdsaVerifyBase64, hexSignaturesEqual, hmacHex, parseEcPrivateKey, parseEcPublicKey } from './signing.js';
import { verifyWebhookSignature, webhookStringToSign } from './webhook-signature.js';

describe('published and derived HMAC vectors', () => {
  for (const vector of vectors.hmac) {
    it(`${vector.id}: string to sign and signature`, () => {
      let stringToSign = vector.stringToSign;
      if (vector.id === 'V-WH-1-raw') {
        const built = webhookStringToSign('raw', vector.body!, vector.time!);
        expect(built.ok && built.value.stringToSign).toBe(vector.stringToSign);
      } else if (vector.time !== undefined) {
        const built = apiStringToSign({ body: vector.body, query: vector.query, time: vector.time });
        expect(built.ok && built.value.stringToSign).toBe(vector.stringToSign);
        stringToSign = built.ok ? built.value.stringToSign : '';
      }
      expect(hmacHex(vector.key, stringToSign)).toBe(vector.signature);
      expect(checkHmacHex(vector.key, stringToSign, vector.signature.toUpperCase())).toEqual({ valid: true });
    });
  }

  it('V-WH-1 is recognised as the sorted recipe and V-WH-1-raw as the raw recipe', () => {
    for (const [id, recipe] of [['V-WH-1', 'sorted'], ['V-WH-1-raw', 'raw']] as const) {
      const vector = hmacVector(id);
      const result = verifyWebhookSignature({ rawBody: vector.body!, time: vector.time!, signature: vector.signature, key: vector.key });
      expect(result).toMatchObject({ valid: true, recipe });
    }
  });

  it('tells a missing, a malformed and a mismatching signature apart', () => {
    const vector = hmacVector('V-WH-2');
    const base = { rawBody: vector.body!, time: vector.time!, key: vector.key };
    expect(verifyWebhookSignature({ ...base, signature: undefined }).failure).toBe('missing');
    expect(verifyWebhookSignature({ ...base, signature: 'abc' }).failure).toBe('malformed');
    expect(verifyWebhookSignature({ ...base, signature: 'f'.repeat(64) }).failure).toBe('mismatch');
    expect(verifyWebhookSignature({ ...base, signature: vector.signature, recipe: 'raw' }).valid).toBe(false);
  });

  it('checks a hex signature character by character: any case, any changed digit, anything not hex', () => {
    const key = 'k'.repeat(16);
    const good = hmacHex(key, 'time=1');
    expect(checkHmacHex(key, 'time=1', good)).toEqual({ valid: true });
    expect(checkHmacHex(key, 'time=1', ` ${good.toUpperCase()}\t`)).toEqual({ valid: true });
    for (const at of [0, 31, 63]) {
      const changed = `${good.slice(0, at)}${good[at] === '0' ? '1' : '0'}${good.slice(at + 1)}`;
      expect(checkHmacHex(key, 'time=1', changed), `digit ${at}`).toEqual({ valid: false, reason: 'mismatch' });
      // 0x10 | 0x20 is "0", "G" | 0x20 is "g": neither may pass for a hex digit.
      for (const bad of ['\u0010', 'G', 'g', '@', '`', ' ', '\u0130', 'x']) {
        expect(checkHmacHex(key, 'time=1', `${good.slice(0, at)}${bad}${good.slice(at + 1)}`), `${JSON.stringify(bad)} at ${at}`).toEqual({ valid: false, reason: 'malformed' });
      }
    }
    for (const length of [0, 63, 65]) expect(checkHmacHex(key, 'time=1', 'a'.repeat(length)).valid).toBe(false);
    expect(checkHmacHex(key, 'time=1', 'a'.repeat(63))).toEqual({ valid: false, reason: 'malformed' });
    expect(hexSignaturesEqual(good, good.toUpperCase())).toBe(true);
    expect(hexSignaturesEqual(good, `${good.slice(0, 63)}${good[63] === 'a' ? 'b' : 'a'}`)).toBe(false);
    expect(hexSignaturesEqual(good, `${good.slice(0, 63)}G`)).toBe(false);
  });

  it('rejects a body with a duplicate key even when the signature matches one reading', () => {
    const body = '{"amount":"1.00","amount":"1.00"}';
    const signature = hmacHex('k'.repeat(16), withTime('amount=1.00', '1'));
    const result = verifyWebhookSignature({ rawBody: body, time: '1', signature, key: 'k'.repeat(16) });
    expect(result).toMatchObject({ valid: false, failure: 'body' });
    expect(result.reason).toContain('duplicate key');
  });

  it('rejects a duplicate key with two different values, whichever reading was signed', () => {
    const key = 'k'.repeat(16);
    const body = '{"amount":"1.00","amount":"9999.00"}';
    for (const [recipe, stringToSign] of [['sorted', withTime('amount=9999.00', '1')], ['raw', `${body}&time=1`]] as const) {
      const result = verifyWebhookSignature({ rawBody: body, time: '1', signature: hmacHex(key, stringToSign), key });
      expect(result, recipe).toMatchObject({ valid: false, failure: 'body' });
      expect(result.reason).toContain('duplicate key "amount"');
    }
  });
});

describe('V1 ECDSA vectors', () => {
  for (const vector of vectors.ecdsa) {
    it(`${vector.id}: fixed signature verifies over the canonical string`, () => {
      const canonical = canonicalFromBody(vector.body);
      expect(canonical.ok && withTime(canonical.value.canonical, vector.time)).toBe(vector.stringToSign);
      const publicKey = parseEcPublicKey(vector.publicKey);
      if (!publicKey.ok) throw new Error(publicKey.error);
      expect(ecdsaVerifyBase64(publicKey.value, vector.stringToSign, vector.signature)).toEqual({ valid: true });
      expect(ecdsaVerifyBase64(publicKey.value, `${vector.stringToSign}0`, vector.signature)).toEqual({ valid: false, reason: 'mismatch' });
    });
  }

  it('signs and verifies a round trip with the demo private key', () => {
    const vector = vectors.ecdsa[0]!;
    const privateKey = parseEcPrivateKey(vector.privateKey!);
    const publicKey = parseEcPublicKey(vector.publicKey);
    if (!privateKey.ok || !publicKey.ok) throw new Error('demo keys must parse');
    const signature = ecdsaSignBase64(privateKey.value, vector.stringToSign);
    expect(ecdsaVerifyBase64(publicKey.value, vector.stringToSign, signature)).toEqual({ valid: true });
  });

  it('explains malformed keys', () => {
    expect(parseEcPublicKey('-----BEGIN PUBLIC KEY-----')).toMatchObject({ ok: false });
    expect(parseEcPublicKey('not base64!')).toMatchObject({ ok: false, error: expect.stringContaining('Base64') });
    expect(parseEcPrivateKey('AAAA')).toMatchObject({ ok: false, error: expect.stringContaining('PKCS#8') });
  });
});

describe('canonical form edges', () => {
  it('keeps number text, skips null, keeps empty strings', () => {
    const result = canonicalFromBody('{"b":1.10,"a":-0,"c":1e-7,"d":null,"e":"","f":123456789012345678901234567890}');
    expect(result).toEqual({ ok: true, value: { canonical: 'a=-0&b=1.10&c=1e-7&e=&f=123456789012345678901234567890', warnings: [] } });
  });

  it('flattens nested values as the Java demo does, with a warning', () => {
    const result = canonicalFromBody('{"z":1,"list":[{"b":2,"a":1},3,null,[4]],"obj":{"y":"x"}}');
    expect(result.ok && result.value.canonical).toBe('a=1&b=2&3&4&y=x&z=1');
    expect(result.ok && result.value.warnings).toHaveLength(1);
  });

  it('treats __proto__ and constructor as ordinary keys', () => {
    const result = canonicalFromBody('{"__proto__":"p","constructor":"c"}');
    expect(result.ok && result.value.canonical).toBe('__proto__=p&constructor=c');
    expect(({} as Record<string, unknown>).p).toBeUndefined();
  });

  it('rejects non-objects and duplicate keys, and reports bad JSON', () => {
    expect(canonicalFromBody('[1]')).toMatchObject({ ok: false });
    expect(canonicalFromBody('{"a":1,"a":1}')).toMatchObject({ ok: false, error: 'duplicate key "a"' });
    expect(canonicalFromBody('{"a":1,"\\u0061":1}')).toMatchObject({ ok: false, error: 'duplicate key "a"' });
    expect(canonicalFromBody('{"a":')).toMatchObject({ ok: false });
  });

  it('sorts and decodes query parameters', () => {
    expect(canonicalFromQuery('?b=2&a=x+y%26z')).toEqual({ ok: true, value: { canonical: 'a=x y&z&b=2', warnings: [] } });
    expect(canonicalFromQuery('a=%E0%A4%A')).toMatchObject({ ok: false });
  });
});
