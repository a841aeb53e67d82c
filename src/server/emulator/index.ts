import { createPublicKey } from 'node:crypto';
import { systemClock, type Clock } from '../../context.js';
import type { RequestVerifier } from '../../core/api-rules.js';
import { createRateLimiter } from '../../core/rate-limit.js';
import { maskSecret } from '../../core/settings.js';
import { ecdsaSignBase64, parseEcPrivateKey, parseEcPublicKey } from '../../core/signing.js';
import type { EventKind } from '../../core/status.js';
import { buildDelivery } from '../../core/webhook-payload.js';
import { EVENT_HEADER, SIGNATURE_HEADER_V1, TIME_HEADER, webhookStringToSign } from '../../core/webhook-signature.js';
import { CliError, ExitCode } from '../../errors.js';
import { createHttpClient } from '../../http/client.js';
import { startServer } from '../http-server.js';
import { createDispatcher, MAX_BODY_BYTES } from './dispatch.js';
import { routes as defaultRoutes } from './routes.js';
import { OrderStore, type PaymentInput, type PayoutInput } from './store.js';
import type { DeliveryAttempt, DeliveryOutcome, EmulatorCredentials, EmulatorOptions, EmulatorState, ResolvedOptions, Route } from './types.js';
import { paymentWebhook, payoutWebhook, toJson } from './views.js';
import { createDeliverer, type WebhookSigner } from './webhooks.js';

export type { DeliveryAttempt, DeliveryOutcome, EmulatorCredentials, EmulatorOptions, EmulatorState, Route } from './types.js';
export type { PaymentInput, PaymentOrder, PayoutInput, PayoutOrder } from './store.js';

export const DEFAULT_RETRY_SCHEDULE = [60_000, 300_000, 1_800_000, 7_200_000, 86_400_000];

export interface RunningEmulator {
  baseUrl: string;
  credentials: EmulatorCredentials;
  options: ResolvedOptions;
  store: OrderStore;
  createPayment: EmulatorState['createPayment'];
  createPayout: EmulatorState['createPayout'];
  /** Signs and sends any webhook body (retrying on the schedule); null without a Webhook URL. */
  deliver: EmulatorState['deliver'];
  deliveries(): DeliveryAttempt[];
  /** Stops accepting, finishes requests in flight, stops retry timers. */
  close(): Promise<void>;
}

/**
 * Starts the BlockATM emulator on a loopback port: the V2 open API with BlockATM's rules, an
 * in-memory order store, signed webhook delivery with retries, and the `/_mock` control API.
 */
export async function startEmulator(options: EmulatorOptions, routes: readonly Route[] = defaultRoutes): Promise<RunningEmulator> {
  const resolved = resolveOptions(options);
  const offset = resolved.clockOffsetMs;
  const base = options.clock ?? systemClock;
  const clock: Clock = offset === 0 ? base : { now: () => base.now() + offset };
  const credentials = { ...options.credentials };
  const log = redactingLog(options.log, credentials);
  const store = new OrderStore(credentials.cashierId);
  const client = createHttpClient({ env: options.env ?? {} });
  const deliverer = createDeliverer({
    client, clock, log,
    sign: webhookSigner(credentials, resolved),
    schedule: resolved.retrySchedule,
    speedup: resolved.retrySpeedup,
    timeoutMs: resolved.deliveryTimeoutMs,
  });

  const deliver = async (event: EventKind, payload: object, url = resolved.webhookUrl): Promise<DeliveryOutcome | null> => {
    if (!url) {
      log(`webhook ${event} not sent: no Webhook URL (start with --webhook-url, or pass webhookUrl)`);
      return null;
    }
    const orderNo = String((payload as { orderNo?: unknown; bizOrderNo?: unknown }).orderNo ?? (payload as { bizOrderNo?: unknown }).bizOrderNo ?? '');
    return deliverer.deliver(event, orderNo, toJson(payload), url);
  };
  const state: EmulatorState = {
    credentials, options: resolved, clock, store, baseUrl: '', log,
    deliver,
    deliveries: () => deliverer.attempts(),
    async createPayment(input: PaymentInput) {
      const order = store.upsertPayment(input, clock.now());
      const delivery = await deliver('Payment', paymentWebhook(order, resolved.intStatus), input.webhookUrl);
      return { order: { ...order }, delivery };
    },
    async createPayout(input: PayoutInput) {
      const order = store.settlePayout(input, clock.now());
      const delivery = await deliver('Payout', payoutWebhook(order), input.webhookUrl);
      return { order: { ...order }, delivery };
    },
  };

  const verifier: RequestVerifier = resolved.v1 ? { version: 'v1', publicKey: resolved.v1.merchantPublicKey } : { version: 'v2', secretKey: credentials.secretKey };
  const limiter = createRateLimiter(resolved.rateLimitPerMinute);
  const server = await startServer({
    host: resolved.host,
    port: resolved.port,
    handler: createDispatcher(state, routes, limiter, verifier),
    limits: {
      maxBodyBytes: MAX_BODY_BYTES,
      ...(options.timeouts?.headersTimeoutMs ? { headersTimeoutMs: options.timeouts.headersTimeoutMs } : {}),
      ...(options.timeouts?.requestTimeoutMs ? { requestTimeoutMs: options.timeouts.requestTimeoutMs } : {}),
    },
    onError: (error) => log(`internal error: ${error instanceof Error ? error.message : String(error)}`),
  }).catch(async (error: unknown) => {
    await client.close();
    throw error;
  });
  state.baseUrl = server.origin;

  let closing: Promise<void> | undefined;
  return {
    baseUrl: server.origin,
    credentials,
    options: resolved,
    store,
    createPayment: state.createPayment,
    createPayout: state.createPayout,
    deliver,
    deliveries: state.deliveries,
    close() {
      closing ??= (async () => {
        await server.close();
        await deliverer.close();
        await client.close();
      })();
      return closing;
    },
  };
}

/**
 * A log that can never print a key: any credential that reaches a line (a query string, an
 * echoed header) is replaced by its masked form, raw or URL-encoded.
 */
function redactingLog(sink: ((line: string) => void) | undefined, credentials: EmulatorCredentials): (line: string) => void {
  if (!sink) return () => {};
  const secrets = [credentials.apiKey, credentials.secretKey, credentials.webhookKey].filter((secret) => secret.length >= 4);
  // Every form of every secret with its mask, worked out once rather than per line.
  const forms = secrets.flatMap((secret) => [...new Set([secret, encodeURIComponent(secret)])].map((form) => ({ form, mask: maskSecret(secret) })));
  return (line) => {
    let text = line;
    for (const { form, mask } of forms) if (text.includes(form)) text = text.split(form).join(mask);
    sink(text);
  };
}

/** Headers for one attempt: V2 HMAC with the Webhook key, or V1 ECDSA with BlockATM's key. */
function webhookSigner(credentials: EmulatorCredentials, options: ResolvedOptions): WebhookSigner {
  const v1 = options.v1;
  if (!v1) {
    return (event, body, timeMs) => buildDelivery({ event, body, webhookKey: credentials.webhookKey, timeMs, recipe: options.recipe }).headers;
  }
  return (event, body, timeMs) => {
    const built = webhookStringToSign(options.recipe, body, String(timeMs));
    if (!built.ok) throw new Error(`cannot sign webhook body: ${built.error}`);
    return {
      'Content-Type': 'application/json',
      [SIGNATURE_HEADER_V1]: ecdsaSignBase64(v1.webhookPrivateKey, built.value.stringToSign),
      [TIME_HEADER]: String(timeMs),
      [EVENT_HEADER]: event,
    };
  };
}

function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const bad = (field: string, problem: string): CliError => new CliError(`${field}: ${problem}`, { exitCode: ExitCode.usage, field });
  const schedule = options.retrySchedule ?? DEFAULT_RETRY_SCHEDULE;
  if (schedule.some((delay) => !Number.isFinite(delay) || delay < 0)) throw bad('retrySchedule', 'delays must be non-negative milliseconds');
  const speedup = options.retrySpeedup ?? 1;
  if (!(speedup > 0)) throw bad('retrySpeedup', 'must be a positive factor');
  const rate = options.rateLimitPerMinute ?? 100;
  if (!Number.isInteger(rate) || rate < 1) throw bad('rateLimitPerMinute', 'must be a positive integer');
  for (const [field, value] of Object.entries(options.credentials)) {
    if (typeof value !== 'string' || value.trim() === '') throw bad(field, 'is empty');
  }
  let v1: ResolvedOptions['v1'];
  if (options.v1) {
    const merchant = parseEcPublicKey(options.v1.merchantPublicKey);
    if (!merchant.ok) throw bad('v1PublicKey', merchant.error);
    const webhook = parseEcPrivateKey(options.v1.webhookPrivateKey);
    if (!webhook.ok) throw bad('v1WebhookPrivateKey', webhook.error);
    const webhookPublicKeyBase64 = createPublicKey(webhook.value).export({ format: 'der', type: 'spki' }).toString('base64');
    v1 = { merchantPublicKey: merchant.value, webhookPrivateKey: webhook.value, webhookPublicKeyBase64 };
  }
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    webhookUrl: options.webhookUrl,
    recipe: options.recipe ?? 'sorted',
    intStatus: options.intStatus ?? false,
    retrySchedule: [...schedule],
    retrySpeedup: speedup,
    deliveryTimeoutMs: options.deliveryTimeoutMs ?? 10_000,
    rateLimitPerMinute: rate,
    clockOffsetMs: options.clockOffsetMs ?? 0,
    requireSignAll: options.requireSignAll ?? false,
    strictV1Window: options.strictV1Window ?? false,
    v1,
  };
}
