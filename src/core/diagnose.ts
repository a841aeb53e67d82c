import { createHmac, timingSafeEqual } from 'node:crypto';
import { expectedString, mistakeVariants, type Cause, type Mistake, type Variant } from './signing-mistakes.js';
import { RECIPES, type Recipe } from './webhook-signature.js';

export type { Cause, Mistake } from './signing-mistakes.js';

/** A key the doctor may try, named by its role; the value itself never leaves this module. */
export interface NamedKey {
  name: 'Webhook key' | 'secret key' | 'API key';
  key: string;
}

export type SignatureEncoding = 'hex' | 'hex-upper' | 'base64' | 'base64url';

export interface Difference {
  /** UTF-8 byte offset of the first differing byte. */
  byte: number;
  /** UTF-16 index of the first differing character. */
  index: number;
}

/** One way of making the signature: the mistakes, and the two strings to compare. */
export interface Finding {
  mistakes: Mistake[];
  causes: Cause[];
  key: NamedKey['name'];
  recipe: Recipe;
  encoding: SignatureEncoding;
  /** The correct string to sign under this recipe. */
  expected: string;
  /** The string that, signed, gives the signature checked. */
  signed: string;
  difference: Difference | null;
  /** The body as it was signed, when the mistake changed it (re-serialised, newline). */
  body?: string;
}

export interface Diagnosis {
  explained: boolean;
  /** One line: what went wrong, or that no known mistake explains it. */
  summary: string;
  findings: Finding[];
  keysTried: NamedKey['name'][];
  candidatesTried: number;
}

export interface DiagnosisInput {
  rawBody: string;
  time: string;
  signature: string;
  /** The right key first (the Webhook key), then any other key of the profile. */
  keys: NamedKey[];
  recipe?: Recipe | 'auto';
}

const ENCODING_CAUSES: Partial<Record<SignatureEncoding, Cause>> = {
  'hex-upper': {
    mistake: 'uppercase-hex',
    title: 'upper-case hex',
    explanation: 'the signature is upper-case hex; BlockATM sends lower-case, and a handler that compares strings exactly rejects one or the other',
    fix: 'output lower-case hex, and compare signatures case-insensitively in constant time (decode both, then crypto.timingSafeEqual)',
  },
  base64: {
    mistake: 'base64',
    title: 'Base64 instead of hex',
    explanation: 'the signature is the HMAC-SHA256 encoded in Base64 (44 characters); BlockATM\'s V2 signature is 64 lower-case hex characters',
    fix: 'encode the HMAC as hex: digest(\'hex\') in Node, hexdigest() in Python, Hex.encodeHexString in Java',
  },
  base64url: {
    mistake: 'base64',
    title: 'Base64url instead of hex',
    explanation: 'the signature is the HMAC-SHA256 encoded in URL-safe Base64; BlockATM\'s V2 signature is 64 lower-case hex characters',
    fix: 'encode the HMAC as hex: digest(\'hex\') in Node, hexdigest() in Python, Hex.encodeHexString in Java',
  },
};

/**
 * The signature doctor: when a webhook signature does not match, tries every known mistake
 * (each key of the profile, each re-serialisation, number format, recipe, encoding, time unit,
 * newline) and reports the ones that reproduce the signature exactly, with both strings to sign.
 */
export function diagnoseSignature(input: DiagnosisInput): Diagnosis {
  const keys = uniqueKeys(input.keys);
  const readings = readSignature(input.signature);
  const right = keys[0]?.name;
  const findings: Finding[] = [];
  let candidates = 0;
  if (readings.length > 0) {
    const forced = input.recipe === undefined || input.recipe === 'auto' ? undefined : input.recipe;
    for (const recipe of forced ? [forced, ...RECIPES.filter((r) => r !== forced)] : RECIPES) {
      const expected = expectedString(recipe, input.rawBody, input.time);
      if (expected === undefined) continue;
      const recipeCauses = forced !== undefined && recipe !== forced ? [recipeCause(forced, recipe)] : [];
      const variants: Variant[] = [{ recipe, stringToSign: expected, causes: [] }, ...mistakeVariants(recipe, input.rawBody, input.time)];
      for (const variant of variants) {
        for (const named of keys) {
          candidates += 1;
          const digest = createHmac('sha256', named.key).update(variant.stringToSign, 'utf8').digest();
          const reading = readings.find((r) => r.bytes.length === digest.length && timingSafeEqual(r.bytes, digest));
          if (!reading) continue;
          const causes = [...recipeCauses, ...variant.causes];
          if (named.name !== right) causes.push(keyCause(named.name, right));
          const encodingCause = ENCODING_CAUSES[reading.encoding];
          if (encodingCause) causes.push(encodingCause);
          if (causes.length === 0) continue;
          findings.push({
            mistakes: [...new Set(causes.map((c) => c.mistake))],
            causes,
            key: named.name,
            recipe,
            encoding: reading.encoding,
            expected,
            signed: variant.stringToSign,
            difference: firstDifference(expected, variant.stringToSign),
            ...(variant.body === undefined ? {} : { body: variant.body }),
          });
        }
      }
    }
  }
  return {
    explained: findings.length > 0,
    summary: findings.length > 0 ? `explained by: ${findings[0]!.causes.map((c) => c.title).join(' + ')}` : unexplained(keys, readings.length > 0),
    findings,
    keysTried: keys.map((k) => k.name),
    candidatesTried: candidates,
  };
}

/** Where two strings first differ, in UTF-8 bytes and UTF-16 units; null when equal. */
export function firstDifference(a: string, b: string): Difference | null {
  if (a === b) return null;
  let index = 0;
  while (index < a.length && index < b.length && a.charCodeAt(index) === b.charCodeAt(index)) index += 1;
  // Step back to the start of a surrogate pair so the byte offset lands on a character.
  if (index > 0 && /[\uD800-\uDBFF]/.test(a.charAt(index - 1))) index -= 1;
  return { byte: Buffer.byteLength(a.slice(0, index), 'utf8'), index };
}

interface Reading {
  encoding: SignatureEncoding;
  bytes: Buffer;
}

/** Every way the given signature text can be read as 32 bytes. */
function readSignature(signature: string): Reading[] {
  const text = signature.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return [{ encoding: /[A-F]/.test(text) ? 'hex-upper' : 'hex', bytes: Buffer.from(text, 'hex') }];
  const readings: Reading[] = [];
  if (/^[A-Za-z0-9+/]{43}=?$/.test(text)) readings.push({ encoding: 'base64', bytes: Buffer.from(text, 'base64') });
  if (/^[A-Za-z0-9_-]{43}=?$/.test(text) && /[_-]/.test(text)) readings.push({ encoding: 'base64url', bytes: Buffer.from(text, 'base64url') });
  return readings.filter((r) => r.bytes.length === 32);
}

function uniqueKeys(keys: NamedKey[]): NamedKey[] {
  const seen = new Set<string>();
  return keys.filter((named) => {
    const key = named.key.trim();
    if (key === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  }).map((named) => ({ name: named.name, key: named.key.trim() }));
}

function keyCause(used: NamedKey['name'], right: NamedKey['name'] | undefined): Cause {
  const role = used === 'secret key' ? 'the secret key (integration key), which signs API requests' : 'the API key (integration public key), which is sent in a header and is not a signing key';
  return {
    mistake: 'wrong-key',
    title: `signed with the ${used}, not the ${right ?? 'Webhook key'}`,
    explanation: `the signature was made with ${role}; BlockATM signs webhooks with the Webhook key`,
    fix: 'use the Webhook key from Cashier → Integration to sign and verify webhooks; if the profile has the keys swapped, fix them with "cashier-check init"',
  };
}

function recipeCause(forced: Recipe, used: Recipe): Cause {
  return {
    mistake: 'recipe',
    title: `${used} recipe, not ${forced}`,
    explanation: `the signature uses the ${used} recipe (${used === 'raw' ? 'raw body + &time=' : 'sorted key=value + &time='}), but only the ${forced} recipe was accepted; BlockATM's docs describe both`,
    fix: 'accept both recipes: run verify without --recipe, and in your handler try sorted key=value first, then the raw body',
  };
}

function unexplained(keys: NamedKey[], readable: boolean): string {
  if (!readable) return 'the signature is neither 64 hex characters nor Base64 of a SHA-256 HMAC, so no recipe can produce it';
  const others = keys.length > 1 ? `, also with the ${keys.slice(1).map((k) => k.name).join(' and ')}` : '';
  return `no known mistake reproduces this signature (tried every variant with the ${keys[0]?.name ?? 'Webhook key'}${others}): the key may differ from the profile's, or the body or time changed in transit`;
}
