import { randomBytes } from 'node:crypto';
import { genuineDelivery, PROBE_CASES, type CaseContext, type ProbeCaseSpec, type ProbeKind } from './probe-cases.js';
import { excerpt, redirectProblem, type Send, type SendOutcome } from './send.js';
import { triggerHint } from './trigger.js';
import type { Randomness } from './webhook-payload.js';
import type { Recipe } from './webhook-signature.js';

export type CaseStatus = 'pass' | 'fail' | 'warn';

export interface ProbeCaseResult {
  name: string;
  kind: ProbeKind;
  title: string;
  status: CaseStatus;
  /** One sentence: what came back and what that means. */
  detail: string;
  sent: { method: 'POST'; description: string; headers: Record<string, string>; body: string; bodyBytes: number };
  got: { status: number; body: string; latencyMs: number } | { error: string; message: string; latencyMs: number };
  why: string;
  hint: string;
}

export interface ProbeReport {
  url: string;
  cases: ProbeCaseResult[];
  passed: number;
  failed: number;
  warned: number;
  /** The genuine delivery got no answer at all, so no other case was sent. */
  unreachable: boolean;
}

export interface ProbeInput {
  send: Send;
  url: string;
  webhookKey: string;
  /** The secret key, used for the wrong-key forgery; a random key when absent. */
  secretKey?: string;
  now: () => number;
  recipe?: Recipe;
  random?: Randomness;
  timeoutMs: number;
  onCase?: (result: ProbeCaseResult, index: number, total: number) => void;
}

/** Failures of the genuine case that make every other case pointless (and slow). */
const UNREACHABLE = new Set(['dns', 'refused', 'tls', 'timeout']);

/**
 * Attacks a webhook endpoint the way a forger would, one request at a time: the genuine delivery
 * first, then each forgery and hygiene case, each graded with evidence and a fix.
 */
export async function runProbes(input: ProbeInput): Promise<ProbeReport> {
  const recipe = input.recipe ?? 'sorted';
  const wrongKey = input.secretKey && input.secretKey !== input.webhookKey
    ? { key: input.secretKey, name: 'the secret key' }
    : { key: `whk_wrong_${(input.random ?? randomHex)(12)}`, name: 'a random key' };
  const genuine = genuineDelivery(input.webhookKey, input.now(), recipe, input.random);
  const cases: ProbeCaseResult[] = [];
  let unreachable = false;
  for (const spec of PROBE_CASES) {
    const context: CaseContext = { webhookKey: input.webhookKey, wrongKey, nowMs: input.now(), recipe, random: input.random, genuine };
    const request = spec.build(context);
    // A fresh connection per case: one case's dropped socket must not become the next case's answer.
    const headers = { ...request.headers, Connection: 'close' };
    const outcome = await input.send({ method: 'POST', url: input.url, headers, body: request.body, timeoutMs: input.timeoutMs, maxBodyBytes: 4096 });
    const result = gradeCase(spec, request, outcome);
    cases.push(result);
    input.onCase?.(result, cases.length - 1, PROBE_CASES.length);
    if (spec.name === 'genuine' && !outcome.ok && UNREACHABLE.has(outcome.failure.kind)) {
      unreachable = true;
      break;
    }
  }
  return { url: input.url, cases, unreachable, ...countStatuses(cases) };
}

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function countStatuses(items: { status: string }[]): { passed: number; failed: number; warned: number } {
  return {
    passed: items.filter((item) => item.status === 'pass').length,
    failed: items.filter((item) => item.status === 'fail').length,
    warned: items.filter((item) => item.status === 'warn').length,
  };
}

/** Grades one answer by the kind of case (PRODUCT.md): genuine needs 200, forgeries non-2xx, hygiene no 5xx or hang. */
export function gradeCase(spec: Pick<ProbeCaseSpec, 'name' | 'kind' | 'title' | 'why' | 'fix' | 'refusal'>, request: { headers: Record<string, string>; body: string; description: string }, outcome: SendOutcome): ProbeCaseResult {
  const verdict = judge(spec, outcome);
  const bodyBytes = Buffer.byteLength(request.body);
  return {
    name: spec.name,
    kind: spec.kind,
    title: spec.title,
    status: verdict.status,
    detail: verdict.detail,
    sent: { method: 'POST', description: request.description, headers: request.headers, body: bodyBytes > 2048 ? `${request.body.slice(0, 200)}… (${bodyBytes} bytes)` : request.body, bodyBytes },
    got: outcome.ok
      ? { status: outcome.response.status, body: excerpt(outcome.response.body), latencyMs: outcome.response.latencyMs }
      : { error: outcome.failure.kind, message: outcome.failure.message, latencyMs: outcome.latencyMs },
    why: spec.why,
    hint: verdict.status === 'pass' ? '' : verdict.hint ?? spec.fix,
  };
}

function judge(spec: Pick<ProbeCaseSpec, 'name' | 'kind' | 'fix' | 'refusal'>, outcome: SendOutcome): { status: CaseStatus; detail: string; hint?: string } {
  if (!outcome.ok) {
    const { kind, message, hint } = outcome.failure;
    if (kind === 'timeout') return { status: 'fail', detail: `no answer: ${message}; an endpoint must answer every request promptly`, hint: `${spec.fix}; and never leave a request hanging` };
    if (kind === 'reset') {
      if (spec.name === 'oversized-body') return { status: 'pass', detail: 'closed the connection before the whole body was sent: a fine answer to an oversized body' };
      if (spec.kind === 'genuine') return { status: 'fail', detail: `closed the connection without answering (${message})`, hint };
      return { status: 'warn', detail: 'closed the connection without answering: not accepted, but a 4xx answer is clearer and cheaper', hint: spec.fix };
    }
    return { status: 'fail', detail: `no answer: ${message}`, hint };
  }
  const status = outcome.response.status;
  const ok2xx = status >= 200 && status < 300;
  if (spec.kind === 'genuine') {
    if (status === 200) return { status: 'pass', detail: 'accepted with HTTP 200' };
    if (ok2xx) return { status: 'fail', detail: `answered HTTP ${status}; BlockATM counts only 200 as delivered and will retry`, hint: 'answer exactly HTTP 200 once the delivery is verified and processed' };
    const redirect = redirectProblem(outcome.response);
    if (redirect) return { status: 'fail', detail: redirect.detail, hint: redirect.hint };
    if (spec.refusal === 'warn' && status >= 400 && status < 500) return { status: 'warn', detail: `refused with HTTP ${status}, though BlockATM may send exactly this` };
    return { status: 'fail', detail: `answered HTTP ${status} to a genuine delivery`, hint: triggerHint({ status, error: null }) };
  }
  if (spec.kind === 'forgery') {
    if (ok2xx) return { status: 'fail', detail: `accepted a forgery with HTTP ${status}` };
    if (status >= 500) return { status: 'warn', detail: `rejected, but with HTTP ${status}: a server error on bad input suggests the request got further than it should, and hides real failures`, hint: `${spec.fix}; answer 400/401, not 5xx` };
    return { status: 'pass', detail: `rejected with HTTP ${status}` };
  }
  if (status >= 500) return { status: 'fail', detail: `answered HTTP ${status}: the endpoint broke on a request it should handle calmly` };
  if (ok2xx) return { status: 'warn', detail: spec.name === 'replay' ? `accepted with HTTP ${status}: fine only if the order was not processed twice` : `accepted with HTTP ${status}` };
  return { status: 'pass', detail: `refused with HTTP ${status}` };
}
