import { isLosslessNumber, type JsonObject } from '../../core/json.js';
import { PAYMENT_STATUS_CODES, PAYMENT_STATUSES, type PaymentStatus } from '../../core/status.js';
import { parseHttpUrl } from '../../core/validate.js';
import { fail, ok, type Result } from '../../core/result.js';
import { networkFor, tokenFor } from './reference-data.js';
import { controlError, json } from './reply.js';
import type { PaymentInput, PayoutInput } from './store.js';
import type { EmulatorReply, EmulatorRequest, EmulatorState, Route } from './types.js';

/** The emulator's own control API: create orders (delivering webhooks) and inspect deliveries. */
export const controlRoutes: readonly Route[] = [
  { method: 'POST', path: '/_mock/payments', access: 'control', handler: orderCreator(parsePaymentInput, (emulator, input) => emulator.createPayment(input)) },
  { method: 'POST', path: '/_mock/payouts', access: 'control', handler: orderCreator(parsePayoutInput, (emulator, input) => emulator.createPayout(input)) },
  { method: 'GET', path: '/_mock/deliveries', access: 'control', handler: listDeliveries },
  { method: 'GET', path: '/_mock/orders', access: 'control', handler: listOrders },
  { method: 'GET', path: '/_mock/health', access: 'control', handler: () => json(200, { ok: true }) },
];

const NO_WEBHOOK_URL = 'no Webhook URL is set, so no webhook was sent: start mock with --webhook-url <url>, or add "webhookUrl" to this request';

/** An order created without a Webhook URL says so, rather than leaving `delivery: null` to guess. */
function withDeliveryNote<T extends { delivery: unknown }>(created: T): T | (T & { note: string }) {
  return created.delivery === null ? { ...created, note: NO_WEBHOOK_URL } : created;
}

/**
 * A control route that reads a body with `parse`, then creates the order (delivering its
 * webhook) with `create`: a bad field is a 400 naming it, a full store a 503.
 */
function orderCreator<I>(parse: (body: JsonObject) => Result<I, FieldError>, create: (emulator: EmulatorState, input: I) => Promise<{ delivery: unknown }>): Route['handler'] {
  return async (request, emulator) => {
    const body = bodyOf(request);
    if (!body.ok) return controlError(400, null, body.error);
    const input = parse(body.value);
    if (!input.ok) return controlError(400, input.error.field, input.error.message);
    if (emulator.store.full) return controlError(503, null, 'the emulator holds too many orders; restart it');
    return json(200, withDeliveryNote(await create(emulator, input.value)));
  };
}

/** Every attempt, oldest first; `?deliveryId=` or `?orderNo=` narrows the list. */
function listDeliveries(request: EmulatorRequest, emulator: EmulatorState): EmulatorReply {
  const deliveryId = request.query.get('deliveryId');
  const orderNo = request.query.get('orderNo');
  const deliveries = emulator.deliveries().filter((attempt) => (!deliveryId || attempt.deliveryId === deliveryId) && (!orderNo || attempt.orderNo === orderNo));
  return json(200, { deliveries });
}

function listOrders(_request: EmulatorRequest, emulator: EmulatorState): EmulatorReply {
  return json(200, { payments: [...emulator.store.payments.values()], payouts: [...emulator.store.payouts.values()] });
}

/** An optional JSON object body: empty means all defaults. */
function bodyOf(request: EmulatorRequest): Result<JsonObject> {
  if (request.jsonBody) return ok(request.jsonBody);
  if (request.bodyText.trim() === '') return ok({});
  return fail('the body must be a JSON object, e.g. {"status":"SUCCESS","amount":"25.00"}');
}

type FieldError = { field: string; message: string };
type Text = { field: string; pattern?: RegExp; hint: string };

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const DECIMAL = /^\d{1,20}(\.\d{1,18})?$/;

function readFields(body: JsonObject, fields: Record<string, Text>): Result<Record<string, string>, FieldError> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(body)) {
    if (!(key in fields)) return fail({ field: key, message: `unknown field "${key.slice(0, 40)}"; known fields: ${Object.keys(fields).join(', ')}` });
  }
  for (const [key, rule] of Object.entries(fields)) {
    const value = body[key];
    if (value === undefined || value === null) continue;
    const text = typeof value === 'string' ? value : isLosslessNumber(value) ? value.value : undefined;
    if (text === undefined || (rule.pattern && !rule.pattern.test(text))) return fail({ field: key, message: `${key}: ${rule.hint}` });
    out[key] = text;
  }
  return ok(out);
}

const COMMON: Record<string, Text> = {
  custNo: { field: 'custNo', pattern: ID, hint: 'letters, digits, _ or -, at most 64' },
  amount: { field: 'amount', pattern: DECIMAL, hint: 'a positive decimal such as "25.00"' },
  symbol: { field: 'symbol', pattern: /^[A-Z0-9]{2,10}$/, hint: 'a token symbol such as USDT' },
  chainId: { field: 'chainId', pattern: /^[0-9a-fx]{1,20}$/, hint: 'a chain id from allNetworks, e.g. 11155111' },
  webhookUrl: { field: 'webhookUrl', hint: 'an http(s) URL' },
  status: { field: 'status', hint: 'see the allowed statuses' },
};

/** Validates a `POST /_mock/payments` body; every problem names its field. */
export function parsePaymentInput(body: JsonObject): Result<PaymentInput, FieldError> {
  const read = readFields(body, { ...COMMON, orderNo: { field: 'orderNo', pattern: ID, hint: 'letters, digits, _ or -, at most 64' }, orderType: { field: 'orderType', pattern: /^[123]$/, hint: '1 (wallet), 2 (QR) or 3 (transfer)' } });
  if (!read.ok) return read;
  const fields = read.value;
  let status: PaymentStatus | undefined;
  if (fields.status !== undefined) {
    const name = PAYMENT_STATUS_CODES[fields.status] ?? fields.status.toUpperCase();
    if (!(PAYMENT_STATUSES as readonly string[]).includes(name)) return fail({ field: 'status', message: `status: must be one of ${PAYMENT_STATUSES.join(', ')} (or BlockATM's integer codes)` });
    status = name as PaymentStatus;
  }
  const checked = checkCommon(fields);
  if (!checked.ok) return checked;
  return ok({ ...checked.value, orderNo: fields.orderNo, status, orderType: fields.orderType === undefined ? undefined : Number(fields.orderType) });
}

/** Validates a `POST /_mock/payouts` body. */
export function parsePayoutInput(body: JsonObject): Result<PayoutInput, FieldError> {
  const read = readFields(body, {
    ...COMMON,
    bizOrderNo: { field: 'bizOrderNo', pattern: ID, hint: 'letters, digits, _ or -, at most 64' },
    toAddress: { field: 'toAddress', pattern: /^[A-Za-z0-9]{20,64}$/, hint: 'a wallet address' },
    remark: { field: 'remark', pattern: /^.{0,128}$/s, hint: 'at most 128 characters' },
  });
  if (!read.ok) return read;
  const fields = read.value;
  if (fields.status !== undefined && fields.status !== 'SUCCESS' && fields.status !== 'REFUSE') return fail({ field: 'status', message: 'status: a payout ends SUCCESS or REFUSE' });
  const checked = checkCommon(fields);
  if (!checked.ok) return checked;
  return ok({ ...checked.value, bizOrderNo: fields.bizOrderNo, toAddress: fields.toAddress, remark: fields.remark, status: fields.status as PayoutInput['status'] });
}

function checkCommon(fields: Record<string, string>): Result<Pick<PaymentInput, 'custNo' | 'amount' | 'symbol' | 'chainId' | 'webhookUrl'>, FieldError> {
  if (fields.amount !== undefined && Number(fields.amount) <= 0) return fail({ field: 'amount', message: 'amount: must be more than 0' });
  const chainId = fields.chainId ?? '11155111';
  if (!networkFor(chainId)) return fail({ field: 'chainId', message: `chainId: ${chainId} is not a network the emulator knows (see /admin/api/v2/pub/allNetworks)` });
  if (!tokenFor(chainId, fields.symbol ?? 'USDT')) return fail({ field: 'symbol', message: `symbol: ${fields.symbol ?? 'USDT'} is not listed on chain ${chainId} (see /admin/api/v2/pub/symbolList)` });
  if (fields.webhookUrl !== undefined) {
    const url = parseHttpUrl(fields.webhookUrl);
    if (!url.ok) return fail({ field: 'webhookUrl', message: `webhookUrl: ${url.error}` });
  }
  return ok({ custNo: fields.custNo, amount: fields.amount, symbol: fields.symbol, chainId: fields.chainId, webhookUrl: fields.webhookUrl });
}
