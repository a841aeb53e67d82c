import { ApiCode } from '../../core/api-rules.js';
import { isLosslessNumber, type JsonValue } from '../../core/json.js';
import { NETWORKS, TOKENS, networkFor, tokenFor } from './reference-data.js';
import { failure, success } from './reply.js';
import type { EmulatorReply, EmulatorRequest, EmulatorState, Route } from './types.js';
import { exactNumber, paymentDto, payoutDto } from './views.js';

const DECIMAL = /^\d{1,20}(\.\d{1,18})?$/;

/** The seven V2 endpoints of BlockATM's open API (D8, Part B §4.2). */
export const openApiRoutes: readonly Route[] = [
  { method: 'GET', path: '/admin/api/v2/pub/allNetworks', access: 'public', handler: () => success(NETWORKS) },
  { method: 'GET', path: '/admin/api/v2/pub/symbolList', access: 'public', handler: symbolList },
  { method: 'GET', path: '/admin/api/v2/pub/cashier/info', access: 'key', handler: cashierInfo },
  { method: 'GET', path: '/order/api/v2/payorder/list', access: 'key', handler: payorderList },
  { method: 'GET', path: '/order/api/v2/payorder/detail', access: 'key', handler: payorderDetail },
  { method: 'POST', path: '/order/api/v2/payout/order', access: 'signed', handler: payoutOrder },
  { method: 'GET', path: '/order/api/v2/payout/detail', access: 'signed', handler: payoutDetail },
];

function symbolList(request: EmulatorRequest): EmulatorReply {
  const chainId = request.query.get('chainId');
  const symbol = request.query.get('symbol');
  return success(TOKENS.filter((token) => (!chainId || token.chainId === chainId) && (!symbol || token.symbol === symbol)));
}

function cashierInfo(_request: EmulatorRequest, emulator: EmulatorState): EmulatorReply {
  const networkDetail: Record<string, { chainId: string; currency: string; network: string }[]> = {};
  for (const token of TOKENS) (networkDetail[token.chainId] ??= []).push({ chainId: token.chainId, currency: token.symbol, network: token.network });
  return success({
    cashierId: exactNumber(emulator.credentials.cashierId),
    logo: `${emulator.baseUrl}/_mock/logo.svg`,
    merchantId: exactNumber(emulator.credentials.cashierId),
    name: `Demo Cashier Desk ${emulator.credentials.cashierId}`,
    networkDetail,
    payQr: 1,
    payWallet: 1,
  });
}

/** The first missing required query parameter, as 000103. */
function missingQuery(request: EmulatorRequest, names: string[]): EmulatorReply | undefined {
  for (const name of names) {
    if ((request.query.get(name) ?? '') === '') return failure(ApiCode.requiredParameterMissing, `required parameter missing: ${name}`);
  }
  return undefined;
}

function payorderList(request: EmulatorRequest, emulator: EmulatorState): EmulatorReply {
  const missing = missingQuery(request, ['orderNo']);
  if (missing) return missing;
  const optional = (name: string): string | undefined => request.query.get(name) || undefined;
  const orders = emulator.store.findPayments({ orderNo: request.query.get('orderNo')!, chainId: optional('chainId'), custNo: optional('custNo'), symbol: optional('symbol') });
  return success(orders.map((order) => paymentDto(order, emulator.options.intStatus)));
}

function payorderDetail(request: EmulatorRequest, emulator: EmulatorState): EmulatorReply {
  const missing = missingQuery(request, ['orderNo']);
  if (missing) return missing;
  const order = emulator.store.payments.get(request.query.get('orderNo')!);
  if (!order) return failure(ApiCode.dataNotFound, `data not found: no payment order with orderNo ${request.query.get('orderNo')!.slice(0, 64)}`);
  return success(paymentDto(order, emulator.options.intStatus));
}

function payoutDetail(request: EmulatorRequest, emulator: EmulatorState): EmulatorReply {
  const missing = missingQuery(request, ['bizOrderNo']);
  if (missing) return missing;
  const order = emulator.store.payouts.get(request.query.get('bizOrderNo')!);
  if (!order) return failure(ApiCode.dataNotFound, `data not found: no payout order with bizOrderNo ${request.query.get('bizOrderNo')!.slice(0, 64)}`);
  return success(payoutDto(order));
}

const PAYOUT_REQUIRED = ['amount', 'bizOrderNo', 'chainId', 'custNo', 'symbol', 'toAddress'] as const;

/** ApiPayoutOrderDTO: creates a pending payout; the same bizOrderNo twice is 000106. */
function payoutOrder(request: EmulatorRequest, emulator: EmulatorState): EmulatorReply {
  const body = request.jsonBody;
  if (!body || Object.keys(body).length === 0) return failure(ApiCode.objectEmpty, 'object must not be empty: send the payout order as a JSON object');
  for (const name of PAYOUT_REQUIRED) {
    const value = body[name];
    if (value === undefined || value === null || value === '') return failure(ApiCode.requiredParameterMissing, `required parameter missing: ${name}`);
  }
  const fields: Record<string, string> = {};
  for (const name of [...PAYOUT_REQUIRED, 'remark']) {
    const value = body[name];
    if (value === undefined || value === null) continue;
    const text = textOf(value, name === 'amount');
    if (text === undefined) return failure(ApiCode.illegalParameterType, `illegal parameter type: ${name} must be a ${name === 'amount' ? 'decimal number or string' : 'string'}`);
    if (text.length > 128) return failure('000206', `field too long: ${name} (at most 128 characters)`);
    fields[name] = text;
  }
  if (!DECIMAL.test(fields.amount!) || Number(fields.amount) <= 0) return failure(ApiCode.illegalParameterType, `illegal parameter type: amount must be a positive decimal, got "${fields.amount!.slice(0, 40)}"`);
  if (!networkFor(fields.chainId!)) return failure(ApiCode.illegalParameterType, `illegal parameter: unknown chainId ${fields.chainId!.slice(0, 40)} (see /admin/api/v2/pub/allNetworks)`);
  if (!tokenFor(fields.chainId!, fields.symbol!)) return failure(ApiCode.illegalParameterType, `illegal parameter: symbol ${fields.symbol!.slice(0, 20)} is not supported on chain ${fields.chainId} (see /admin/api/v2/pub/symbolList)`);
  if (emulator.store.full) return failure(ApiCode.systemBusy, 'system busy: the emulator holds too many orders; restart it');
  const order = emulator.store.addPayout({
    bizOrderNo: fields.bizOrderNo!, custNo: fields.custNo!, amount: fields.amount!, symbol: fields.symbol!,
    chainId: fields.chainId!, toAddress: fields.toAddress!, remark: fields.remark,
  }, emulator.clock.now());
  if (!order) return failure(ApiCode.duplicateSubmission, `duplicate submission: bizOrderNo ${fields.bizOrderNo!.slice(0, 64)} already exists`);
  return success();
}

function textOf(value: JsonValue, numberAllowed: boolean): string | undefined {
  if (typeof value === 'string') return value;
  if (numberAllowed && isLosslessNumber(value)) return value.value;
  return undefined;
}
