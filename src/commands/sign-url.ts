import type { AppContext } from '../context.js';
import type { CommandInput } from '../program.js';
import type { Output } from '../ui/output.js';
import { loadSettings, requireSetting } from '../config/load-settings.js';
import { widgetParams, type WidgetLinkInput } from '../core/cashier-widget.js';
import { signWidgetUrl } from '../core/url-signing.js';
import { parseHttpUrl } from '../core/validate.js';
import { badInput, orBadInput } from '../errors.js';
import { renderSignedUrl } from '../ui/render-signing.js';

/** Where `cashier-check mock` serves its test cashier by default (also the --base-url default). */
const DEFAULT_CASHIER_URL = 'http://127.0.0.1:4010/cashier';

interface SignUrlOptions {
  orderNo?: string;
  custNo?: string;
  amount?: string;
  currency?: string;
  symbol?: string;
  chainId?: string;
  lang?: string;
  redirectUrl?: string;
  baseUrl: string;
}

const FLAGS: Record<keyof WidgetLinkInput, string> = {
  apiKey: 'apiKey',
  custNo: '--cust-no',
  orderNo: '--order-no',
  amount: '--amount',
  currency: '--currency',
  chainId: '--chain-id',
  lang: '--lang',
  redirectUrl: '--redirect-url',
};

export async function run(ctx: AppContext, out: Output, { opts, globals }: CommandInput<SignUrlOptions>): Promise<number> {
  if (opts.custNo === undefined) throw badInput('--cust-no', 'is required: V2 widget links must name the customer', 'e.g. --cust-no CUST_0001');
  if (opts.currency !== undefined && opts.symbol !== undefined && opts.currency.trim().toUpperCase() !== opts.symbol.trim().toUpperCase()) {
    throw badInput('--currency/--symbol', 'name the same token twice with different values', 'give one of them');
  }
  const baseUrl = orBadInput('--base-url', parseHttpUrl(opts.baseUrl), `the cashier page, e.g. ${DEFAULT_CASHIER_URL}`).toString();
  const settings = loadSettings(ctx.env, globals.profile);
  const apiKey = requireSetting(settings, 'apiKey', 'set CASHIER_CHECK_API_KEY or run "cashier-check init" (or open the link "cashier-check mock" prints)');
  const secretKey = requireSetting(settings, 'secretKey', 'set CASHIER_CHECK_SECRET_KEY or run "cashier-check init" (or open the link "cashier-check mock" prints)');
  const params = widgetParams({
    apiKey,
    custNo: opts.custNo,
    orderNo: opts.orderNo,
    amount: opts.amount,
    currency: opts.currency ?? opts.symbol,
    chainId: opts.chainId,
    lang: opts.lang,
    redirectUrl: opts.redirectUrl,
  });
  if (!params.ok) throw badInput(FLAGS[params.error.field], params.error.problem);
  const signed = signWidgetUrl(baseUrl, params.value, secretKey);
  out.result({ url: signed.url, stringToSign: signed.stringToSign, signature: signed.signature }, (theme) => renderSignedUrl(theme, signed));
  return 0;
}
