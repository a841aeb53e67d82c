import { LosslessNumber, stringify } from 'lossless-json';
import { PAYMENT_STATUS_TO_CODE } from '../../core/status.js';
import { PAYOUT_STATE_CODES, type PaymentOrder, type PayoutOrder } from './store.js';

/**
 * A JSON number written exactly as given: BlockATM's DTOs carry Java BigDecimals and int64 ids,
 * so `2000.00` must stay `2000.00` and a long id must not be rounded.
 */
export function exactNumber(text: string): LosslessNumber | string {
  return /^-?\d+(\.\d+)?$/.test(text) ? new LosslessNumber(text) : text;
}

/** Compact JSON that keeps exact numbers. */
export function toJson(value: unknown): string {
  return stringify(value) ?? 'null';
}

/** PayOrderApiDTO (Part B §4.2): status as a name, or BlockATM's integer code with intStatus. */
export function paymentDto(order: PaymentOrder, intStatus: boolean): Record<string, unknown> {
  return {
    amount: exactNumber(order.amount),
    blockTime: order.blockTime,
    cashierId: exactNumber(order.cashierId),
    chainId: order.chainId,
    createTime: order.createTime,
    custNo: order.custNo,
    fromAddress: order.fromAddress,
    id: order.id,
    network: order.network,
    orderNo: order.orderNo,
    orderType: order.orderType,
    status: intStatus ? PAYMENT_STATUS_TO_CODE[order.status] : order.status,
    symbol: order.symbol,
    txId: order.txId,
  };
}

/** PayoutOrderApiDTO: status 0 pending, 1 success, 2 rejected, 3 locked. */
export function payoutDto(order: PayoutOrder): Record<string, unknown> {
  return {
    amount: exactNumber(order.amount),
    bizOrderNo: order.bizOrderNo,
    blockTime: order.blockTime,
    chainId: order.chainId,
    contractId: order.contractId,
    createTime: order.createTime,
    custNo: order.custNo,
    fee: exactNumber(order.fee),
    gasAmount: exactNumber(order.gasAmount),
    network: order.network,
    platOrderNo: String(order.id),
    remark: order.remark,
    status: PAYOUT_STATE_CODES[order.status],
    symbol: order.symbol,
    toAddress: order.toAddress,
    txId: order.txId,
  };
}

/** The `Payment` webhook body (Part B §5.1), fields in the documented example's order. */
export function paymentWebhook(order: PaymentOrder, intStatus: boolean): Record<string, unknown> {
  return {
    custNo: order.custNo,
    orderNo: order.orderNo,
    id: order.id,
    symbol: order.symbol,
    amount: order.amount,
    status: intStatus ? PAYMENT_STATUS_TO_CODE[order.status] : order.status,
    txId: order.txId,
    network: order.network,
    chainId: order.chainId,
    fromAddress: order.fromAddress,
    cashierId: exactNumber(order.cashierId),
    orderType: order.orderType,
    blockTime: order.blockTime,
  };
}

/** The `Payout` webhook body (Part B §5.2); only SUCCESS and REFUSE are ever sent. */
export function payoutWebhook(order: PayoutOrder): Record<string, unknown> {
  return {
    custNo: order.custNo,
    bizOrderNo: order.bizOrderNo,
    id: order.id,
    symbol: order.symbol,
    amount: order.amount,
    status: order.status,
    txId: order.txId,
    network: order.network,
    chainId: order.chainId,
    toAddress: order.toAddress,
    fee: order.fee,
    gasAmount: order.gasAmount,
    type: order.type,
    createTime: order.createTime,
    contractId: order.contractId,
    blockTime: order.blockTime,
  };
}
