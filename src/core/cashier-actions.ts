import type { WidgetOrder } from './cashier-widget.js';
import type { PaymentStatus } from './status.js';

/** What a person can do on the test cashier, like the buttons of BlockATM's "Test Cashier". */
export const CASHIER_ACTIONS = ['pay', 'underpay', 'cancel', 'expire'] as const;
export type CashierAction = (typeof CASHIER_ACTIONS)[number];

/** The statuses the widget appends to redirectURL (Part B §5.4). */
export type RedirectStatus = 'SUCCESS' | 'CANCELLED' | 'EXPIRED';

/** The order's outcome after an action: what the Payment webhook says and where the customer goes. */
export interface Settlement {
  action: CashierAction;
  status: PaymentStatus;
  /** The amount actually paid (the webhook's `amount`), a decimal string. */
  paidAmount: string;
  redirectStatus: RedirectStatus;
  /** What a correct merchant should do with this webhook, for the page to show. */
  expectation: string;
}

export function isCashierAction(value: unknown): value is CashierAction {
  return typeof value === 'string' && (CASHIER_ACTIONS as readonly string[]).includes(value);
}

/**
 * Decides what an action does to an order. Underpay is a SUCCESS webhook whose `amount` (the
 * amount actually paid, §5.1) is 10% short: the case a handler that ignores the amount gets wrong.
 */
export function settle(order: WidgetOrder, action: CashierAction): Settlement {
  switch (action) {
    case 'pay':
      return { action, status: 'SUCCESS', paidAmount: order.amount, redirectStatus: 'SUCCESS', expectation: 'fulfil the order once, and answer HTTP 200' };
    case 'underpay':
      return {
        action,
        status: 'SUCCESS',
        paidAmount: underpaidAmount(order.amount),
        redirectStatus: 'SUCCESS',
        expectation: `compare the paid amount with the order's ${order.amount} ${order.currency} and do not fulfil a short payment; still answer HTTP 200`,
      };
    case 'cancel':
      return { action, status: 'CANCELLED', paidAmount: order.amount, redirectStatus: 'CANCELLED', expectation: 'mark the order cancelled, and answer HTTP 200' };
    case 'expire':
      return { action, status: 'EXPIRED', paidAmount: order.amount, redirectStatus: 'EXPIRED', expectation: 'mark the order expired, and answer HTTP 200' };
  }
}

/** 90% of a decimal amount, rounded down, in the same number of decimals (at least two). */
export function underpaidAmount(amount: string): string {
  const [whole = '0', fraction = ''] = amount.split('.');
  const decimals = Math.max(2, fraction.length);
  const units = BigInt(whole + fraction.padEnd(decimals, '0'));
  const short = (units * 9n) / 10n;
  const text = short.toString().padStart(decimals + 1, '0');
  return `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
}

/** redirectURL with `txId` and `status` appended, as the widget sends the customer back. */
export function redirectTarget(redirectUrl: string, txId: string, status: RedirectStatus): string {
  const url = new URL(redirectUrl);
  url.searchParams.set('txId', txId);
  url.searchParams.set('status', status);
  return url.toString();
}
