import { createPublicKey, randomBytes } from 'node:crypto';
import type { Settings } from '../../core/settings.js';
import { parseEcPrivateKey } from '../../core/signing.js';
import type { EmulatorCredentials, V1Keys } from './types.js';

export const DEMO_CASHIER_ID = '86100021';

/** BlockATM's published V1 demo keys (spec §3, V-V1-key): public, for offline use only. */
export const DEMO_V1_WEBHOOK_PRIVATE_KEY = 'MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCAaXAqWZaVeWG4zQWjAT+RqFUwMKfLIAOQQqi6a3JObrg==';
export const DEMO_V1_MERCHANT_PUBLIC_KEY = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEaB9M2IdxbRyZWEMgwSBstzeBG79w6LBDE1n/n9KQLuVSew3slRt5K2H7kwqCbpzOsuDRY4kMe8ybuaoBKy4RbA==';
/** The private half of the demo merchant key, printed in V1 demo mode so requests can be signed. */
export const DEMO_V1_MERCHANT_PRIVATE_KEY = 'MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCCk4q7HP8mNm4tl1TuFA20x5d1yeUYSyUHL7+8LHelLtg==';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function token(length: number): string {
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += ALPHABET[byte % ALPHABET.length];
  return text;
}

/** Fresh demo credentials that cannot be mistaken for real ones. */
export function generateDemoCredentials(): EmulatorCredentials {
  return { apiKey: `pk_demo_${token(32)}`, secretKey: `sk_demo_${token(32)}`, webhookKey: `whk_demo_${token(32)}`, cashierId: DEMO_CASHIER_ID };
}

export type CredentialField = keyof EmulatorCredentials;

/**
 * The credentials the emulator accepts: those resolved from flags/env/profile, with generated
 * demo values for anything not set. `demo` lists the generated fields (safe to print).
 */
export function emulatorCredentials(settings: Pick<Settings, CredentialField>): { credentials: EmulatorCredentials; demo: CredentialField[] } {
  const generated = generateDemoCredentials();
  const demo: CredentialField[] = [];
  const pick = (field: CredentialField): string => {
    const value = settings[field]?.trim();
    if (value) return value;
    demo.push(field);
    return generated[field];
  };
  const credentials = { apiKey: pick('apiKey'), secretKey: pick('secretKey'), webhookKey: pick('webhookKey'), cashierId: pick('cashierId') };
  return { credentials, demo };
}

/** V1 keys: the merchant's public key derived from their private key when set, else the demo keys. */
export function emulatorV1Keys(settings: Pick<Settings, 'v1PrivateKey'>): V1Keys {
  let merchantPublicKey = DEMO_V1_MERCHANT_PUBLIC_KEY;
  if (settings.v1PrivateKey) {
    const key = parseEcPrivateKey(settings.v1PrivateKey);
    if (key.ok) merchantPublicKey = createPublicKey(key.value).export({ format: 'der', type: 'spki' }).toString('base64');
  }
  return { merchantPublicKey, webhookPrivateKey: DEMO_V1_WEBHOOK_PRIVATE_KEY };
}

/** The demo private key to sign V1 requests with, when no V1 private key of the merchant's is set. */
export function v1DemoPrivateKey(settings: Pick<Settings, 'v1PrivateKey'>): string | null {
  return settings.v1PrivateKey && parseEcPrivateKey(settings.v1PrivateKey).ok ? null : DEMO_V1_MERCHANT_PRIVATE_KEY;
}
