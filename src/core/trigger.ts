import { buildScenario, type ScenarioName, type ScenarioRequest } from './scenarios.js';
import { redirectProblem, type Send, type SendFailure } from './send.js';
import type { Result } from './result.js';
import type { EventKind } from './status.js';
import type { Recipe } from './webhook-signature.js';

export interface TriggerResult {
  scenario: ScenarioName;
  url: string;
  event: EventKind;
  /** The endpoint's HTTP status; null when no answer came back. */
  status: number | null;
  /** Where a 3xx answer pointed, if it did. */
  location?: string;
  body: string;
  latencyMs: number;
  /** BlockATM counts a delivery only when the answer is HTTP 200 (D10). */
  pass: boolean;
  error: SendFailure | null;
  sent: { headers: Record<string, string>; body: string; stringToSign: string; recipe: Recipe };
  notes: string[];
}

/** Builds a scenario's webhook, sends it once, and grades the answer as BlockATM would. */
export async function triggerScenario(input: { send: Send; url: string; request: ScenarioRequest; timeoutMs: number }): Promise<Result<TriggerResult>> {
  const built = buildScenario(input.request);
  if (!built.ok) return built;
  const { delivery, event, notes } = built.value;
  const outcome = await input.send({ method: 'POST', url: input.url, headers: delivery.headers, body: delivery.body, timeoutMs: input.timeoutMs, maxBodyBytes: 16 * 1024 });
  const sent = { headers: delivery.headers, body: delivery.body, stringToSign: delivery.stringToSign, recipe: delivery.recipe };
  const common = { scenario: input.request.scenario, url: input.url, event, sent, notes };
  if (!outcome.ok) {
    return { ok: true, value: { ...common, status: null, body: '', latencyMs: outcome.latencyMs, pass: false, error: outcome.failure } };
  }
  const { status, body, latencyMs, headers } = outcome.response;
  const location = status >= 300 && status < 400 ? headers?.location : undefined;
  return { ok: true, value: { ...common, status, body, latencyMs, pass: status === 200, error: null, ...(location ? { location } : {}) } };
}

/** Why a non-200 answer to a genuine delivery matters, and what to do about it. */
export function triggerHint(result: Pick<TriggerResult, 'status' | 'error' | 'location'>): string {
  if (result.error) return result.error.hint;
  const status = result.status ?? 0;
  if (status === 200) return '';
  const redirect = redirectProblem({ status, headers: result.location ? { location: result.location } : {} });
  if (redirect) return `the endpoint ${redirect.detail}: ${redirect.hint}`;
  if (status >= 200 && status < 300) return `answer exactly HTTP 200: BlockATM treats ${status} as a failed delivery and retries`;
  if (status === 401 || status === 403) return 'the endpoint rejected a genuine delivery: check it uses the Webhook key (not the secret key) and the raw body; "cashier-check verify" explains mismatches';
  if (status === 404 || status === 405) return 'check the Webhook URL path and that the route accepts POST';
  if (status === 400 || status === 415 || status === 422) return 'the endpoint could not read a genuine body: parse the raw bytes as JSON (amount is a decimal string, status a string)';
  if (status >= 500) return 'the endpoint failed while processing: check its logs; BlockATM will retry and the order stays unconfirmed';
  return 'answer HTTP 200 once the delivery is verified and processed';
}
