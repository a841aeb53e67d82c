import { estimateSkew, judgeSkew, type SkewEstimate } from './clock-skew.js';
import { ENDPOINTS, payoutBody, planQuery, planSignedGet, planSignedPost, probeOrderNo, TITLES, type CheckName, type PayoutRequest, type PlannedRequest } from './send-test-plan.js';
import { isProduction, type Settings } from './settings.js';
import { readEnvelope, type Envelope } from './api-envelope.js';

/** The shape of HttpClient.send, restated here so core never imports the HTTP layer. */
export interface SendRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}
export type SendOutcome =
  | { ok: true; response: { status: number; headers: Record<string, string>; body: string; latencyMs: number } }
  | { ok: false; failure: { kind: string; message: string; hint: string }; latencyMs: number };

export { planSendTest, type DryRunRequest } from './send-test-plan.js';

export interface SendTestDeps {
  send: (request: SendRequest) => Promise<SendOutcome>;
  settings: Settings;
  now: () => number;
  /** Hex of n random bytes, for the bizOrderNo nobody has used. */
  random: (bytes: number) => string;
  /** Only with the explicit flag; refused on production whatever the caller says. */
  createPayout?: PayoutRequest;
  timeoutMs?: number;
}

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface Evidence {
  method: string;
  url: string;
  status: number | null;
  code: string | null;
  msg: string | null;
  latencyMs: number | null;
  /** Network failure kind (dns, refused, timeout, tls, reset, http) when there was no answer. */
  failure?: string;
  stringToSign?: string | null;
  /** An excerpt of the response body. */
  body?: string;
}

export interface SendTestCheck {
  name: CheckName;
  title: string;
  status: CheckStatus;
  detail: string;
  hint: string;
  evidence: Evidence | null;
}

export interface SendTestReport {
  baseUrl: string;
  environment: string;
  checks: SendTestCheck[];
  passed: number;
  failed: number;
  warned: number;
  skewMs: number | null;
}



interface Exchange {
  evidence: Evidence;
  envelope: Envelope | null;
  failureHint: string | null;
  skew?: SkewEstimate;
}

/**
 * Talks to the configured BlockATM API and grades the answers: reachability and TLS, the API
 * key and desk, a signed call (000202 proves the signature, 000105 refutes it), clock skew.
 * Pure apart from the `send` it is handed, so `check` reuses it against any target.
 */
export async function runSendTest(deps: SendTestDeps): Promise<SendTestReport> {
  const { settings } = deps;
  const checks: SendTestCheck[] = [];
  const skews: { estimate: SkewEstimate; evidence: Evidence }[] = [];
  const exchange = async (plan: PlannedRequest): Promise<Exchange> => {
    const result = await call(deps, plan);
    if (result.skew) skews.push({ estimate: result.skew, evidence: result.evidence });
    return result;
  };

  const reach = await checkReachability(settings, exchange);
  checks.push(reach);
  const reachable = reach.status !== 'fail';
  const unreachable = 'skipped: the API is not reachable (see reachability)';
  checks.push(reachable ? await checkApiKey(settings, exchange) : skipped('api-key', TITLES['api-key'], unreachable));
  const apiKeyOk = checks[1]!.status !== 'fail' && checks[1]!.status !== 'skip';
  const signature = reachable ? await checkSignature(deps, exchange) : skipped('signature', TITLES.signature, unreachable);
  checks.push(signature);
  const skewCheck = checkSkew(skews);
  checks.push(skewCheck.check);
  if (skewCheck.estimate && signature.status === 'fail' && signature.evidence?.code === '000105' && Math.abs(skewCheck.estimate.skewMs) > 1_000) {
    signature.hint = `${skewCheck.check.detail.split(';')[0]}: fix the clock first, then ${signature.hint}`;
  }
  if (deps.createPayout) checks.push(await checkCreatePayout(deps, exchange, reachable && apiKeyOk && signature.status === 'pass'));
  return {
    baseUrl: settings.baseUrl,
    environment: settings.environment,
    checks,
    passed: checks.filter((c) => c.status === 'pass').length,
    failed: checks.filter((c) => c.status === 'fail').length,
    warned: checks.filter((c) => c.status === 'warn').length,
    skewMs: skewCheck.estimate?.skewMs ?? null,
  };
}

async function call(deps: SendTestDeps, plan: PlannedRequest): Promise<Exchange> {
  const base = { method: plan.method, url: plan.url, stringToSign: plan.stringToSign };
  const sentAtMs = deps.now();
  const outcome = await deps.send({ method: plan.method, url: plan.url, headers: plan.headers, body: plan.body, timeoutMs: deps.timeoutMs ?? 10_000 });
  const receivedAtMs = deps.now();
  if (!outcome.ok) {
    const { kind, message, hint } = outcome.failure;
    return { evidence: { ...base, status: null, code: null, msg: message, latencyMs: outcome.latencyMs, failure: kind }, envelope: null, failureHint: hint };
  }
  const { status, headers, body, latencyMs } = outcome.response;
  const envelope = readEnvelope(body);
  const date = headers.date;
  const skew = date === undefined ? undefined : estimateSkew({ date, sentAtMs, receivedAtMs });
  const evidence: Evidence = { ...base, status, code: envelope?.code ?? null, msg: envelope?.msg ?? null, latencyMs, body: body.slice(0, 2_000) };
  return { evidence, envelope, failureHint: null, skew };
}

type Exchanger = (plan: PlannedRequest) => Promise<Exchange>;

function skipped(name: SendTestCheck['name'], title: string, detail: string, hint = ''): SendTestCheck {
  return { name, title, status: 'skip', detail, hint, evidence: null };
}

function failed(name: SendTestCheck['name'], title: string, detail: string, hint: string, evidence: Evidence | null = null): SendTestCheck {
  return { name, title, status: 'fail', detail, hint, evidence };
}

/** The answer was not BlockATM's envelope, or no answer came at all: say why in one line. */
function badAnswer(name: SendTestCheck['name'], title: string, result: Exchange): SendTestCheck {
  const { evidence } = result;
  if (evidence.failure) return failed(name, title, `${evidence.failure}: ${evidence.msg}`, result.failureHint ?? '', evidence);
  if (evidence.status === 429 || evidence.status === 418) {
    return { name, title, status: 'warn', detail: `rate limited (HTTP ${evidence.status})`, hint: 'BlockATM allows about 100 requests a minute per key: wait a minute and run again', evidence };
  }
  if (result.envelope === null) {
    return failed(name, title, `HTTP ${evidence.status} without BlockATM's JSON envelope`, 'check the base URL (CASHIER_CHECK_ENV / CASHIER_CHECK_BASE_URL): it should be the API host, not the dashboard or a proxy page', evidence);
  }
  return failed(name, title, `unexpected answer: HTTP ${evidence.status}, code ${evidence.code} ${evidence.msg ?? ''}`.trim(), 'see the response body with --verbose', evidence);
}

async function checkReachability(settings: Settings, exchange: Exchanger): Promise<SendTestCheck> {
  const title = TITLES.reachability;
  const plan = planQuery(settings, ENDPOINTS.allNetworks);
  if (!plan.ok) return failed('reachability', title, plan.error.message, plan.error.hint);
  const result = await exchange(plan.value);
  const { evidence, envelope } = result;
  if (evidence.status !== 200 || envelope === null) return badAnswer('reachability', title, result);
  if (envelope.code !== '200') {
    return { name: 'reachability', title, status: 'warn', detail: `reachable, but this public endpoint answered code ${envelope.code} ${envelope.msg ?? ''}`.trim(), hint: 'the API host answers; see the checks below for what it refuses', evidence };
  }
  const count = Array.isArray(envelope.data) ? `${envelope.data.length} networks` : 'no network list';
  const tls = plan.value.url.startsWith('https:') ? 'TLS certificate valid, ' : 'plain HTTP (no TLS), ';
  return { name: 'reachability', title, status: 'pass', detail: `${tls}answered in ${evidence.latencyMs} ms, ${count}`, hint: '', evidence };
}

async function checkApiKey(settings: Settings, exchange: Exchanger): Promise<SendTestCheck> {
  const title = TITLES['api-key'];
  const plan = planQuery(settings, ENDPOINTS.cashierInfo);
  if (!plan.ok) return failed('api-key', title, plan.error.message, plan.error.hint);
  const result = await exchange(plan.value);
  const { evidence, envelope } = result;
  const keyHint = 'use the API key (integration public key) shown in Cashier → Integrate for this desk and environment; sandbox and production keys differ';
  if (envelope?.code === '000112') return failed('api-key', title, 'BlockATM says the API key is missing (000112)', keyHint, evidence);
  if (envelope?.code === '000110') return failed('api-key', title, 'BlockATM does not accept this API key (000110 no permission)', keyHint, evidence);
  if (evidence.status !== 200 || envelope === null || envelope.code !== '200') return badAnswer('api-key', title, result);
  const desk = describeDesk(envelope.data, settings.cashierId);
  return { name: 'api-key', title, status: desk.mismatch ? 'warn' : 'pass', detail: desk.detail, hint: desk.mismatch ? 'the API key belongs to another desk than the configured Cashier Desk ID: copy both from the same Integrate popup' : '', evidence };
}

function describeDesk(data: unknown, cashierId: string | undefined): { detail: string; mismatch: boolean } {
  if (typeof data !== 'object' || data === null) return { detail: 'API key accepted', mismatch: false };
  const info = data as Record<string, unknown>;
  const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
  const name = text(info.name);
  const merchantId = text(info.merchantId);
  const deskId = text(info.cashierId) ?? text(info.id);
  const parts = [name && `desk "${name}"`, deskId && `Cashier Desk ID ${deskId}`, merchantId && `merchant ${merchantId}`].filter(Boolean);
  const mismatch = deskId !== undefined && cashierId !== undefined && deskId !== cashierId;
  const detail = `API key accepted${parts.length ? `: ${parts.join(', ')}` : ''}${mismatch ? `; but the configured Cashier Desk ID is ${cashierId}` : ''}`;
  return { detail, mismatch };
}

async function checkSignature(deps: SendTestDeps, exchange: Exchanger): Promise<SendTestCheck> {
  const title = TITLES.signature;
  const bizOrderNo = probeOrderNo(deps.random);
  const plan = planSignedGet(deps.settings, ENDPOINTS.payoutDetail, { bizOrderNo }, deps.now());
  if (!plan.ok) return failed('signature', title, plan.error.message, plan.error.hint);
  const result = await exchange(plan.value);
  const { evidence, envelope } = result;
  const v1 = deps.settings.signatureVersion === 'v1';
  const header = v1 ? 'BlockATM-Signature-V1 (Base64 ECDSA)' : 'BlockATM-Signature-V2 (lowercase hex HMAC-SHA256)';
  const key = v1 ? 'the V1 private key (CASHIER_CHECK_V1_PRIVATE_KEY)' : 'the secret key, called integration key in the dashboard (CASHIER_CHECK_SECRET_KEY), not the API key or the Webhook key';
  switch (envelope?.code) {
    case '000202':
      return { name: 'signature', title, status: 'pass', detail: `signature accepted: BlockATM looked up bizOrderNo ${bizOrderNo} and answered 000202 (not found), as it should for an order that does not exist`, hint: '', evidence };
    case '200':
      return { name: 'signature', title, status: 'pass', detail: `signature accepted (bizOrderNo ${bizOrderNo} was found)`, hint: '', evidence };
    case '000105':
      return failed('signature', title, 'BlockATM refused the signature or its time (000105 illegal request)', `check ${key}, that it signs "${plan.value.stringToSign}" and goes in ${header}, with BlockATM-Request-Time in epoch ms`, evidence);
    case '000110':
    case '000112':
      return failed('signature', title, `BlockATM refused the API key (${envelope.code})`, 'fix the API key first (see the API key check)', evidence);
    default:
      return badAnswer('signature', title, result);
  }
}

function checkSkew(skews: { estimate: SkewEstimate; evidence: Evidence }[]): { check: SendTestCheck; estimate?: SkewEstimate } {
  const title = TITLES['clock-skew'];
  const best = [...skews].sort((a, b) => a.estimate.uncertaintyMs - b.estimate.uncertaintyMs)[0];
  if (!best) return { check: skipped('clock-skew', title, 'no answer carried a Date header to compare clocks with') };
  const judged = judgeSkew(best.estimate);
  const { body: _body, stringToSign: _signed, ...evidence } = best.evidence;
  return { check: { name: 'clock-skew', title, status: judged.status, detail: judged.detail, hint: judged.hint, evidence }, estimate: best.estimate };
}

async function checkCreatePayout(deps: SendTestDeps, exchange: Exchanger, ready: boolean): Promise<SendTestCheck> {
  const title = TITLES['create-payout'];
  if (isProduction(deps.settings)) return failed('create-payout', title, 'refused: --create-payout never runs against production', 'create test payouts on the sandbox or the emulator only');
  if (!ready) return skipped('create-payout', title, 'skipped: the checks above must pass first');
  const request = deps.createPayout!;
  const bizOrderNo = probeOrderNo(deps.random, 'CCHKP');
  const plan = planSignedPost(deps.settings, ENDPOINTS.payoutOrder, payoutBody(request, bizOrderNo), deps.now());
  if (!plan.ok) return failed('create-payout', title, plan.error.message, plan.error.hint);
  const result = await exchange(plan.value);
  const { evidence, envelope } = result;
  if (envelope?.code === '200') return { name: 'create-payout', title, status: 'pass', detail: `payout ${bizOrderNo} created: ${request.amount} ${request.symbol} to ${request.toAddress}`, hint: '', evidence };
  if (envelope !== null && evidence.status === 200) {
    return failed('create-payout', title, `BlockATM refused the payout: ${envelope.code} ${envelope.msg ?? ''}`.trim(), 'check the payout contract, balance, chainId and symbol in the dashboard', evidence);
  }
  return badAnswer('create-payout', title, result);
}
