import { describe, expect, it } from 'vitest';
import { readWidgetLink } from '../../core/cashier-widget.js';
import { signWidgetUrl } from '../../core/url-signing.js';
import { CASHIER_JS } from './assets.js';
import { renderErrorPage, renderOrderPage, renderReturnPage } from './page.js';
import { qrStyleBlock } from './qr-block.js';

const credentials = { apiKey: 'pk_test_cashier_page', secretKey: 'sk_test_cashier_page_secret' };

function hostileOrder() {
  const query = signWidgetUrl('http://h/cashier', [['apiKey', credentials.apiKey], ['custNo', '<svg/onload=alert(1)>'], ['orderNo', '"></script><b>']], credentials.secretKey).url.split('?')[1]!;
  const read = readWidgetLink(query, credentials);
  if (!read.ok) throw new Error(read.error.title);
  return { order: read.value, query };
}

describe('the test cashier page', () => {
  it('escapes every value from the link, in the HTML and in the embedded data', () => {
    const { order, query } = hostileOrder();
    const html = renderOrderPage(order, query, 'http://127.0.0.1:9/hook?token=abc');
    expect(html).not.toContain('<svg/onload');
    expect(html).not.toContain('"></script><b>');
    expect(html).toContain('&#60;svg/onload=alert(1)&#62;');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it('shows the Webhook URL without its query, and never a secret', () => {
    const { order, query } = hostileOrder();
    const html = renderOrderPage(order, query, 'http://127.0.0.1:9/hook?token=abc');
    expect(html).toContain('http://127.0.0.1:9/hook?…');
    expect(html).not.toContain('token=abc');
    expect(html).not.toContain(credentials.secretKey);
    expect(renderOrderPage(order, query, undefined)).toContain('No Webhook URL is set');
  });

  it('has labelled buttons for the four outcomes and a live status region', () => {
    const { order, query } = hostileOrder();
    const html = renderOrderPage(order, query, undefined);
    for (const action of ['pay', 'underpay', 'cancel', 'expire']) expect(html).toMatch(new RegExp(`data-action="${action}" aria-describedby="help-${action}"`));
    expect(html).toContain('role="status" aria-live="polite"');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('name="viewport"');
  });

  it('renders a refusal as an alert naming the parameter', () => {
    const html = renderErrorPage({ field: 'signature', title: 'The link is not signed', detail: 'd <x>', hint: 'h' });
    expect(html).toContain('role="alert"');
    expect(html).toContain('<code>signature</code>');
    expect(html).toContain('d &#60;x&#62;');
    expect(html).not.toContain('cashier.js');
  });

  it('draws a stable QR-style block with an accessible name', () => {
    const block = qrStyleBlock('0xabc', 'QR for "0xabc"');
    expect(block).toBe(qrStyleBlock('0xabc', 'QR for "0xabc"'));
    expect(block).not.toBe(qrStyleBlock('0xabd', 'QR for "0xabc"'));
    expect(block).toContain('role="img" aria-label="QR for &#34;0xabc&#34;"');
  });

  it('serves a script that parses', () => {
    expect(() => new Function(CASHIER_JS)).not.toThrow();
  });
});

describe('the return page', () => {
  it('shows status and txId, escaped', () => {
    const html = renderReturnPage('SUCCESS', '<b>0x1</b>');
    expect(html).toContain('<code>SUCCESS</code>');
    expect(html).toContain('&#60;b&#62;0x1');
    expect(renderReturnPage(undefined, '')).toContain('(empty: nothing was paid)');
  });
});
