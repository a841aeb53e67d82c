import { createHmac } from 'node:crypto';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/server/emulator/index.js';

export const CREDENTIALS = {
  apiKey: 'pk_test_emulator_0001',
  secretKey: 'sck_test_secret_0001',
  webhookKey: 'whk_test_webhook_0001',
  cashierId: '86100021',
};

/** A clock the test moves by hand. */
export function manualClock(start = 1_760_000_000_000): { now(): number; set(ms: number): void; advance(ms: number): void } {
  let current = start;
  return { now: () => current, set: (ms) => (current = ms), advance: (ms) => (current += ms) };
}

/** An emulator on a free loopback port with the test credentials. */
export function emulator(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  return startEmulator({ host: '127.0.0.1', port: 0, credentials: CREDENTIALS, ...options });
}

/** The keys a CLI run is given through its environment. */
export interface CliKeys {
  CASHIER_CHECK_API_KEY: string;
  CASHIER_CHECK_SECRET_KEY: string;
  CASHIER_CHECK_WEBHOOK_KEY: string;
}

/** An emulator on a free loopback port that accepts the keys the CLI runs under test are given. */
export function emulatorFor(keys: CliKeys, options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  const credentials = { apiKey: keys.CASHIER_CHECK_API_KEY, secretKey: keys.CASHIER_CHECK_SECRET_KEY, webhookKey: keys.CASHIER_CHECK_WEBHOOK_KEY, cashierId: '91' };
  return emulator({ credentials, ...options });
}

/** Plain HMAC-SHA256 hex, written here so tests do not lean on the code under test. */
export function hmacHex(key: string, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export async function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const headers = { ...init.headers };
  // fetch would label a string body text/plain; BlockATM clients send JSON.
  if (init.body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  const response = await fetch(url, { method: init.method ?? 'GET', headers, body: init.body });
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Headers for a signed call: the string to sign is given by the test, written out by hand. */
export function signedHeaders(stringToSign: string, time: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'BlockATM-API-Key': CREDENTIALS.apiKey,
    'BlockATM-Request-Time': String(time),
    'BlockATM-Signature-V2': hmacHex(CREDENTIALS.secretKey, stringToSign),
    ...extra,
  };
}
