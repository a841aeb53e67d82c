import { randomBytes } from 'node:crypto';
import type { PaymentStatus } from '../../core/status.js';
import type { PaymentPayload, PayoutPayload } from '../../core/webhook-payload.js';
import { networkFor } from './reference-data.js';

/**
 * A collection order as the emulator keeps it (PayOrderApiDTO, Part B §4.2): the fields its
 * Payment webhook carries, with the cashier id kept as text (rendered as an exact number) and
 * the time it was created.
 */
export interface PaymentOrder extends Omit<PaymentPayload, 'cashierId' | 'status'> {
  cashierId: string;
  status: PaymentStatus;
  createTime: number;
}

/** PayoutOrderApiDTO status codes: 0 pending, 1 success, 2 rejected, 3 locked. */
export type PayoutState = 'PENDING' | 'SUCCESS' | 'REFUSE' | 'LOCKED';
export const PAYOUT_STATE_CODES: Readonly<Record<PayoutState, number>> = { PENDING: 0, SUCCESS: 1, REFUSE: 2, LOCKED: 3 };

/** A payout order as the emulator keeps it: its Payout webhook's fields, any state, and a remark. */
export interface PayoutOrder extends Omit<PayoutPayload, 'status'> {
  status: PayoutState;
  remark: string | null;
}

export interface PaymentInput {
  orderNo?: string;
  custNo?: string;
  amount?: string;
  symbol?: string;
  chainId?: string;
  status?: PaymentStatus;
  orderType?: number;
  /** Deliver to this URL instead of the configured Webhook URL. */
  webhookUrl?: string;
}

export interface PayoutInput {
  bizOrderNo?: string;
  custNo?: string;
  amount?: string;
  symbol?: string;
  chainId?: string;
  toAddress?: string;
  remark?: string;
  status?: 'SUCCESS' | 'REFUSE';
  webhookUrl?: string;
}

const MAX_ORDERS = 50_000;
const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
const PAID: readonly PaymentStatus[] = ['SUCCESS', 'PENDING'];

/**
 * The emulator's in-memory orders, so the API queries, the control API and the webhooks all
 * tell the same story. Bounded: past 50 000 orders of a kind, new ones are refused.
 */
export class OrderStore {
  readonly payments = new Map<string, PaymentOrder>();
  readonly payouts = new Map<string, PayoutOrder>();
  private nextId = 8_210_003_600;

  constructor(private readonly cashierId: string) {}

  get full(): boolean {
    return this.payments.size >= MAX_ORDERS || this.payouts.size >= MAX_ORDERS;
  }

  /** Creates a payment, or moves an existing one (same orderNo) to the new status. */
  upsertPayment(input: PaymentInput, nowMs: number): PaymentOrder {
    const status = input.status ?? 'SUCCESS';
    const existing = input.orderNo === undefined ? undefined : this.payments.get(input.orderNo);
    const paid = PAID.includes(status);
    if (existing) {
      existing.status = status;
      if (paid && existing.txId === '') {
        existing.txId = `0x${hex(32)}`;
        existing.fromAddress = `0x${hex(20)}`;
      }
      if (paid) existing.blockTime = nowMs;
      return existing;
    }
    const chainId = input.chainId ?? '11155111';
    const order: PaymentOrder = {
      id: this.nextId++,
      orderNo: input.orderNo ?? `ORDER_${hex(5).toUpperCase()}`,
      custNo: input.custNo ?? 'CUST_0001',
      cashierId: this.cashierId,
      chainId,
      network: networkFor(chainId)?.network ?? 'Ethereum',
      symbol: input.symbol ?? 'USDT',
      amount: input.amount ?? '2000.00',
      txId: paid ? `0x${hex(32)}` : '',
      fromAddress: paid ? `0x${hex(20)}` : '',
      orderType: input.orderType ?? 1,
      status,
      createTime: nowMs - 60_000,
      blockTime: paid ? nowMs : 0,
    };
    this.payments.set(order.orderNo, order);
    return order;
  }

  findPayments(filter: { orderNo: string; chainId?: string; custNo?: string; symbol?: string }): PaymentOrder[] {
    const order = this.payments.get(filter.orderNo);
    if (!order) return [];
    if (filter.chainId !== undefined && order.chainId !== filter.chainId) return [];
    if (filter.custNo !== undefined && order.custNo !== filter.custNo) return [];
    if (filter.symbol !== undefined && order.symbol !== filter.symbol) return [];
    return [order];
  }

  /** Records a payout created through the API; undefined when the bizOrderNo already exists. */
  addPayout(input: Required<Pick<PayoutInput, 'bizOrderNo' | 'custNo' | 'amount' | 'symbol' | 'chainId' | 'toAddress'>> & { remark?: string }, nowMs: number): PayoutOrder | undefined {
    if (this.payouts.has(input.bizOrderNo)) return undefined;
    const order: PayoutOrder = {
      id: this.nextId++,
      bizOrderNo: input.bizOrderNo,
      custNo: input.custNo,
      chainId: input.chainId,
      network: networkFor(input.chainId)?.network ?? 'Ethereum',
      symbol: input.symbol,
      amount: input.amount,
      fee: '1',
      gasAmount: '0.35',
      toAddress: input.toAddress,
      txId: '',
      type: 1,
      status: 'PENDING',
      remark: input.remark ?? null,
      contractId: 200910,
      createTime: nowMs,
      blockTime: 0,
    };
    this.payouts.set(order.bizOrderNo, order);
    return order;
  }

  /** Settles a payout (creating it first when unknown), as BlockATM does after review. */
  settlePayout(input: PayoutInput, nowMs: number): PayoutOrder {
    const existing = input.bizOrderNo === undefined ? undefined : this.payouts.get(input.bizOrderNo);
    const order = existing ?? this.addPayout({
      bizOrderNo: input.bizOrderNo ?? `PAYOUT_${hex(5).toUpperCase()}`,
      custNo: input.custNo ?? 'CUST_0001',
      amount: input.amount ?? '150.00',
      symbol: input.symbol ?? 'USDT',
      chainId: input.chainId ?? '11155111',
      toAddress: input.toAddress ?? `0x${hex(20)}`,
      remark: input.remark,
    }, nowMs - 60_000)!;
    order.status = input.status ?? 'SUCCESS';
    if (order.status === 'SUCCESS') {
      if (order.txId === '') order.txId = `0x${hex(32)}`;
      order.blockTime = nowMs;
    }
    return order;
  }
}
