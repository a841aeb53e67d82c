import { randomBytes } from 'node:crypto';
import { demoCashierLink } from '../../core/cashier-widget.js';
import type { EmulatorReply, EmulatorState, Route } from '../emulator/types.js';
import { cashierAction, cashierAsset, cashierDeliveries, cashierPage, cashierReturn, CASHIER_PATHS, type CashierBackend } from './handlers.js';

/**
 * The cashier's view of the emulator: the order store keeps the page's order (waiting, then
 * settled) so the API queries agree with the webhook, and the emulator's deliverer sends it.
 */
export function cashierBackend(emulator: EmulatorState): CashierBackend {
  const openOrder: CashierBackend['openOrder'] = (order) => {
    if (emulator.store.payments.has(order.orderNo)) return;
    emulator.store.upsertPayment(
      { orderNo: order.orderNo, custNo: order.custNo, amount: order.amount, symbol: order.currency, chainId: order.chainId, status: 'WAITING_PAYMENT' },
      emulator.clock.now(),
    );
  };
  return {
    credentials: emulator.credentials,
    webhookUrl: emulator.options.webhookUrl,
    retryCount: emulator.options.retrySchedule.length,
    hasRoomFor: (orderNo) => emulator.store.payments.has(orderNo) || !emulator.store.full,
    openOrder,
    async settle(order, settlement) {
      openOrder(order);
      const stored = emulator.store.payments.get(order.orderNo);
      // A payment order's amount is what actually arrived (§5.1), so an underpayment records less.
      if (stored) stored.amount = settlement.paidAmount;
      const { order: settled, delivery } = await emulator.createPayment({ orderNo: order.orderNo, status: settlement.status });
      return {
        orderId: settled.id,
        txId: settled.txId,
        delivery: delivery && { deliveryId: delivery.deliveryId, url: delivery.url, attempts: delivery.attempts },
      };
    },
    attempts: (deliveryId) => emulator.deliveries().filter((attempt) => attempt.deliveryId === deliveryId),
  };
}

/**
 * GET /cashier/demo: a fresh demo order, signed with the emulator's keys, as a redirect. `mock`
 * prints this short link, so no key ever reaches the terminal; the browser gets the signed one.
 */
function demoRedirect(emulator: EmulatorState): EmulatorReply {
  const link = demoCashierLink(emulator.baseUrl, emulator.credentials, `DEMO_${randomBytes(4).toString('hex').toUpperCase()}`);
  return { kind: 'text', status: 302, body: '', contentType: 'text/plain; charset=utf-8', headers: { Location: link, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' } };
}

/** The test cashier's routes, served beside BlockATM's API by `cashier-check mock`. */
export const cashierRoutes: readonly Route[] = [
  { method: 'GET', path: CASHIER_PATHS.page, access: 'control', handler: (request, emulator) => cashierPage(request, cashierBackend(emulator)) },
  { method: 'GET', path: CASHIER_PATHS.demo, access: 'control', handler: (_request, emulator) => demoRedirect(emulator) },
  { method: 'GET', path: CASHIER_PATHS.return, access: 'control', handler: (request) => cashierReturn(request) },
  { method: 'GET', path: CASHIER_PATHS.css, access: 'control', handler: () => cashierAsset('css') },
  { method: 'GET', path: CASHIER_PATHS.js, access: 'control', handler: () => cashierAsset('js') },
  { method: 'POST', path: CASHIER_PATHS.action, access: 'control', handler: (request, emulator) => cashierAction(request, cashierBackend(emulator)) },
  { method: 'GET', path: CASHIER_PATHS.deliveries, access: 'control', handler: (request, emulator) => cashierDeliveries(request, cashierBackend(emulator)) },
];
