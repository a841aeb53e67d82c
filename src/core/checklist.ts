import type { ProbeReport } from './probes.js';
import type { Send } from './send.js';
import type { Settings } from './settings.js';
import type { Randomness } from './webhook-payload.js';
import { STEP_GRADERS, type StepContext } from './check-steps.js';

export type StepStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface StepDefinition {
  step: number;
  /** The step as BlockATM's integration page words it. */
  title: string;
  /** How cashier-check judges it (PRODUCT.md). */
  gradedBy: string;
}

/** The eight documented integration steps, as data. */
export const STEPS: readonly StepDefinition[] = [
  { step: 1, title: 'Configure the integration key to sign request data', gradedBy: 'secret key present and well-formed; signing reproduces the published vectors' },
  { step: 2, title: 'Configure the integration public key to verify received data', gradedBy: 'API key present and well-formed (V1: BlockATM\'s EC public key parses)' },
  { step: 3, title: 'Enter the Webhook URL; it must accept HTTP POST', gradedBy: 'URL valid (HTTPS for production); a POST reaches it and gets an HTTP answer' },
  { step: 4, title: 'Configure the Webhook key; verify signatures of notifications', gradedBy: 'Webhook key present; the endpoint rejects a delivery signed with a wrong key' },
  { step: 5, title: 'Sign request data and send it to the BlockATM API', gradedBy: 'a signed request is accepted (not 000105)' },
  { step: 6, title: 'Deploy a webhook interface that verifies received data', gradedBy: 'the endpoint accepts a genuine delivery and rejects the probe forgeries' },
  { step: 7, title: 'Send a test request and check the result', gradedBy: 'send-test passes: envelope, codes, skew' },
  { step: 8, title: 'Trigger a webhook and check your server processes it', gradedBy: 'a triggered payment.success gets HTTP 200 in time; with --wait-real also a real delivery' },
];

export interface StepResult {
  step: number;
  title: string;
  status: StepStatus;
  /** The evidence, in one or two sentences. */
  detail: string;
  /** One line: what to do about it ('' when passed). */
  hint: string;
  durationMs: number;
}

export interface StepVerdict {
  status: StepStatus;
  detail: string;
  hint?: string;
  /** Only for step 8's real delivery: nothing arrived in time. */
  timedOut?: boolean;
}

/** What send-test's core returns; steps 5 and 7 read it. */
export interface SendTestReport {
  checks: { name: string; status: string; detail: string; hint?: string | null }[];
  passed: number;
  failed: number;
  warned: number;
}

export interface CheckDeps {
  settings: Pick<Settings, 'baseUrl' | 'signatureVersion' | 'secretKey' | 'apiKey' | 'webhookKey' | 'webhookUrl' | 'v1PrivateKey' | 'v1PublicKey'>;
  send: Send;
  now: () => number;
  random?: Randomness;
  /** Per request sent to the merchant's endpoint. */
  timeoutMs: number;
  /** The user confirmed the Webhook URL is theirs (needed for production). */
  endpointConfirmed: boolean;
  /** Runs send-test against the configured API; steps 5 and 7 are skipped without it. */
  sendTest?: () => Promise<SendTestReport>;
  /** A delivery from BlockATM itself (or the emulator), for step 8. */
  realDelivery?: { label: string; run: () => Promise<StepVerdict> };
  onStep?: (definition: StepDefinition, result?: StepResult) => void;
}

export interface CheckReport {
  steps: StepResult[];
  passed: number;
  failed: number;
  warned: number;
  skipped: number;
  /** The wait for a real delivery ran out. */
  timedOut: boolean;
}

/**
 * Grades the eight steps in order. Steps share one probe run and one send-test run; a step that
 * cannot be judged (no Webhook URL yet, say) is SKIP with the reason, never FAIL. Secrets that
 * might have slipped into any text are replaced before the report leaves.
 */
export async function runChecks(deps: CheckDeps): Promise<CheckReport> {
  const context: StepContext = { deps, results: new Map(), memo: {} };
  const steps: StepResult[] = [];
  let timedOut = false;
  for (const definition of STEPS) {
    deps.onStep?.(definition);
    const started = deps.now();
    const grade = STEP_GRADERS[definition.step - 1]!;
    let verdict: StepVerdict;
    try {
      verdict = await grade(context);
    } catch (error) {
      verdict = { status: 'fail', detail: `could not be checked: ${(error as Error).message}`, hint: 'this is a bug in cashier-check; rerun with --verbose and report it' };
    }
    if (verdict.timedOut) timedOut = true;
    const result: StepResult = {
      step: definition.step, title: definition.title, status: verdict.status, detail: verdict.detail,
      hint: verdict.status === 'pass' ? '' : verdict.hint ?? '', durationMs: Math.max(0, deps.now() - started),
    };
    context.results.set(definition.step, result);
    steps.push(redact(result, secretsOf(deps.settings)));
    deps.onStep?.(definition, result);
  }
  const count = (status: StepStatus): number => steps.filter((step) => step.status === status).length;
  return { steps, passed: count('pass'), failed: count('fail'), warned: count('warn'), skipped: count('skip'), timedOut };
}

export function secretsOf(settings: CheckDeps['settings']): string[] {
  return [settings.secretKey, settings.apiKey, settings.webhookKey, settings.v1PrivateKey].filter((value): value is string => typeof value === 'string' && value.length >= 4);
}

/** Replaces every occurrence of a secret in a result's text, so no report can leak one. */
export function redact(result: StepResult, secrets: string[]): StepResult {
  const clean = (text: string): string => secrets.reduce((acc, secret) => acc.split(secret).join('[redacted]'), text);
  return { ...result, detail: clean(result.detail), hint: clean(result.hint) };
}

export type { ProbeReport };
