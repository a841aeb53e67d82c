import { signApiRequest, type RequestSigner } from './request-signing.js';
import { fail, ok, type Result } from './result.js';
import { isProduction, maskSecret, type Settings } from './settings.js';
import { parseEcPrivateKey } from './signing.js';
import { API_KEY_HEADER } from './webhook-signature.js';

export type CheckName = 'reachability' | 'api-key' | 'signature' | 'clock-skew' | 'create-payout';

export const TITLES: Readonly<Record<CheckName, string>> = {
  reachability: 'Reachability and TLS (allNetworks)',
  'api-key': 'API key and desk (cashier/info)',
  signature: 'Signed request (payout/detail)',
  'clock-skew': 'Clock skew (Date header)',
  'create-payout': 'Create a payout (payout/order)',
};

/** A bizOrderNo nobody has used: asking for it must give 000202 once the signature passes. */
export function probeOrderNo(random: (bytes: number) => string, prefix = 'CCHK'): string {
  return `${prefix}${random(6).toUpperCase()}`;
}

/** The D8 endpoints send-test calls. */
export const ENDPOINTS = {
  allNetworks: '/admin/api/v2/pub/allNetworks',
  cashierInfo: '/admin/api/v2/pub/cashier/info',
  payoutDetail: '/order/api/v2/payout/detail',
  payoutOrder: '/order/api/v2/payout/order',
} as const;

/** What a merchant asks for with --create-payout: a real payout on a non-production desk. */
export interface PayoutRequest {
  amount: string;
  chainId: string;
  symbol: string;
  toAddress: string;
  custNo: string;
  remark?: string;
}

export interface PlannedRequest {
  method: 'GET' | 'POST';
  url: string;
  /** The headers to send, the real API key included: never print these, print maskedHeaders. */
  headers: Record<string, string>;
  body?: string;
  /** Null for unsigned calls. */
  stringToSign: string | null;
}

type Plan = Result<PlannedRequest, { message: string; hint: string }>;

/** The public, API-key-only call (allNetworks, cashier/info). */
export function planQuery(settings: Settings, path: string): Plan {
  if (!settings.apiKey) return fail(missing('apiKey'));
  return ok({ method: 'GET', url: `${settings.baseUrl}${path}`, headers: { [API_KEY_HEADER]: settings.apiKey, Accept: 'application/json' }, stringToSign: null });
}

/** A signed GET (D3: the query is signed, already sorted and needing no escaping). */
export function planSignedGet(settings: Settings, path: string, query: Record<string, string>, timeMs: number): Plan {
  const queryString = Object.keys(query).sort().map((key) => `${key}=${query[key]}`).join('&');
  return planSigned(settings, 'GET', `${settings.baseUrl}${path}${queryString ? `?${queryString}` : ''}`, { query: queryString }, timeMs);
}

/** A signed JSON POST; amounts go as JSON strings so no number formatting can differ (D3 rule 5). */
export function planSignedPost(settings: Settings, path: string, body: Record<string, string>, timeMs: number): Plan {
  return planSigned(settings, 'POST', `${settings.baseUrl}${path}`, { body: JSON.stringify(body) }, timeMs);
}

function planSigned(settings: Settings, method: 'GET' | 'POST', url: string, input: { query?: string; body?: string }, timeMs: number): Plan {
  if (!settings.apiKey) return fail(missing('apiKey'));
  const signer = signerFor(settings);
  if (!signer.ok) return signer;
  const signed = signApiRequest({ apiKey: settings.apiKey, signer: signer.value, timeMs, ...input });
  if (!signed.ok) return fail({ message: `cannot sign the request: ${signed.error}`, hint: 'this is a bug in cashier-check; report it' });
  return ok({ method, url, headers: { ...signed.value.headers, Accept: 'application/json' }, body: input.body, stringToSign: signed.value.stringToSign });
}

function signerFor(settings: Settings): Result<RequestSigner, { message: string; hint: string }> {
  if (settings.signatureVersion === 'v1') {
    if (!settings.v1PrivateKey) return fail(missing('v1PrivateKey'));
    const key = parseEcPrivateKey(settings.v1PrivateKey);
    if (!key.ok) return fail({ message: `the V1 private key is unusable: ${key.error}`, hint: 'set CASHIER_CHECK_V1_PRIVATE_KEY to the Base64 PKCS#8 key, or run "cashier-check init"' });
    return ok({ version: 'v1', privateKey: key.value });
  }
  if (!settings.secretKey) return fail(missing('secretKey'));
  return ok({ version: 'v2', secretKey: settings.secretKey });
}

const SETTING_HELP: Record<string, string> = {
  apiKey: 'the API key (integration public key): set CASHIER_CHECK_API_KEY or run "cashier-check init"',
  secretKey: 'the secret key (integration key): set CASHIER_CHECK_SECRET_KEY or run "cashier-check init"',
  v1PrivateKey: 'the V1 private key: set CASHIER_CHECK_V1_PRIVATE_KEY or run "cashier-check init"',
};

function missing(field: string): { message: string; hint: string } {
  return { message: `${field} is not set`, hint: `set ${SETTING_HELP[field] ?? field}` };
}

/** The headers as they may be shown: the API key masked (first and last 4 characters). */
export function maskedHeaders(headers: Record<string, string>): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) shown[name] = name.toLowerCase() === API_KEY_HEADER.toLowerCase() ? maskSecret(value) : value;
  return shown;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * An equivalent curl line that runs as is: the API key comes from $CASHIER_CHECK_API_KEY so it
 * never lands in the terminal or shell history; the signature is only valid for the time window.
 */
export function curlLine(request: PlannedRequest): string {
  const parts = ['curl', '-sS', '-i'];
  if (request.method !== 'GET') parts.push('-X', request.method);
  for (const [name, value] of Object.entries(request.headers)) {
    parts.push('-H', name.toLowerCase() === API_KEY_HEADER.toLowerCase() ? `"${name}: $CASHIER_CHECK_API_KEY"` : shellQuote(`${name}: ${value}`));
  }
  if (request.body !== undefined) parts.push('--data-raw', shellQuote(request.body));
  parts.push(shellQuote(request.url));
  return parts.join(' ');
}

/** ApiPayoutOrderDTO with every value a string, so the signed text is exactly what is sent. */
export function payoutBody(request: PayoutRequest, bizOrderNo: string): Record<string, string> {
  const body: Record<string, string> = { amount: request.amount, bizOrderNo, chainId: request.chainId, custNo: request.custNo, symbol: request.symbol, toAddress: request.toAddress };
  if (request.remark) body.remark = request.remark;
  return body;
}

export interface DryRunRequest {
  check: CheckName;
  title: string;
  method: string;
  url: string;
  /** API key masked. */
  headers: Record<string, string>;
  body: string | null;
  stringToSign: string | null;
  curl: string;
}

/** What send-test would send, without sending: each request, its string to sign and a curl line. */
export function planSendTest(deps: { settings: Settings; now: () => number; random: (bytes: number) => string; createPayout?: PayoutRequest }): Result<DryRunRequest[], { message: string; hint: string }> {
  const { settings } = deps;
  const plans: [CheckName, ReturnType<typeof planQuery>][] = [
    ['reachability', planQuery(settings, ENDPOINTS.allNetworks)],
    ['api-key', planQuery(settings, ENDPOINTS.cashierInfo)],
    ['signature', planSignedGet(settings, ENDPOINTS.payoutDetail, { bizOrderNo: probeOrderNo(deps.random) }, deps.now())],
  ];
  if (deps.createPayout && !isProduction(settings)) {
    plans.push(['create-payout', planSignedPost(settings, ENDPOINTS.payoutOrder, payoutBody(deps.createPayout, probeOrderNo(deps.random, 'CCHKP')), deps.now())]);
  }
  const requests: DryRunRequest[] = [];
  for (const [check, plan] of plans) {
    if (!plan.ok) return plan;
    const { method, url, headers, body, stringToSign } = plan.value;
    requests.push({ check, title: TITLES[check], method, url, headers: maskedHeaders(headers), body: body ?? null, stringToSign, curl: curlLine(plan.value) });
  }
  return ok(requests);
}
