import type { KeyObject } from 'node:crypto';
import type { Clock } from '../../context.js';
import type { JsonObject } from '../../core/json.js';
import type { EventKind } from '../../core/status.js';
import type { Recipe } from '../../core/webhook-signature.js';
import type { OrderStore, PaymentInput, PaymentOrder, PayoutInput, PayoutOrder } from './store.js';

export interface EmulatorCredentials {
  apiKey: string;
  secretKey: string;
  webhookKey: string;
  cashierId: string;
}

/** V1 (ECDSA) mode keys, Base64 DER as BlockATM's dashboard shows them. */
export interface V1Keys {
  /** The merchant's public key (SPKI) that verifies their signed requests. */
  merchantPublicKey: string;
  /** BlockATM's private key (PKCS#8) that signs webhooks; merchants verify with its public key. */
  webhookPrivateKey: string;
}

export interface EmulatorOptions {
  host?: string;
  /** 0 (the default here) picks a free port; the mock command defaults to 4010. */
  port?: number;
  credentials: EmulatorCredentials;
  webhookUrl?: string;
  recipe?: Recipe;
  /** Webhook `status` as BlockATM's legacy integer codes instead of names. */
  intStatus?: boolean;
  /** Delays between delivery attempts in ms (default 1 min, 5 min, 30 min, 2 h, 24 h). */
  retrySchedule?: number[];
  /** Divides every retry delay, so tests need not wait minutes. */
  retrySpeedup?: number;
  /** Per-attempt webhook timeout (default 10 s). */
  deliveryTimeoutMs?: number;
  rateLimitPerMinute?: number;
  /** The emulator's clock runs this far ahead (or behind, negative) of the real one. */
  clockOffsetMs?: number;
  clock?: Clock;
  v1?: V1Keys;
  /** Also require signatures on cashier/info and the payorder queries. */
  requireSignAll?: boolean;
  /** Reject any timestamp ahead of the clock (V1's rule) instead of allowing 1 s. */
  strictV1Window?: boolean;
  /** Environment for the webhook HTTP client (proxy variables). */
  env?: Record<string, string | undefined>;
  /** Slow-client limits (header and whole-request timeouts); the body cap stays 1 MiB. */
  timeouts?: { headersTimeoutMs?: number; requestTimeoutMs?: number };
  /** One readable line per request and delivery; never contains a secret. */
  log?: (line: string) => void;
}

/** One webhook delivery attempt, as `GET /_mock/deliveries` lists it. */
export interface DeliveryAttempt {
  deliveryId: string;
  attempt: number;
  event: EventKind;
  orderNo: string;
  url: string;
  requestTime: string;
  sentAt: string;
  /** The HTTP status answered, or null when no answer came. */
  status: number | null;
  delivered: boolean;
  latencyMs: number;
  responseExcerpt: string;
  /** dns, refused, timeout, tls, reset, http or null. */
  errorKind: string | null;
  error: string | null;
  /** Delay before the next attempt, null when this was the last. */
  nextRetryInMs: number | null;
}

export interface DeliveryOutcome {
  deliveryId: string;
  url: string;
  delivered: boolean;
  attempts: DeliveryAttempt[];
}

/** Everything a route handler may use: the emulator's state and powers. */
export interface EmulatorState {
  readonly credentials: EmulatorCredentials;
  readonly options: ResolvedOptions;
  readonly clock: Clock;
  readonly store: OrderStore;
  /** Set once the server listens. */
  baseUrl: string;
  /** Signs and sends a webhook (retrying on the schedule); resolves after the first attempt. */
  deliver(event: EventKind, payload: object, url?: string): Promise<DeliveryOutcome | null>;
  deliveries(): DeliveryAttempt[];
  createPayment(input: PaymentInput): Promise<{ order: PaymentOrder; delivery: DeliveryOutcome | null }>;
  createPayout(input: PayoutInput): Promise<{ order: PayoutOrder; delivery: DeliveryOutcome | null }>;
  log(line: string): void;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  webhookUrl: string | undefined;
  recipe: Recipe;
  intStatus: boolean;
  retrySchedule: number[];
  retrySpeedup: number;
  deliveryTimeoutMs: number;
  rateLimitPerMinute: number;
  clockOffsetMs: number;
  requireSignAll: boolean;
  strictV1Window: boolean;
  v1: { merchantPublicKey: KeyObject; webhookPrivateKey: KeyObject; webhookPublicKeyBase64: string } | undefined;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/**
 * How BlockATM guards a route: `public` (no key), `key` (API key; signed too with
 * --require-sign-all), `signed` (API key + signature + window), `control` (the emulator's own).
 */
export type Access = 'public' | 'key' | 'signed' | 'control';

export interface EmulatorRequest {
  method: string;
  path: string;
  /** The raw query string without `?`. */
  rawQuery: string;
  /** Decoded query parameters (first value of each). */
  query: Map<string, string>;
  /** Lower-case names, every value as sent. */
  headers: Record<string, string[]>;
  body: Buffer;
  /** The body as UTF-8 text (empty when there is none). */
  bodyText: string;
  /** The body parsed losslessly, when it is a JSON object. */
  jsonBody?: JsonObject;
  remoteAddress: string;
}

export type EmulatorReply =
  | { kind: 'envelope'; httpStatus?: number; code: string; msg: string; data?: unknown; headers?: Record<string, string> }
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'text'; status: number; body: string; contentType: string; headers?: Record<string, string> };

export interface Route {
  method: HttpMethod;
  path: string;
  access: Access;
  handler(request: EmulatorRequest, emulator: EmulatorState): Promise<EmulatorReply> | EmulatorReply;
}
