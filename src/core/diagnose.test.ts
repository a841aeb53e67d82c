import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacVector } from '../../test/helpers/vectors.js';
import { diagnoseSignature, firstDifference, type NamedKey } from './diagnose.js';
import { verifyWebhookSignature } from './webhook-signature.js';

// Each case makes one mistake on purpose, the way a hand-written signer or a framework would,
// and asserts that the doctor names it.

const WEBHOOK_KEY = 'whk_test_9f3c1a7e5b2d4c6a8e0f1b3d5c7a9e1f';
const SECRET_KEY = 'sck_test_QOoPSlHDSsgXYeNyTP2i0ug1HKLRjHw9';
const API_KEY = 'pk_payment_test_my3T68cbuIXf1x3QOEbWtFEf';
const KEYS: NamedKey[] = [
  { name: 'Webhook key', key: WEBHOOK_KEY },
  { name: 'secret key', key: SECRET_KEY },
  { name: 'API key', key: API_KEY },
];
const TIME = '1743060268000';
const BODY = hmacVector('V-WH-2').body!; // compact, amount "2000.00" as a string
const NUMERIC_BODY = '{"orderNo":"OrderNo_1","amount":2000.00,"fee":1.50,"status":"SUCCESS","cashierId":86100021}';
const SPACED_BODY = '{"bizOrderNo":"B1","remark":"demo for create payout order","toAddress":"0xc87d","returnUrl":"https://shop.example/done?x=1"}';

const hmac = (key: string, text: string, encoding: 'hex' | 'base64' = 'hex'): string => createHmac('sha256', key).update(text, 'utf8').digest(encoding);

/** A typical hand-written signer: JSON.parse, sort the keys, join, append the time. */
function naiveSorted(body: string, time: string, options: { sort?: boolean; encode?: (v: string) => string; withTime?: boolean } = {}): string {
  const object = JSON.parse(body) as Record<string, unknown>;
  const keys = options.sort === false ? Object.keys(object) : Object.keys(object).sort();
  const pairs = keys.filter((k) => object[k] !== null).map((k) => `${k}=${options.encode ? options.encode(String(object[k])) : String(object[k])}`);
  return options.withTime === false ? pairs.join('&') : `${pairs.join('&')}&time=${time}`;
}
const correctSorted = (body: string, time = TIME): string => naiveSorted(body, time);

function diagnose(body: string, signature: string, recipe: 'auto' | 'sorted' | 'raw' = 'auto', time = TIME) {
  const verdict = verifyWebhookSignature({ rawBody: body, time, signature, key: WEBHOOK_KEY, recipe });
  const diagnosis = diagnoseSignature({ rawBody: body, time, signature, keys: KEYS, recipe });
  return { verdict, diagnosis, first: diagnosis.findings[0] };
}

describe('the signature doctor names the mistake that reproduces a signature', () => {
  it('wrong key: the secret key instead of the Webhook key', () => {
    const { verdict, diagnosis, first } = diagnose(BODY, hmac(SECRET_KEY, correctSorted(BODY)));
    expect(verdict.valid).toBe(false);
    expect(diagnosis.explained).toBe(true);
    expect(first).toMatchObject({ mistakes: ['wrong-key'], key: 'secret key', recipe: 'sorted', difference: null });
    expect(diagnosis.summary).toContain('secret key');
    const text = JSON.stringify(diagnosis);
    for (const secret of [WEBHOOK_KEY, SECRET_KEY, API_KEY]) expect(text).not.toContain(secret);
  });

  it('wrong key: the API key instead of the Webhook key', () => {
    const { first } = diagnose(BODY, hmac(API_KEY, `${BODY}&time=${TIME}`));
    expect(first).toMatchObject({ mistakes: ['wrong-key'], key: 'API key', recipe: 'raw' });
  });

  it('body re-serialised: the signer signed a pretty-printed copy (raw recipe), and the doctor shows it', () => {
    const pretty = JSON.stringify(JSON.parse(BODY), null, 2);
    const { verdict, first } = diagnose(BODY, hmac(WEBHOOK_KEY, `${pretty}&time=${TIME}`));
    expect(verdict.valid).toBe(false);
    expect(first?.mistakes).toEqual(['re-serialised']);
    expect(first?.body).toBe(pretty);
    expect(first?.causes[0]?.explanation).toContain('pretty-printed');
    expect(first?.difference).toEqual({ byte: 1, index: 1 });
  });

  it('body re-serialised: a framework pretty-printed the body after it was signed', () => {
    const received = `${JSON.stringify(JSON.parse(BODY), null, 2)}`;
    const { first } = diagnose(received, hmac(WEBHOOK_KEY, `${BODY}&time=${TIME}`), 'raw');
    expect(first?.mistakes).toEqual(['re-serialised']);
    expect(first?.body).toBe(BODY);
  });

  it('body re-serialised: keys re-ordered', () => {
    const object = JSON.parse(BODY) as Record<string, unknown>;
    const reordered = JSON.stringify(Object.fromEntries(Object.keys(object).sort().map((k) => [k, object[k]])));
    const { first } = diagnose(BODY, hmac(WEBHOOK_KEY, `${reordered}&time=${TIME}`));
    expect(first?.mistakes).toEqual(['re-serialised']);
    expect(first?.causes[0]?.explanation).toContain('re-ordered');
    expect(first?.body).toBe(reordered);
  });

  it('numbers re-formatted: JSON.parse turned 2000.00 into 2000', () => {
    const { verdict, first } = diagnose(NUMERIC_BODY, hmac(WEBHOOK_KEY, naiveSorted(NUMERIC_BODY, TIME)));
    expect(verdict.valid).toBe(false);
    expect(first?.mistakes).toEqual(['numbers']);
    expect(first?.causes[0]?.title).toContain('2000.00 → 2000');
    const index = first!.difference!.index;
    expect(first!.expected.slice(index)).toMatch(/^\.00&/);
    expect(first!.signed.slice(index)).toMatch(/^&cashierId/);
  });

  it('recipe: a raw-recipe signature when only sorted is accepted', () => {
    const { verdict, first } = diagnose(BODY, hmac(WEBHOOK_KEY, `${BODY}&time=${TIME}`), 'sorted');
    expect(verdict.valid).toBe(false);
    expect(first).toMatchObject({ mistakes: ['recipe'], recipe: 'raw' });
  });

  it('recipe: key=value pairs left unsorted', () => {
    const { first } = diagnose(BODY, hmac(WEBHOOK_KEY, naiveSorted(BODY, TIME, { sort: false })));
    expect(first?.mistakes).toEqual(['recipe']);
    expect(first?.causes[0]?.title).toBe('keys not sorted');
  });

  it('URL-encoded values: the signer used URLSearchParams (space as +)', () => {
    const encode = (v: string): string => new URLSearchParams({ v }).toString().slice(2);
    const { first } = diagnose(SPACED_BODY, hmac(WEBHOOK_KEY, naiveSorted(SPACED_BODY, TIME, { encode })));
    expect(first?.mistakes).toEqual(['url-encoded']);
    expect(first?.signed).toContain('remark=demo+for+create+payout+order');
  });

  it('time in seconds: the signer signed Math.floor(Date.now() / 1000)', () => {
    const { first } = diagnose(BODY, hmac(WEBHOOK_KEY, correctSorted(BODY, String(Math.floor(Number(TIME) / 1000)))));
    expect(first?.mistakes).toEqual(['time-seconds']);
    expect(first?.signed.endsWith('&time=1743060268')).toBe(true);
  });

  it('time in seconds: the header carries seconds while the milliseconds were signed', () => {
    const { first } = diagnose(BODY, hmac(WEBHOOK_KEY, correctSorted(BODY, TIME)), 'auto', '1743060268');
    expect(first?.mistakes).toEqual(['time-seconds']);
  });

  it('missing &time=: only the sorted fields were signed', () => {
    const { first } = diagnose(BODY, hmac(WEBHOOK_KEY, naiveSorted(BODY, TIME, { withTime: false })));
    expect(first?.mistakes).toEqual(['missing-time']);
    expect(first?.recipe).toBe('sorted');
  });

  it('missing &time=: HMAC of the raw body alone', () => {
    const { first } = diagnose(BODY, hmac(WEBHOOK_KEY, BODY));
    expect(first).toMatchObject({ mistakes: ['missing-time'], recipe: 'raw' });
  });

  it('Base64 output instead of hex', () => {
    const { verdict, first } = diagnose(BODY, hmac(WEBHOOK_KEY, correctSorted(BODY), 'base64'));
    expect(verdict).toMatchObject({ valid: false, failure: 'malformed' });
    expect(first).toMatchObject({ mistakes: ['base64'], encoding: 'base64', difference: null });
  });

  it('upper-case hex: accepted (D5) but named', () => {
    const { verdict, first } = diagnose(BODY, hmac(WEBHOOK_KEY, correctSorted(BODY)).toUpperCase());
    expect(verdict.valid).toBe(true);
    expect(first).toMatchObject({ mistakes: ['uppercase-hex'], encoding: 'hex-upper' });
  });

  it('trailing newline: echo added one to the string to sign', () => {
    const { first } = diagnose(BODY, hmac(WEBHOOK_KEY, `${correctSorted(BODY)}\n`));
    expect(first?.mistakes).toEqual(['trailing-newline']);
    expect(first?.difference?.index).toBe(first?.expected.length);
  });

  it('trailing newline: the body checked gained one after it was signed', () => {
    const { first } = diagnose(`${BODY}\n`, hmac(WEBHOOK_KEY, `${BODY}&time=${TIME}`), 'raw');
    expect(first?.mistakes).toEqual(['trailing-newline']);
    expect(first?.body).toBe(BODY);
  });

  it('names two mistakes at once: the secret key and seconds', () => {
    const { first } = diagnose(BODY, hmac(SECRET_KEY, correctSorted(BODY, '1743060268')));
    expect(first?.mistakes.sort()).toEqual(['time-seconds', 'wrong-key']);
  });

  it('says plainly when no known mistake reproduces the signature', () => {
    const { diagnosis } = diagnose(BODY, hmac('some-other-key', correctSorted(BODY)));
    expect(diagnosis.explained).toBe(false);
    expect(diagnosis.findings).toEqual([]);
    expect(diagnosis.summary).toContain('no known mistake');
    expect(diagnosis.keysTried).toEqual(['Webhook key', 'secret key', 'API key']);
    expect(diagnosis.candidatesTried).toBeGreaterThan(30);
  });

  it('a correct signature has no findings', () => {
    expect(diagnose(BODY, hmac(WEBHOOK_KEY, correctSorted(BODY))).diagnosis.findings).toEqual([]);
  });
});

describe('firstDifference', () => {
  it('counts UTF-8 bytes, not characters', () => {
    expect(firstDifference('a=é&b=1', 'a=é&b=2')).toEqual({ byte: 7, index: 6 });
    expect(firstDifference('k=😀x', 'k=😀y')).toEqual({ byte: 6, index: 4 });
    expect(firstDifference('k=😀', 'k=😁')).toEqual({ byte: 2, index: 2 });
    expect(firstDifference('same', 'same')).toBeNull();
    expect(firstDifference('abc', 'abcd')).toEqual({ byte: 3, index: 3 });
  });
});
