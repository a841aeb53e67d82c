import { randomBytes } from 'node:crypto';
import { PAYMENT_STATUS_TO_CODE, type EventKind, type PaymentStatus, type PayoutStatus } from './status.js';
import { EVENT_HEADER, SIGNATURE_HEADER, TIME_HEADER, signWebhook, type Recipe } from './webhook-signature.js';

/** A payment webhook's fields, as Part B §5.1 lists them (amount a decimal string). */
export interface PaymentPayload {
  id: number;
  orderNo: string;
  custNo: string;
  cashierId: number;
  chainId: string;
  network: string;
  symbol: string;
  amount: string;
  txId: string;
  fromAddress: string;
  orderType: number;
  status: PaymentStatus | number;
  blockTime: number;
}

/** A payout webhook's fields, as Part B §5.2 lists them. */
export interface PayoutPayload {
  id: number;
  bizOrderNo: string;
  custNo: string;
  chainId: string;
  network: string;
  symbol: string;
  amount: string;
  fee: string;
  gasAmount: string;
  toAddress: string;
  txId: string;
  type: number;
  status: PayoutStatus;
  createTime: number;
  contractId: number;
  blockTime: number;
}

export type Randomness = (bytes: number) => string;
const hexRandom: Randomness = (bytes) => randomBytes(bytes).toString('hex');

/** A realistic payment payload; callers override what they care about. */
export function samplePayment(nowMs: number, overrides: Partial<PaymentPayload> = {}, random: Randomness = hexRandom): PaymentPayload {
  const paid = overrides.status === undefined || overrides.status === 'SUCCESS' || overrides.status === 'PENDING';
  return {
    id: 8210000000 + (parseInt(random(3), 16) % 1_000_000),
    orderNo: `ORDER_${random(5).toUpperCase()}`,
    custNo: 'CUST_0001',
    cashierId: 86100021,
    chainId: '11155111',
    network: 'Ethereum',
    symbol: 'USDT',
    amount: '2000.00',
    txId: paid ? `0x${random(32)}` : '',
    fromAddress: paid ? `0x${random(20)}` : '',
    orderType: 1,
    status: 'SUCCESS',
    blockTime: nowMs - 15_000,
    ...overrides,
  };
}

export function samplePayout(nowMs: number, overrides: Partial<PayoutPayload> = {}, random: Randomness = hexRandom): PayoutPayload {
  return {
    id: 8210000000 + (parseInt(random(3), 16) % 1_000_000),
    bizOrderNo: `PAYOUT_${random(5).toUpperCase()}`,
    custNo: 'CUST_0001',
    chainId: '11155111',
    network: 'Ethereum',
    symbol: 'USDT',
    amount: '150.00',
    fee: '1',
    gasAmount: '0.35',
    toAddress: `0x${random(20)}`,
    txId: overrides.status === 'REFUSE' ? '' : `0x${random(32)}`,
    type: 1,
    status: 'SUCCESS',
    createTime: nowMs - 60_000,
    contractId: 200910,
    blockTime: nowMs - 15_000,
    ...overrides,
  };
}

/** The integer form of a payment status, for receivers still on the legacy enum (D11). */
export function withIntegerStatus(payload: PaymentPayload): PaymentPayload {
  return typeof payload.status === 'number' ? payload : { ...payload, status: PAYMENT_STATUS_TO_CODE[payload.status] };
}

export interface SignedDelivery {
  body: string;
  headers: Record<string, string>;
  stringToSign: string;
  signature: string;
  recipe: Recipe;
  timeMs: number;
}

/**
 * A webhook exactly as BlockATM sends it (D10): compact JSON, the three BlockATM headers,
 * signed with the Webhook key at the given time.
 */
export function buildDelivery(input: { event: EventKind; body: string; webhookKey: string; timeMs: number; recipe?: Recipe }): SignedDelivery {
  const recipe = input.recipe ?? 'sorted';
  const signed = signWebhook(input.body, String(input.timeMs), input.webhookKey, recipe);
  if (!signed.ok) throw new Error(`cannot sign webhook body: ${signed.error}`);
  return {
    body: input.body,
    headers: {
      'Content-Type': 'application/json',
      [SIGNATURE_HEADER]: signed.value.signature,
      [TIME_HEADER]: String(input.timeMs),
      [EVENT_HEADER]: input.event,
    },
    stringToSign: signed.value.stringToSign,
    signature: signed.value.signature,
    recipe,
    timeMs: input.timeMs,
  };
}

/** Compact JSON of a payload, as BlockATM sends it. */
export function serialisePayload(payload: object): string {
  return JSON.stringify(payload);
}
