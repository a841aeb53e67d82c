import type { WidgetLinkError, WidgetOrder } from '../../core/cashier-widget.js';
import { safeUrl as displayUrl } from '../emulator/webhooks.js';
import { qrStyleBlock } from './qr-block.js';

/** Escapes text for HTML content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function layout(title: string, main: string, data?: unknown): string {
  const script = data === undefined
    ? ''
    : `<script type="application/json" id="cashier-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>
<script src="/cashier/assets/cashier.js" defer></script>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/cashier/assets/cashier.css">
${script}
</head>
<body>
<a class="skip" href="#main">Skip to the order</a>
<header class="bar">
  <span class="brand">BlockATM <span aria-hidden="true">·</span> Test Cashier</span>
  <span class="badge">cashier-check emulator: no real funds</span>
</header>
<main id="main">
${main}
</main>
</body>
</html>
`;
}

const ACTIONS: [action: string, label: string, description: string][] = [
  ['pay', 'Pay', 'The full amount arrives: webhook status SUCCESS.'],
  ['underpay', 'Underpay', 'Only 90% arrives: status SUCCESS with a short amount.'],
  ['cancel', 'Cancel', 'The customer gives up: status CANCELLED.'],
  ['expire', 'Expire', 'Nobody pays in time: status EXPIRED.'],
];

/** The order page for a link that passed the widget's checks. */
export function renderOrderPage(order: WidgetOrder, rawQuery: string, webhookUrl: string | undefined): string {
  const row = (term: string, detail: string): string => `<div><dt>${term}</dt><dd>${detail}</dd></div>`;
  const e = escapeHtml;
  const details = [
    row('Amount', `<strong>${e(order.amount)} ${e(order.currency)}</strong>${order.amountFromLink ? '' : ' <span class="muted">(no amount in the link: emulator default)</span>'}`),
    row('Network', `${e(order.networkLabel)} <span class="muted">chainId ${e(order.chainId)}</span>`),
    row('Deposit address', `<code class="address">${e(order.depositAddress)}</code> <span class="muted">(fake)</span>`),
    row('Order', `<code>${e(order.orderNo)}</code>${order.orderNoFromLink ? '' : ' <span class="muted">(no orderNo in the link: generated)</span>'}`),
    row('Customer', `<code>${e(order.custNo)}</code>`),
    row('Language', e(order.lang)),
    row('Link signature', '<span class="good">Valid</span> <span class="muted">(HMAC-SHA256 with the secret key)</span>'),
    row('Returns to', order.redirectUrl ? `<code class="address">${e(order.redirectUrl)}</code>` : '<span class="muted">no redirectURL in the link: the page stays here</span>'),
  ].join('\n');
  const buttons = ACTIONS.map(([action, label, description]) => `<li>
      <button type="button" class="action action-${action}" data-action="${action}" aria-describedby="help-${action}">${label}</button>
      <span id="help-${action}" class="help">${description}</span>
    </li>`).join('\n    ');
  const target = webhookUrl
    ? `Webhooks go to <code class="address">${e(displayUrl(webhookUrl))}</code>.`
    : '<strong class="bad">No Webhook URL is set</strong>: start <code>cashier-check mock --webhook-url &lt;url&gt;</code> to receive the webhooks.';
  const main = `<section class="card order" aria-labelledby="order-title">
  <h1 id="order-title">Pay ${e(order.amount)} ${e(order.currency)}</h1>
  <p class="sub">on ${e(order.networkLabel)}</p>
  <div class="pay-grid">
    <figure class="qr">
      ${qrStyleBlock(order.depositAddress, `QR-style block for the fake deposit address ${order.depositAddress}`)}
      <figcaption>QR-style block: not scannable, no real wallet</figcaption>
    </figure>
    <dl class="details">
${details}
    </dl>
  </div>
</section>
<section class="card" aria-labelledby="actions-title">
  <h2 id="actions-title">Act as the customer</h2>
  <p>Each button settles the order in the emulator and sends the signed <code>Payment</code> webhook. ${target}</p>
  <ul class="actions">
    ${buttons}
  </ul>
</section>
<section class="card" aria-labelledby="delivery-title">
  <h2 id="delivery-title">Webhook delivery</h2>
  <p id="status" role="status" aria-live="polite">No webhook sent yet.</p>
  <p id="expectation" class="muted" hidden></p>
  <div class="table-wrap">
    <table id="attempts-table">
      <caption class="visually-hidden">Delivery attempts, newest last</caption>
      <thead><tr><th scope="col">Attempt</th><th scope="col">Webhook URL</th><th scope="col">HTTP status</th><th scope="col">Latency</th><th scope="col">Result</th></tr></thead>
      <tbody id="attempts"><tr class="empty"><td colspan="5">Nothing sent yet.</td></tr></tbody>
    </table>
  </div>
  <p id="retries" aria-live="polite"></p>
  <p id="next" hidden><a id="continue" class="button-link" href="#">Continue to the merchant</a> <button type="button" id="stay" hidden>Stay on this page</button></p>
</section>`;
  return layout(`Pay ${order.amount} ${order.currency} · Test Cashier`, main, { link: rawQuery });
}

/** The widget's refusal: which parameter is wrong, why, and how to get a good link. */
export function renderErrorPage(error: WidgetLinkError): string {
  const e = escapeHtml;
  const main = `<section class="card error" role="alert" aria-labelledby="error-title">
  <h1 id="error-title">${e(error.title)}</h1>
  <p>${e(error.detail)}</p>
  <p><strong>Parameter:</strong> <code>${e(error.field)}</code></p>
  ${error.stringToSign === undefined ? '' : `<p><strong>String to sign:</strong> <code>${e(error.stringToSign || '(empty)')}</code></p>`}
  <p><strong>Fix:</strong> ${e(error.hint).replace(/&#34;(.+?)&#34;/g, '<code>$1</code>')}.</p>
</section>`;
  return layout(`${error.title} · Test Cashier`, main);
}

/** The emulator's stand-in for the merchant's redirectURL: what the widget sent back. */
export function renderReturnPage(status: string | undefined, txId: string | undefined): string {
  const e = escapeHtml;
  const main = `<section class="card" aria-labelledby="return-title">
  <h1 id="return-title">Back at the shop</h1>
  <p>This is the emulator's own return page. The widget sent the customer here with:</p>
  <dl class="details">
    <div><dt>status</dt><dd><code>${e(status ?? '(missing)')}</code></dd></div>
    <div><dt>txId</dt><dd><code class="address">${e(txId || '(empty: nothing was paid)')}</code></dd></div>
  </dl>
  <p class="muted">Your own redirectURL receives the same two parameters. Trust the signed webhook, not these: anyone can type a URL.</p>
  <p><a class="button-link" href="/cashier/demo">Open another test order</a></p>
</section>`;
  return layout('Back at the shop · Test Cashier', main);
}

export { displayUrl };
