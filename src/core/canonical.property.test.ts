import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalFromBody, canonicalFromQuery, NESTED_WARNING, withTime } from './canonical.js';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.js';

// An independent model of a JSON body: the generator builds the structure, a small printer here
// writes its JSON text (escapes and whitespace chosen at random), and a straightforward
// reimplementation of the D3 rules builds the expected string to sign from the structure itself.
type Node =
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'array'; items: Node[] }
  | { kind: 'object'; entries: [string, Node][] };

const unicodeText = fc.string({ unit: fc.oneof(fc.constantFrom('a', 'Z', '0', ' ', '&', '=', '"', '\\', '/', '\n', '\u0000', 'é', '中', '\u{1F600}', '\u{10437}', '\uFB00', '\uFFFF'), fc.string({ unit: 'grapheme', maxLength: 1 })), maxLength: 8 });
const key = fc.oneof(unicodeText, fc.constantFrom('__proto__', 'constructor', 'toString', 'time', 'amount', 'a', 'B', ''));

const numberText = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n }).map((big) => big.toString()),
  fc.bigInt({ min: -(2n ** 80n), max: -(2n ** 53n) }).map((big) => big.toString()),
  fc.constantFrom('1.10', '2000.00', '1e-7', '1E-7', '-0', '0.0', '1.00000000', '9007199254740993', '1e+21', '-1.5E+300', '0.1'),
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.stringMatching(/^[0-9]{1,6}$/)).map(([whole, fraction]) => `${whole}.${fraction}`),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 30 })).map(([d, e, s, x]) => `${d}${e}${s}${x}`),
);

const scalar: fc.Arbitrary<Node> = fc.oneof(
  unicodeText.map((value) => ({ kind: 'string' as const, value })),
  fc.constant({ kind: 'string' as const, value: '' }),
  numberText.map((text) => ({ kind: 'number' as const, text })),
  fc.boolean().map((value) => ({ kind: 'boolean' as const, value })),
  fc.constant({ kind: 'null' as const }),
);

const { node } = fc.letrec<{ node: Node; array: Node; object: Node }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('node'), { maxLength: 4 }).map((items) => ({ kind: 'array' as const, items })),
  object: fc.uniqueArray(fc.tuple(key, tie('node')), { selector: ([k]) => k, maxLength: 5 }).map((entries) => ({ kind: 'object' as const, entries })),
}));

const body = fc.uniqueArray(fc.tuple(key, node), { selector: ([k]) => k, maxLength: 8 }).map((entries): Node => ({ kind: 'object', entries }));

// --- an independent JSON printer -------------------------------------------------------------

function printString(text: string, escapeAll: boolean): string {
  let out = '"';
  for (const ch of text) {
    for (let i = 0; i < ch.length; i++) {
      const code = ch.charCodeAt(i);
      if (ch === '"') out += '\\"';
      else if (ch === '\\') out += '\\\\';
      else if (code < 0x20 || (escapeAll && code > 0x7e)) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += ch[i];
    }
  }
  return `${out}"`;
}

function print(n: Node, style: { space: string; escapeAll: boolean }): string {
  const s = style.space;
  switch (n.kind) {
    case 'string':
      return printString(n.value, style.escapeAll);
    case 'number':
      return n.text;
    case 'boolean':
      return n.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'array':
      return `[${s}${n.items.map((item) => print(item, style)).join(`${s},${s}`)}${s}]`;
    case 'object':
      return `{${s}${n.entries.map(([k, v]) => `${printString(k, style.escapeAll)}${s}:${s}${print(v, style)}`).join(`${s},${s}`)}${s}}`;
  }
}

// --- the D3 rules, written out plainly -------------------------------------------------------

/** Java's String.compareTo: UTF-16 code units, then length. */
function compareUtf16(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = a.charCodeAt(i) - b.charCodeAt(i);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

function scalarText(n: Node): string {
  if (n.kind === 'string') return n.value;
  if (n.kind === 'number') return n.text;
  if (n.kind === 'boolean') return String(n.value);
  throw new Error(`not a scalar: ${n.kind}`);
}

function expectedParts(n: Node): string[] {
  if (n.kind === 'object') {
    const parts: string[] = [];
    for (const [k, v] of [...n.entries].sort((x, y) => compareUtf16(x[0], y[0]))) {
      if (v.kind === 'null') continue;
      if (v.kind === 'object' || v.kind === 'array') parts.push(...expectedParts(v));
      else parts.push(`${k}=${scalarText(v)}`);
    }
    return parts;
  }
  if (n.kind === 'array') {
    return n.items.flatMap((item) => (item.kind === 'null' ? [] : item.kind === 'object' || item.kind === 'array' ? expectedParts(item) : [scalarText(item)]));
  }
  throw new Error('top level must be an object or array');
}

function hasNested(n: Node): boolean {
  return n.kind === 'object' && n.entries.some(([, v]) => v.kind === 'object' || v.kind === 'array');
}

const style = fc.record({ space: fc.constantFrom('', ' ', '\n', '\t  '), escapeAll: fc.boolean() });

describe('canonicalFromBody agrees with a plain reimplementation of D3', () => {
  it('on generated bodies (unicode, number text, nulls, empties, booleans, nesting)', () => {
    fc.assert(
      fc.property(body, style, (generated, printing) => {
        const text = print(generated, printing);
        const result = canonicalFromBody(text);
        expect(result.ok, text).toBe(true);
        if (!result.ok) return;
        expect(result.value.canonical).toBe(expectedParts(generated).join('&'));
        expect(result.value.warnings).toEqual(hasNested(generated) ? [NESTED_WARNING] : []);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps every number exactly as written, whatever JavaScript would print', () => {
    fc.assert(
      fc.property(numberText, (text) => {
        const result = canonicalFromBody(`{"amount":${text}}`);
        expect(result).toEqual({ ok: true, value: { canonical: `amount=${text}`, warnings: [] } });
      }),
    );
  });

  it('adds the time suffix, with no leading "&" when there are no parameters', () => {
    fc.assert(
      fc.property(body, fc.bigInt({ min: 0n, max: 10n ** 16n }), (generated, time) => {
        // As the spec's pseudo-code: the suffix depends on the joined string being empty, so a
        // lone empty array item (`{"a":[""]}`) also signs as just `time=<t>`.
        const canonical = expectedParts(generated).join('&');
        const result = canonicalFromBody(print(generated, { space: '', escapeAll: false }));
        const expected = canonical === '' ? `time=${time}` : `${canonical}&time=${time}`;
        expect(result.ok && withTime(result.value.canonical, String(time))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('a webhook signed with the sorted recipe verifies as sorted, and not with another key', () => {
    fc.assert(
      fc.property(body, fc.string({ minLength: 8, maxLength: 40 }), (generated, keyText) => {
        const text = print(generated, { space: '', escapeAll: false });
        const signed = signWebhook(text, '1743060268000', keyText);
        if (!signed.ok) throw new Error(signed.error);
        const verdict = verifyWebhookSignature({ rawBody: text, time: '1743060268000', signature: signed.value.signature, key: keyText });
        expect(verdict).toMatchObject({ valid: true, recipe: 'sorted' });
        const wrongKey = verifyWebhookSignature({ rawBody: text, time: '1743060268000', signature: signed.value.signature, key: `${keyText}x` });
        expect(wrongKey.valid).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});

describe('hostile bodies', () => {
  it('a repeated key is refused (D12), however it is escaped', () => {
    fc.assert(
      fc.property(body, key, node, fc.boolean(), (generated, duplicate, value, escapeAll) => {
        if (generated.kind !== 'object') return;
        const entries: [string, Node][] = [...generated.entries.filter(([k]) => k !== duplicate), [duplicate, value], [duplicate, value]];
        const result = canonicalFromBody(print({ kind: 'object', entries }, { space: '', escapeAll }));
        expect(result).toEqual({ ok: false, error: `duplicate key ${JSON.stringify(duplicate)}` });
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json()), (text) => {
        const result = canonicalFromBody(text);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('canonicalFromQuery agrees with a plain reimplementation', () => {
  it('decodes, sorts by UTF-16 code units and keeps values raw', () => {
    const pair = fc.tuple(unicodeText.filter((k) => k !== ''), unicodeText);
    fc.assert(
      fc.property(fc.uniqueArray(pair, { selector: ([k]) => k, maxLength: 6 }), (pairs) => {
        const query = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const expected = [...pairs].sort((a, b) => compareUtf16(a[0], b[0])).map(([k, v]) => `${k}=${v}`).join('&');
        const result = canonicalFromQuery(query);
        expect(result.ok && result.value.canonical).toBe(expected);
      }),
    );
  });
});
