import { createHmac, createPrivateKey, createPublicKey, createSecretKey, sign, verify, type KeyObject } from 'node:crypto';
import { fail, ok, type Result } from './result.js';


let lastKey: string | undefined;
let lastKeyObject: KeyObject | undefined;

/** The key prepared once and reused (a cache, not state): servers check every request with the same key. */
function hmacKey(key: string): KeyObject {
  if (key !== lastKey || lastKeyObject === undefined) {
    lastKeyObject = createSecretKey(key, 'utf8');
    lastKey = key;
  }
  return lastKeyObject;
}

/** HMAC-SHA256 over UTF-8, lowercase hex: BlockATM's V2 signature (D1). */
export function hmacHex(key: string, message: string): string {
  return createHmac('sha256', hmacKey(key)).update(message, 'utf8').digest('hex');
}

export type SignatureCheck = { valid: true } | { valid: false; reason: 'missing' | 'malformed' | 'mismatch' };

const VALID: SignatureCheck = Object.freeze({ valid: true });
const MALFORMED: SignatureCheck = Object.freeze({ valid: false, reason: 'malformed' });
const MISMATCH: SignatureCheck = Object.freeze({ valid: false, reason: 'mismatch' });

/** Checks a hex signature in constant time, case-insensitively (D5); malformed is not a mismatch. */
export function checkHmacHex(key: string, message: string, signature: string | undefined): SignatureCheck {
  const trimmed = signature?.trim();
  if (trimmed === undefined || trimmed === '') return { valid: false, reason: 'missing' };
  if (!isHex64(trimmed)) return MALFORMED;
  // Compared as hex text: a digest as a Buffer, decoded hex and timingSafeEqual cost a
  // listener more than the HMAC itself.
  const expected = createHmac('sha256', hmacKey(key)).update(message, 'utf8').digest('hex');
  return sameHex(expected, trimmed) ? VALID : MISMATCH;
}

/** /^[0-9a-fA-F]{64}$/ without a regular expression. */
function isHex64(text: string): boolean {
  if (text.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) continue;
    const lower = c | 0x20;
    if (lower < 0x61 || lower > 0x66) return false;
  }
  return true;
}

/**
 * Compares lower-case hex with hex of either case in constant time: every character is compared,
 * wherever the first difference is, so the time taken says nothing about the expected signature.
 */
function sameHex(expectedLower: string, given: string): boolean {
  let difference = 0;
  for (let i = 0; i < 64; i++) difference |= expectedLower.charCodeAt(i) ^ (given.charCodeAt(i) | 0x20);
  return difference === 0;
}

/** True when two hex signatures are equal (constant time, case-insensitive). */
export function hexSignaturesEqual(a: string, b: string): boolean {
  return isHex64(a) && isHex64(b) && sameHex(a.toLowerCase(), b);
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Reads a V1 EC private key: Base64 of PKCS#8 DER, no PEM armour (as BlockATM's demo prints it). */
export function parseEcPrivateKey(base64Der: string): Result<KeyObject> {
  return parseEcKey(base64Der, 'private');
}

/** Reads a V1 EC public key: Base64 of X.509 SubjectPublicKeyInfo DER. */
export function parseEcPublicKey(base64Der: string): Result<KeyObject> {
  return parseEcKey(base64Der, 'public');
}

function parseEcKey(base64Der: string, kind: 'private' | 'public'): Result<KeyObject> {
  const text = base64Der.trim();
  if (text.startsWith('-----BEGIN')) return fail('paste the Base64 between the PEM lines, without the -----BEGIN/END----- lines');
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact)) return fail('not Base64 (expected Base64 of DER, as the BlockATM dashboard shows it)');
  try {
    const der = Buffer.from(compact, 'base64');
    const key =
      kind === 'private'
        ? createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
        : createPublicKey({ key: der, format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      return fail('not a P-256 (prime256v1) EC key');
    }
    return ok(key);
  } catch {
    return fail(kind === 'private' ? 'not a PKCS#8 DER private key' : 'not an X.509 SubjectPublicKeyInfo DER public key');
  }
}

/** SHA256withECDSA, signature as Base64 of the ASN.1 DER sequence (V1). */
export function ecdsaSignBase64(privateKey: KeyObject, message: string): string {
  return sign('sha256', Buffer.from(message, 'utf8'), { key: privateKey, dsaEncoding: 'der' }).toString('base64');
}

export function ecdsaVerifyBase64(publicKey: KeyObject, message: string, signature: string | undefined): SignatureCheck {
  if (signature === undefined || signature.trim() === '') return { valid: false, reason: 'missing' };
  const compact = signature.trim();
  if (!BASE64.test(compact)) return { valid: false, reason: 'malformed' };
  try {
    const good = verify('sha256', Buffer.from(message, 'utf8'), { key: publicKey, dsaEncoding: 'der' }, Buffer.from(compact, 'base64'));
    return good ? { valid: true } : { valid: false, reason: 'mismatch' };
  } catch {
    return { valid: false, reason: 'malformed' };
  }
}
