/** Payment statuses as names, and BlockATM's integer codes for them (D11). */
export const PAYMENT_STATUSES = ['PENDING', 'SUCCESS', 'EXPIRED', 'CANCELLED', 'WAITING_PAYMENT', 'FAILED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const PAYOUT_STATUSES = ['SUCCESS', 'REFUSE'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

export const PAYMENT_STATUS_CODES: Readonly<Record<string, PaymentStatus>> = {
  '-3': 'CANCELLED',
  '-2': 'FAILED',
  '-1': 'EXPIRED',
  '0': 'WAITING_PAYMENT',
  '1': 'PENDING',
  '9': 'SUCCESS',
};

export const PAYMENT_STATUS_TO_CODE: Readonly<Record<PaymentStatus, number>> = {
  CANCELLED: -3,
  FAILED: -2,
  EXPIRED: -1,
  WAITING_PAYMENT: 0,
  PENDING: 1,
  SUCCESS: 9,
};

export type EventKind = 'Payment' | 'Payout';

/** The event named by a BlockATM-Event header: compared case-insensitively, first dot-segment. */
export function parseEvent(header: string | undefined): EventKind | undefined {
  const head = header?.trim().split('.')[0]?.toLowerCase();
  if (head === 'payment') return 'Payment';
  if (head === 'payout') return 'Payout';
  return undefined;
}

/**
 * Normalises a webhook status, given as a string or an integer code, to its name; undefined
 * when it is neither a known name nor a known code for that event.
 */
export function normaliseStatus(event: EventKind | undefined, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (event !== 'Payout' && text in PAYMENT_STATUS_CODES) return PAYMENT_STATUS_CODES[text];
  const upper = text.toUpperCase();
  if (event === 'Payout') return (PAYOUT_STATUSES as readonly string[]).includes(upper) ? upper : undefined;
  return (PAYMENT_STATUSES as readonly string[]).includes(upper) ? upper : undefined;
}
