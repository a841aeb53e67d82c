import { maskSecret } from '../core/settings.js';
import { formatDuration } from '../core/time.js';
import type { CredentialField } from '../server/emulator/credentials.js';
import type { RunningEmulator } from '../server/emulator/index.js';
import type { Theme } from './theme.js';

export interface MockReady {
  type: 'ready';
  baseUrl: string;
  webhookUrl: string | null;
  /** Opens the test cashier on a fresh, signed demo order (a redirect, so no key is printed). */
  cashierUrl: string;
  /** Generated demo values in full; configured secrets masked. */
  credentials: Record<CredentialField, string>;
  demoCredentials: CredentialField[];
  signatureVersion: 'v1' | 'v2';
  /** V1 only: BlockATM's public key that verifies the emulator's webhooks. */
  v1WebhookPublicKey: string | null;
  /** V1 demo mode only: the merchant private key the emulator expects requests to be signed with. */
  v1DemoPrivateKey: string | null;
  recipe: string;
  intStatus: boolean;
  rateLimitPerMinute: number;
  retrySchedule: number[];
  retrySpeedup: number;
  clockOffsetMs: number;
}

/** The ready object: what a script needs to talk to the emulator, and no configured secret. */
export function mockReady(emulator: RunningEmulator, demo: CredentialField[], v1DemoPrivateKey: string | null = null): MockReady {
  const show = (field: CredentialField): string => (field === 'cashierId' || demo.includes(field) ? emulator.credentials[field] : maskSecret(emulator.credentials[field]));
  const { options } = emulator;
  return {
    type: 'ready',
    baseUrl: emulator.baseUrl,
    webhookUrl: options.webhookUrl ?? null,
    cashierUrl: `${emulator.baseUrl}/cashier/demo`,
    credentials: { apiKey: show('apiKey'), secretKey: show('secretKey'), webhookKey: show('webhookKey'), cashierId: show('cashierId') },
    demoCredentials: demo,
    signatureVersion: options.v1 ? 'v1' : 'v2',
    v1WebhookPublicKey: options.v1?.webhookPublicKeyBase64 ?? null,
    v1DemoPrivateKey: options.v1 ? v1DemoPrivateKey : null,
    recipe: options.recipe,
    intStatus: options.intStatus,
    rateLimitPerMinute: options.rateLimitPerMinute,
    retrySchedule: options.retrySchedule,
    retrySpeedup: options.retrySpeedup,
    clockOffsetMs: options.clockOffsetMs,
  };
}

export function renderBanner(theme: Theme, ready: MockReady): string {
  const demo = (field: CredentialField): string => (ready.demoCredentials.includes(field) ? theme.dim('  (demo)') : '');
  const lines = [
    `${theme.ok('BlockATM emulator')} listening on ${theme.bold(ready.baseUrl)}  (${ready.signatureVersion === 'v1' ? 'V1 ECDSA' : 'V2 HMAC-SHA256'})`,
    `  API key       ${ready.credentials.apiKey}${demo('apiKey')}`,
    `  Secret key    ${ready.credentials.secretKey}${demo('secretKey')}`,
    `  Webhook key   ${ready.credentials.webhookKey}${demo('webhookKey')}`,
    `  Cashier ID    ${ready.credentials.cashierId}${demo('cashierId')}`,
    `  Webhook URL   ${ready.webhookUrl ?? theme.warn('(none: set --webhook-url to receive webhooks)')}`,
    `  Webhooks      ${ready.recipe} recipe, ${ready.intStatus ? 'integer' : 'string'} statuses, ${ready.retrySchedule.length ? `retries after ${ready.retrySchedule.map((ms) => formatDuration(ms / ready.retrySpeedup)).join(', ')}` : 'no retries'}`,
    `  Test cashier  ${theme.bold(ready.cashierUrl)}  ${theme.dim('(open in a browser: pay, underpay, cancel or expire an order)')}`,
    `  Rate limit    ${ready.rateLimitPerMinute}/min per API key${ready.clockOffsetMs ? `, clock offset ${ready.clockOffsetMs} ms` : ''}`,
  ];
  if (ready.v1WebhookPublicKey) lines.push(`  V1 webhook public key  ${ready.v1WebhookPublicKey}`);
  if (ready.v1DemoPrivateKey) lines.push(`  V1 demo private key    ${ready.v1DemoPrivateKey}${theme.dim('  (demo: sign V1 requests with it)')}`);
  if (ready.demoCredentials.length > 0) lines.push(theme.dim('  Demo values were generated for what is not configured; point your app at this base URL with them.'));
  lines.push(
    '',
    `  try: curl ${ready.baseUrl}/admin/api/v2/pub/allNetworks`,
    `       curl -X POST ${ready.baseUrl}/_mock/payments -H 'Content-Type: application/json' -d '{"status":"SUCCESS"}'`,
    `       curl ${ready.baseUrl}/_mock/deliveries`,
    'Press Ctrl-C to stop.',
  );
  return lines.join('\n');
}

export function renderLogLine(theme: Theme, line: string): string {
  return `${theme.dim(new Date().toISOString().slice(11, 19))} ${line}`;
}
