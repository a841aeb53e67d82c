import { createHash } from 'node:crypto';
import { parseHttpUrl } from './validate.js';
import { fail, ok, type Result } from './result.js';
import { signWidgetUrl, verifyWidgetUrl, type QueryParam } from './url-signing.js';

/** Chains BlockATM names (Part B §4.4), with the `network` a payment webhook reports for each. */
export const CHAINS: Readonly<Record<string, { network: string; label: string; kind: 'evm' | 'tron' }>> = {
  '1': { network: 'Ethereum', label: 'Ethereum', kind: 'evm' },
  '11155111': { network: 'Ethereum', label: 'Sepolia (Ethereum testnet)', kind: 'evm' },
  '42161': { network: 'Arbitrum', label: 'Arbitrum One', kind: 'evm' },
  '421614': { network: 'Arbitrum', label: 'Arbitrum Sepolia (testnet)', kind: 'evm' },
  '0x2b6653dc': { network: 'TRON', label: 'TRON', kind: 'tron' },
  '0x94a9059e': { network: 'TRON', label: 'TRON Shasta (testnet)', kind: 'tron' },
};

export const DEFAULT_CHAIN_ID = '11155111';
export const DEFAULT_CURRENCY = 'USDT';
export const DEFAULT_AMOUNT = '100.00';

const AMOUNT = /^(?:0|[1-9]\d{0,14})(?:\.\d{1,18})?$/;
const CURRENCY = /^[A-Za-z0-9]{2,12}$/;
const LANG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

export function validateAmount(input: string): Result<string> {
  const text = input.trim();
  if (!AMOUNT.test(text)) return fail(`"${text.slice(0, 30)}" is not a decimal amount such as 100.50`);
  if (!/[1-9]/.test(text)) return fail('must be greater than zero');
  return ok(text);
}

export function validateChainId(input: string): Result<string> {
  const text = input.trim().toLowerCase();
  if (CHAINS[text]) return ok(text);
  return fail(`"${input.trim().slice(0, 20)}" is not a BlockATM chain; use one of ${Object.keys(CHAINS).join(', ')}`);
}

/** A widget field given by the merchant (custNo, orderNo): non-empty, printable, no dot (Part B §2.2). */
export function validateWidgetId(input: string): Result<string> {
  const text = input.trim();
  if (text === '') return fail('is empty');
  if (text.length > 64) return fail('is longer than 64 characters');
  if (/[^\x21-\x7e]/.test(text)) return fail('must be printable ASCII without spaces');
  if (text.includes('.')) return fail('must not contain "." (BlockATM refuses it)');
  return ok(text);
}

export interface WidgetLinkInput {
  apiKey: string;
  custNo: string;
  orderNo?: string;
  amount?: string;
  currency?: string;
  chainId?: string;
  lang?: string;
  redirectUrl?: string;
}

export interface WidgetInputError {
  field: keyof WidgetLinkInput;
  problem: string;
}

/**
 * The widget parameters for a link, validated, in the order the link will carry (and sign) them.
 * Names follow BlockATM's widget parameter table: `currency` and `redirectURL`.
 */
export function widgetParams(input: WidgetLinkInput): Result<QueryParam[], WidgetInputError> {
  const params: QueryParam[] = [['apiKey', input.apiKey]];
  const checks: [keyof WidgetLinkInput, string, string | undefined, (text: string) => Result<string>][] = [
    ['custNo', 'custNo', input.custNo, validateWidgetId],
    ['orderNo', 'orderNo', input.orderNo, validateWidgetId],
    ['amount', 'amount', input.amount, validateAmount],
    ['currency', 'currency', input.currency, (text) => (CURRENCY.test(text.trim()) ? ok(text.trim().toUpperCase()) : fail('must be a token code such as USDT'))],
    ['chainId', 'chainId', input.chainId, validateChainId],
    ['lang', 'lang', input.lang, (text) => (LANG.test(text.trim()) ? ok(text.trim()) : fail('must be a language tag such as en-US or zh-CN'))],
    ['redirectUrl', 'redirectURL', input.redirectUrl, (text) => (parseHttpUrl(text).ok ? ok(text.trim()) : fail('must be an absolute http(s) URL'))],
  ];
  for (const [field, name, value, validate] of checks) {
    if (value === undefined) continue;
    const checked = validate(value);
    if (!checked.ok) return fail({ field, problem: checked.error });
    params.push([name, checked.value]);
  }
  return ok(params);
}

/** An order as the test cashier shows it, read from a signed widget link. */
export interface WidgetOrder {
  apiKey: string;
  custNo: string;
  orderNo: string;
  orderNoFromLink: boolean;
  amount: string;
  amountFromLink: boolean;
  currency: string;
  chainId: string;
  network: string;
  networkLabel: string;
  lang: string;
  redirectUrl: string | null;
  depositAddress: string;
}

/** Why a link is refused: the parameter at fault, what is wrong, and how to make a good link. */
export interface WidgetLinkError {
  field: string;
  title: string;
  detail: string;
  hint: string;
  /** For a signature failure: the string the signature should cover (never contains a key). */
  stringToSign?: string;
}

const SIGN_HINT = 'open the link "cashier-check mock" prints at start-up, or make one with "cashier-check sign-url --cust-no <id>" (same secret key as the emulator)';

/**
 * Reads a widget link the way BlockATM's V2 widget does: the API key must be the desk's, the
 * signature must verify with the secret key, and `custNo` is mandatory. Returns the order to show.
 */
export function readWidgetLink(rawQuery: string, credentials: { apiKey: string; secretKey: string }): Result<WidgetOrder, WidgetLinkError> {
  const check = verifyWidgetUrl(rawQuery, credentials.secretKey);
  const value = (name: string): string | undefined => check.params.find(([key]) => key === name)?.[1]?.trim();
  const apiKey = value('apiKey');
  if (!apiKey) return fail({ field: 'apiKey', title: 'The link has no apiKey', detail: 'Every widget link carries the desk\'s API key (integration public key).', hint: SIGN_HINT });
  if (apiKey !== credentials.apiKey) {
    return fail({ field: 'apiKey', title: 'Unknown apiKey', detail: 'The apiKey in the link is not this emulator\'s API key.', hint: SIGN_HINT });
  }
  if (!check.valid) {
    const title = check.failure === 'missing' ? 'The link is not signed' : 'The link\'s signature is not valid';
    return fail({ field: 'signature', title, detail: `${capitalise(check.reason)}.`, hint: SIGN_HINT, stringToSign: check.stringToSign });
  }
  const custNo = value('custNo');
  if (!custNo) return fail({ field: 'custNo', title: 'custNo is missing', detail: 'V2 widget links must name the customer (custNo); BlockATM refuses a link without it.', hint: SIGN_HINT });
  const fieldError = (field: string, problem: string): Result<never, WidgetLinkError> =>
    fail({ field, title: `${field} is not valid`, detail: `${field} ${problem}.`, hint: 'fix the parameter and sign the link again' });
  for (const [field, text] of [['custNo', custNo], ['orderNo', value('orderNo')]] as const) {
    if (text === undefined || text === '') continue;
    const checked = validateWidgetId(text);
    if (!checked.ok) return fieldError(field, checked.error);
  }
  const amountText = value('amount');
  const amount = amountText ? validateAmount(amountText) : ok(DEFAULT_AMOUNT);
  if (!amount.ok) return fieldError('amount', amount.error);
  const chain = validateChainId(value('chainId') || value('defaultChainId') || DEFAULT_CHAIN_ID);
  if (!chain.ok) return fieldError('chainId', chain.error);
  const currency = (value('currency') || value('symbol') || value('defaultCurrency') || DEFAULT_CURRENCY).toUpperCase();
  if (!CURRENCY.test(currency)) return fieldError('currency', 'must be a token code such as USDT');
  const redirect = value('redirectURL');
  if (redirect && !parseHttpUrl(redirect).ok) return fieldError('redirectURL', 'must be an absolute http(s) URL');
  const orderNo = value('orderNo') || `ORDER_${digest(check.stringToSign).slice(0, 10).toUpperCase()}`;
  const info = CHAINS[chain.value]!;
  return ok({
    apiKey,
    custNo,
    orderNo,
    orderNoFromLink: Boolean(value('orderNo')),
    amount: amount.value,
    amountFromLink: Boolean(amountText),
    currency,
    chainId: chain.value,
    network: info.network,
    networkLabel: info.label,
    lang: value('lang') || 'en-US',
    redirectUrl: redirect || null,
    depositAddress: fakeAddress(info.kind, `${custNo}/${orderNo}/${chain.value}`),
  });
}

/**
 * A ready, signed link to an emulator's test cashier, returning to the emulator's own return
 * page, so `mock` can offer the whole flow without any set-up.
 */
export function demoCashierLink(baseUrl: string, credentials: { apiKey: string; secretKey: string }, orderNo: string): string {
  const params: QueryParam[] = [
    ['apiKey', credentials.apiKey],
    ['custNo', 'CUST_0001'],
    ['orderNo', orderNo],
    ['amount', DEFAULT_AMOUNT],
    ['currency', DEFAULT_CURRENCY],
    ['chainId', DEFAULT_CHAIN_ID],
    ['redirectURL', `${baseUrl}/cashier/return`],
  ];
  return signWidgetUrl(`${baseUrl}/cashier`, params, credentials.secretKey).url;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A stable, obviously fake deposit address in the chain's format (never a real wallet). */
export function fakeAddress(kind: 'evm' | 'tron', seed: string): string {
  const hash = createHash('sha512').update(`cashier-check deposit ${seed}`).digest();
  if (kind === 'evm') return `0x${hash.subarray(0, 20).toString('hex')}`;
  return `T${Array.from(hash.subarray(0, 33), (byte) => BASE58[byte % 58]).join('')}`;
}
