/**
 * The test cashier's stylesheet and script, served as files so the page can forbid inline code.
 * Plain CSS and ES2017 with no dependencies; colours meet WCAG AA contrast on their backgrounds.
 */
export const CASHIER_CSS = `
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111827; background: #eef1f5; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
.skip { position: absolute; left: -999px; top: 0; background: #111827; color: #fff; padding: 0.5rem 1rem; z-index: 10; }
.skip:focus { left: 0.5rem; top: 0.5rem; }
.bar { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; justify-content: space-between; padding: 0.75rem 1.25rem; background: #0f172a; color: #f8fafc; }
.brand { font-weight: 700; letter-spacing: 0.01em; }
.badge { font-size: 0.8125rem; background: #fde68a; color: #422006; padding: 0.125rem 0.625rem; border-radius: 999px; }
main { max-width: 56rem; margin: 0 auto; padding: 1rem; display: grid; gap: 1rem; }
.card { background: #fff; border: 1px solid #d1d5db; border-radius: 0.75rem; padding: 1.25rem; box-shadow: 0 1px 2px rgb(15 23 42 / 0.06); min-width: 0; }
h1 { font-size: 1.625rem; line-height: 1.25; margin: 0; }
h2 { font-size: 1.1875rem; margin: 0 0 0.5rem; }
.sub { margin: 0.25rem 0 1rem; color: #374151; }
.muted { color: #4b5563; }
.good { color: #14532d; font-weight: 600; }
.bad { color: #991b1b; font-weight: 600; }
.pay-grid { display: grid; grid-template-columns: minmax(9rem, 12rem) 1fr; gap: 1.25rem; align-items: start; }
.qr { margin: 0; text-align: center; }
.qr-block { width: 100%; height: auto; border: 1px solid #d1d5db; border-radius: 0.5rem; display: block; }
.qr figcaption { font-size: 0.8125rem; color: #4b5563; margin-top: 0.375rem; }
.details { margin: 0; display: grid; gap: 0.5rem; }
.details div { display: grid; grid-template-columns: 9rem 1fr; gap: 0.75rem; }
.details dt { color: #374151; font-weight: 600; }
.details dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.address { word-break: break-all; }
.actions { list-style: none; margin: 1rem 0 0; padding: 0; display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0.75rem; }
.actions li { display: grid; gap: 0.25rem; }
.help { font-size: 0.875rem; color: #4b5563; }
button, .button-link { font: inherit; font-weight: 600; min-height: 2.75rem; padding: 0.5rem 1.25rem; border-radius: 0.5rem; border: 2px solid #1e3a8a; background: #fff; color: #1e3a8a; cursor: pointer; }
.button-link { display: inline-flex; align-items: center; text-decoration: none; background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
.action-pay { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
.action-underpay { border-color: #92400e; color: #92400e; }
.action-cancel, .action-expire { border-color: #374151; color: #374151; }
button:hover { background: #eff6ff; }
.action-pay:hover { background: #1e40af; }
button:disabled { opacity: 0.55; cursor: not-allowed; }
button:focus-visible, a:focus-visible { outline: 3px solid #b45309; outline-offset: 2px; }
#status { margin: 0.25rem 0 0.5rem; }
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: 0.9375rem; }
th, td { text-align: left; padding: 0.5rem 0.625rem; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
th { color: #374151; font-size: 0.8125rem; text-transform: uppercase; letter-spacing: 0.03em; }
td { overflow-wrap: anywhere; }
tr.ok td { background: #dcfce7; color: #14532d; }
tr.fail td { background: #fee2e2; color: #7f1d1d; }
tr.empty td { color: #4b5563; }
.error { border-color: #b91c1c; border-width: 2px; }
.error h1 { color: #991b1b; }
.visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
@media (max-width: 40rem) {
  main { padding: 0.625rem; }
  .card { padding: 1rem; }
  .pay-grid { grid-template-columns: 1fr; }
  .qr { max-width: 11rem; margin: 0 auto; }
  .details div { grid-template-columns: 1fr; gap: 0; }
  .actions { grid-template-columns: 1fr; }
  table, thead, tbody, tr, th, td { display: block; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tr { border: 1px solid #e5e7eb; border-radius: 0.5rem; margin-bottom: 0.5rem; overflow: hidden; }
  td { border: 0; padding: 0.25rem 0.75rem; }
  td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
}
@media (prefers-reduced-motion: reduce) { * { transition: none !important; animation: none !important; } }
`;

export const CASHIER_JS = `(function () {
  'use strict';
  var dataNode = document.getElementById('cashier-data');
  if (!dataNode) return;
  var data = JSON.parse(dataNode.textContent || '{}');
  var buttons = Array.prototype.slice.call(document.querySelectorAll('button[data-action]'));
  var statusNode = document.getElementById('status');
  var expectationNode = document.getElementById('expectation');
  var rows = document.getElementById('attempts');
  var retriesNode = document.getElementById('retries');
  var nextNode = document.getElementById('next');
  var continueLink = document.getElementById('continue');
  var stayButton = document.getElementById('stay');
  var LABELS = { pay: 'Pay', underpay: 'Underpay', cancel: 'Cancel', expire: 'Expire' };
  var REDIRECT_SECONDS = 2;
  var MAX_POLLS = 600;
  var redirectUrl = null;
  var redirectTimer = null;
  var redirectStarted = false;
  var polls = 0;
  var summary = '';

  function setStatus(message, tone) {
    statusNode.textContent = message;
    statusNode.className = tone || '';
  }

  function setBusy(busy) {
    buttons.forEach(function (button) { button.disabled = busy; });
  }

  buttons.forEach(function (button) {
    button.addEventListener('click', function () { act(button.getAttribute('data-action')); });
  });

  function readJson(response) {
    return response.json().then(function (body) { return { ok: response.ok, body: body }; });
  }

  function act(action) {
    setBusy(true);
    setStatus('Sending the webhook for ' + LABELS[action] + '…');
    fetch('/_mock/cashier/action', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ link: data.link, action: action })
    })
      .then(readJson)
      .then(function (result) {
        if (!result.ok) {
          setStatus(result.body && result.body.error ? result.body.error.message : 'The emulator refused the action.', 'bad');
          setBusy(false);
          return;
        }
        show(result.body);
      })
      .catch(function () {
        setStatus('The emulator did not answer. Is cashier-check mock still running?', 'bad');
        setBusy(false);
      });
  }

  function show(result) {
    var order = result.order;
    redirectUrl = result.redirect;
    expectationNode.textContent = 'A correct handler should ' + result.expectation + '.';
    expectationNode.hidden = false;
    summary = 'Order ' + order.orderNo + ' is ' + order.status +
      (order.status === 'SUCCESS' ? ' (paid ' + order.paidAmount + ' of ' + order.amount + ' ' + order.currency + ')' : '') + '. ';
    if (!result.delivery) {
      setStatus(summary + 'No webhook was sent: no Webhook URL is set.', 'bad');
      rows.innerHTML = '<tr class="fail"><td colspan="5">Not sent: start the emulator with --webhook-url to deliver it.</td></tr>';
      offerRedirect(false);
      moveFocus();
      return;
    }
    renderDelivery(result.delivery);
    moveFocus();
  }

  function cell(row, label, value) {
    var td = document.createElement('td');
    td.setAttribute('data-label', label);
    td.textContent = value;
    row.appendChild(td);
  }

  function renderDelivery(delivery) {
    rows.innerHTML = '';
    delivery.attempts.forEach(function (attempt) {
      var row = document.createElement('tr');
      row.className = attempt.delivered ? 'ok' : 'fail';
      row.setAttribute('data-http-status', attempt.status === null ? 'none' : String(attempt.status));
      cell(row, 'Attempt', String(attempt.attempt));
      cell(row, 'Webhook URL', delivery.url);
      cell(row, 'HTTP status', attempt.status === null ? 'no answer' : String(attempt.status));
      cell(row, 'Latency', attempt.latencyMs + ' ms');
      cell(row, 'Result', attempt.delivered ? 'Delivered' : (attempt.error || 'Not delivered'));
      rows.appendChild(row);
    });
    var last = delivery.attempts[delivery.attempts.length - 1];
    if (delivery.delivered) {
      setStatus(summary + 'Webhook delivered: HTTP 200 in ' + last.latencyMs + ' ms.', 'good');
      retriesNode.textContent = '';
    } else {
      setStatus(summary + 'Webhook not delivered: ' + (last.error || 'no HTTP 200') + '.', 'bad');
      retriesNode.textContent = delivery.retriesPending > 0
        ? 'Retries pending: ' + delivery.retriesPending + '. Next attempt in ' + seconds(delivery.nextRetryInMs) + ', signed again with a fresh time.'
        : 'No retries left: BlockATM gives up on this webhook.';
    }
    offerRedirect(delivery.delivered);
    if (!delivery.delivered && delivery.retriesPending > 0) poll(delivery.deliveryId, delivery.nextRetryInMs);
  }

  function moveFocus() {
    if (redirectUrl) {
      continueLink.focus();
      return;
    }
    statusNode.setAttribute('tabindex', '-1');
    statusNode.focus();
  }

  function seconds(ms) {
    return ms < 1000 ? ms + ' ms' : Math.round(ms / 1000) + ' s';
  }

  function poll(id, nextMs) {
    if (polls >= MAX_POLLS) return;
    polls += 1;
    var wait = Math.min(Math.max(nextMs || 0, 250) + 150, 5000);
    setTimeout(function () {
      fetch('/_mock/cashier/deliveries?id=' + encodeURIComponent(id))
        .then(readJson)
        .then(function (result) {
          if (!result.ok) return;
          renderDelivery(result.body);
        })
        .catch(function () { retriesNode.textContent = 'Lost contact with the emulator; reload the page to see later attempts.'; });
    }, wait);
  }

  function offerRedirect(delivered) {
    if (!redirectUrl) {
      nextNode.hidden = true;
      return;
    }
    continueLink.href = redirectUrl;
    nextNode.hidden = false;
    if (!delivered || redirectStarted) {
      continueLink.textContent = 'Continue to the merchant';
      return;
    }
    redirectStarted = true;
    stayButton.hidden = false;
    var left = REDIRECT_SECONDS;
    var tick = function () {
      if (left <= 0) {
        window.location.assign(redirectUrl);
        return;
      }
      continueLink.textContent = 'Continue to the merchant (automatically in ' + left + ' s)';
      left -= 1;
      redirectTimer = setTimeout(tick, 1000);
    };
    tick();
  }

  stayButton.addEventListener('click', function () {
    clearTimeout(redirectTimer);
    stayButton.hidden = true;
    continueLink.textContent = 'Continue to the merchant';
    continueLink.focus();
  });
})();
`;
