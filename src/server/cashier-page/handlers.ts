import { isCashierAction, redirectTarget, settle, type Settlement } from '../../core/cashier-actions.js';
import { readWidgetLink, type WidgetOrder } from '../../core/cashier-widget.js';
import { CASHIER_CSS, CASHIER_JS } from './assets.js';
import { displayUrl, renderErrorPage, renderOrderPage, renderReturnPage } from './page.js';

/** One attempt of a webhook delivery, as the emulator records it. */
export interface CashierAttempt {
  deliveryId: string;
  attempt: number;
  url: string;
  status: number | null;
  delivered: boolean;
  latencyMs: number;
  error: string | null;
  nextRetryInMs: number | null;
}

/** What the cashier needs from the emulator: its keys, its order store and its webhook sender. */
export interface CashierBackend {
  credentials: { apiKey: string; secretKey: string };
  /** Where webhooks go, when one is configured. */
  webhookUrl: string | undefined;
  /** False when the store is full and the order is not already in it. */
  hasRoomFor(orderNo: string): boolean;
  /** Records the order the page shows, waiting for payment, without sending a webhook. */
  openOrder(order: WidgetOrder): void;
  /** Moves the order to the settlement's state and sends its Payment webhook (first attempt awaited). */
  settle(order: WidgetOrder, settlement: Settlement): Promise<{ orderId: number; txId: string; delivery: { deliveryId: string; url: string; attempts: CashierAttempt[] } | null }>;
  /** Every recorded attempt of one delivery, oldest first. */
  attempts(deliveryId: string): CashierAttempt[];
  /** How many retries follow a failed first attempt. */
  retryCount: number;
}

export interface CashierRequest {
  rawQuery: string;
  bodyText: string;
  query: Map<string, string>;
  /** Lower-case names, every value as sent. */
  headers: Record<string, string[] | undefined>;
}

export type CashierReply =
  | { kind: 'text'; status: number; body: string; contentType: string; headers?: Record<string, string> }
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> };

export const CASHIER_PATHS = {
  page: '/cashier',
  demo: '/cashier/demo',
  return: '/cashier/return',
  css: '/cashier/assets/cashier.css',
  js: '/cashier/assets/cashier.js',
  action: '/_mock/cashier/action',
  deliveries: '/_mock/cashier/deliveries',
} as const;

/** Only our own stylesheet and script; no inline code, no framing, no referrer for the link's keys. */
const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

/** GET /cashier: checks the link like BlockATM's widget, then shows the order or the reason it is refused. */
export function cashierPage(request: CashierRequest, backend: CashierBackend): CashierReply {
  const link = readWidgetLink(request.rawQuery, backend.credentials);
  if (!link.ok) return html(400, renderErrorPage(link.error));
  if (backend.hasRoomFor(link.value.orderNo)) backend.openOrder(link.value);
  return html(200, renderOrderPage(link.value, request.rawQuery, backend.webhookUrl));
}

/** GET /cashier/return?txId=&status=: where the demo link sends the customer back. */
export function cashierReturn(request: CashierRequest): CashierReply {
  return html(200, renderReturnPage(request.query.get('status'), request.query.get('txId')));
}

export function cashierAsset(which: 'css' | 'js'): CashierReply {
  return which === 'css'
    ? { kind: 'text', status: 200, body: CASHIER_CSS, contentType: 'text/css; charset=utf-8', headers: { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' } }
    : { kind: 'text', status: 200, body: CASHIER_JS, contentType: 'text/javascript; charset=utf-8', headers: { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' } };
}

/**
 * POST /_mock/cashier/action `{"link": "<signed query>", "action": "pay"}`: the signed link is
 * checked again (the page holds no secret), the order is settled and its webhook sent.
 */
export async function cashierAction(request: CashierRequest, backend: CashierBackend): Promise<CashierReply> {
  // JSON only: another site's form or text/plain post cannot reach here without a CORS preflight.
  const contentType = request.headers['content-type']?.[0]?.split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') return jsonError(415, 'Content-Type', 'send the action as application/json');
  let input: unknown;
  try {
    input = JSON.parse(request.bodyText);
  } catch {
    return jsonError(400, null, 'the body must be JSON: {"link": "<the signed query>", "action": "pay"}');
  }
  const { link, action } = (typeof input === 'object' && input !== null ? input : {}) as { link?: unknown; action?: unknown };
  if (typeof link !== 'string') return jsonError(400, 'link', 'give the signed link\'s query string as "link"');
  if (!isCashierAction(action)) return jsonError(400, 'action', 'must be one of pay, underpay, cancel, expire');
  const order = readWidgetLink(link, backend.credentials);
  if (!order.ok) return jsonError(400, order.error.field, `${order.error.title}: ${order.error.detail}`);
  if (!backend.hasRoomFor(order.value.orderNo)) return jsonError(503, null, 'the emulator holds too many orders; restart it');
  const settlement = settle(order.value, action);
  const result = await backend.settle(order.value, settlement);
  const delivery = result.delivery ? deliveryView(result.delivery.deliveryId, result.delivery.url, result.delivery.attempts, backend.retryCount) : null;
  return {
    kind: 'json',
    status: 200,
    body: {
      order: { id: result.orderId, orderNo: order.value.orderNo, status: settlement.status, amount: order.value.amount, paidAmount: settlement.paidAmount, currency: order.value.currency, txId: result.txId },
      expectation: settlement.expectation,
      delivery,
      redirect: order.value.redirectUrl ? redirectTarget(order.value.redirectUrl, result.txId, settlement.redirectStatus) : null,
      redirectStatus: settlement.redirectStatus,
    },
  };
}

/** GET /_mock/cashier/deliveries?id=…: every attempt of one delivery so far, for live updates. */
export function cashierDeliveries(request: CashierRequest, backend: CashierBackend): CashierReply {
  const id = request.query.get('id') ?? '';
  if (!/^[\w-]{1,64}$/.test(id)) return jsonError(400, 'id', 'give the deliveryId the action returned');
  const attempts = backend.attempts(id);
  if (attempts.length === 0) return jsonError(404, 'id', `no delivery ${id}`);
  return { kind: 'json', status: 200, body: deliveryView(id, attempts[0]!.url, attempts, backend.retryCount) };
}

function deliveryView(deliveryId: string, url: string, attempts: CashierAttempt[], retryCount: number): unknown {
  const last = attempts[attempts.length - 1];
  const delivered = attempts.some((attempt) => attempt.delivered);
  const waiting = !delivered && last !== undefined && last.nextRetryInMs !== null;
  return {
    deliveryId,
    url: displayUrl(url),
    delivered,
    retriesPending: waiting ? Math.max(1, retryCount - (last.attempt - 1)) : 0,
    nextRetryInMs: waiting ? last.nextRetryInMs : null,
    attempts: attempts.map((attempt) => ({
      attempt: attempt.attempt,
      status: attempt.status,
      delivered: attempt.delivered,
      latencyMs: attempt.latencyMs,
      error: attempt.error,
    })),
  };
}

function html(status: number, body: string): CashierReply {
  return { kind: 'text', status, body, contentType: 'text/html; charset=utf-8', headers: PAGE_HEADERS };
}

function jsonError(status: number, field: string | null, message: string): CashierReply {
  return { kind: 'json', status, body: { error: { field, message } } };
}
