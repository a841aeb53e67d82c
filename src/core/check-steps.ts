import type { CheckDeps, SendTestReport, StepResult, StepVerdict } from './checklist.js';
import { OWN_ENDPOINT_FLAG, productionRefusal } from './endpoint-guard.js';
import { checkPublishedVectors } from './published-vectors.js';
import { runProbes, type ProbeReport } from './probes.js';
import { redirectProblem } from './send.js';
import { isProduction } from './settings.js';
import { parseEcPrivateKey, parseEcPublicKey } from './signing.js';
import { triggerHint, triggerScenario } from './trigger.js';
import { parseHttpUrl, validateKey, validateWebhookUrl } from './validate.js';

export interface StepContext {
  deps: CheckDeps;
  results: Map<number, StepResult>;
  memo: { probes?: Promise<ProbeReport>; sendTest?: Promise<SendTestReport>; unreachable?: string };
}

const INIT_HINT = 'run "cashier-check init", or set';
const SLOW_MS = 5_000;

function keyVerdict(value: string | undefined, what: string, envVar: string): StepVerdict | undefined {
  if (value === undefined || value === '') return { status: 'fail', detail: `the ${what} is not set`, hint: `${INIT_HINT} ${envVar} (copy it from the Cashier Desk's Integrate popup)` };
  const checked = validateKey(value, what);
  if (!checked.ok) return { status: 'fail', detail: `the ${what} ${checked.error}`, hint: `${INIT_HINT} ${envVar} again` };
  return undefined;
}

function stepOne({ deps }: StepContext): StepVerdict {
  const { settings } = deps;
  let keyText: string;
  if (settings.signatureVersion === 'v1') {
    if (!settings.v1PrivateKey) return { status: 'fail', detail: 'signature version v1, but no V1 private key is set', hint: `${INIT_HINT} CASHIER_CHECK_V1_PRIVATE_KEY` };
    const parsed = parseEcPrivateKey(settings.v1PrivateKey);
    if (!parsed.ok) return { status: 'fail', detail: `the V1 private key is unusable: ${parsed.error}`, hint: 'paste the Base64 PKCS#8 DER private key again' };
    keyText = 'V1 private key parses as a P-256 key';
  } else {
    const bad = keyVerdict(settings.secretKey, 'secret key', 'CASHIER_CHECK_SECRET_KEY');
    if (bad) return bad;
    keyText = `secret key set (${settings.secretKey!.length} characters)`;
  }
  const vectors = checkPublishedVectors();
  if (vectors.mismatched.length) return { status: 'fail', detail: `${keyText}, but signing does not reproduce the published vectors ${vectors.mismatched.join(', ')}`, hint: 'this build signs incorrectly: reinstall cashier-check and report it' };
  return { status: 'pass', detail: `${keyText}; signing reproduces all ${vectors.total} published BlockATM vectors` };
}

function stepTwo({ deps }: StepContext): StepVerdict {
  const { settings } = deps;
  if (settings.signatureVersion === 'v1') {
    if (!settings.v1PublicKey) return { status: 'fail', detail: 'signature version v1, but BlockATM\'s EC public key is not set', hint: `${INIT_HINT} CASHIER_CHECK_V1_PUBLIC_KEY` };
    const parsed = parseEcPublicKey(settings.v1PublicKey);
    if (!parsed.ok) return { status: 'fail', detail: `BlockATM's V1 public key is unusable: ${parsed.error}`, hint: 'paste the Base64 X.509 DER public key again' };
  }
  const bad = keyVerdict(settings.apiKey, 'API key', 'CASHIER_CHECK_API_KEY');
  if (bad) return bad;
  if (settings.apiKey === settings.secretKey) return { status: 'fail', detail: 'the API key and the secret key are the same value', hint: 'one of them was pasted into the wrong field: the API key (integration public key) is sent in BlockATM-API-Key, the secret key signs' };
  return { status: 'pass', detail: `API key set (${settings.apiKey!.length} characters)${settings.signatureVersion === 'v1' ? '; BlockATM\'s V1 public key parses' : ''}` };
}

async function stepThree(context: StepContext): Promise<StepVerdict> {
  const { settings, send, timeoutMs } = context.deps;
  if (!settings.webhookUrl) return { status: 'skip', detail: 'no Webhook URL yet', hint: `${INIT_HINT} CASHIER_CHECK_WEBHOOK_URL to the URL you entered in the dashboard` };
  const production = isProduction(settings);
  const valid = validateWebhookUrl(settings.webhookUrl, production);
  if (!valid.ok) return { status: 'fail', detail: `the Webhook URL ${valid.error}`, hint: 'enter an absolute https:// URL that BlockATM can reach' };
  const refusal = productionRefusal(settings, new URL(valid.value), context.deps.endpointConfirmed);
  if (refusal) {
    context.memo.unreachable = refusal;
    return { status: 'skip', detail: `the Webhook URL is a valid URL; not contacted, since ${refusal}`, hint: `add ${OWN_ENDPOINT_FLAG} if the endpoint is yours and may receive test traffic` };
  }
  const outcome = await send({ method: 'POST', url: valid.value, headers: { 'Content-Type': 'application/json' }, body: '{}', timeoutMs });
  if (!outcome.ok) {
    context.memo.unreachable = outcome.failure.message;
    return { status: 'fail', detail: `a POST to ${valid.value} got no answer: ${outcome.failure.message}`, hint: outcome.failure.hint };
  }
  const { status, latencyMs } = outcome.response;
  const redirect = redirectProblem(outcome.response);
  if (redirect) return { status: 'fail', detail: `a POST to ${valid.value} ${redirect.detail}`, hint: redirect.hint };
  if (status === 404 || status === 405) return { status: 'fail', detail: `a POST to ${valid.value} got HTTP ${status}`, hint: status === 404 ? 'the path does not exist: check the Webhook URL\'s path' : 'the route does not accept POST: BlockATM delivers webhooks with POST' };
  return { status: 'pass', detail: `a POST to ${valid.value} got an answer (HTTP ${status}, ${latencyMs} ms)` };
}

const V1_WEBHOOKS: StepVerdict = {
  status: 'skip',
  detail: 'V1 webhooks are signed with BlockATM\'s private EC key, so no genuine V1 delivery can be made here',
  hint: 'switch the profile to signature version v2 (HMAC with the Webhook key) to have the endpoint graded',
};

/** Why the endpoint cannot be exercised, or undefined when it can. */
function endpointGate(context: StepContext): StepVerdict | undefined {
  const { settings, endpointConfirmed } = context.deps;
  if (settings.signatureVersion === 'v1') return V1_WEBHOOKS;
  if (!settings.webhookUrl) return { status: 'skip', detail: 'no Webhook URL to send test deliveries to', hint: `${INIT_HINT} CASHIER_CHECK_WEBHOOK_URL` };
  const url = parseHttpUrl(settings.webhookUrl);
  if (!url.ok) return { status: 'skip', detail: 'the Webhook URL is invalid (step 3)', hint: 'fix the Webhook URL first' };
  const refusal = productionRefusal(settings, url.value, endpointConfirmed);
  if (refusal) return { status: 'skip', detail: `not sending test deliveries: ${refusal}`, hint: `add ${OWN_ENDPOINT_FLAG} if the endpoint is yours and may receive test traffic` };
  if (context.memo.unreachable) return { status: 'skip', detail: 'the endpoint did not answer a POST (step 3)', hint: 'make the Webhook URL reachable first' };
  return undefined;
}

function probes(context: StepContext): Promise<ProbeReport> {
  const { deps } = context;
  context.memo.probes ??= runProbes({
    send: deps.send, url: deps.settings.webhookUrl!, webhookKey: deps.settings.webhookKey!, secretKey: deps.settings.secretKey,
    now: deps.now, random: deps.random, timeoutMs: deps.timeoutMs,
  });
  return context.memo.probes;
}

async function stepFour(context: StepContext): Promise<StepVerdict> {
  const { settings } = context.deps;
  if (settings.signatureVersion === 'v1') return V1_WEBHOOKS;
  const bad = keyVerdict(settings.webhookKey, 'Webhook key', 'CASHIER_CHECK_WEBHOOK_KEY');
  if (bad) return bad;
  if (settings.webhookKey === settings.secretKey) return { status: 'fail', detail: 'the Webhook key is the same value as the secret key', hint: 'copy the Webhook key from the dashboard: it is a separate key from the integration (secret) key' };
  const gate = endpointGate(context);
  if (gate) return { ...gate, detail: `Webhook key set; ${gate.detail}` };
  const report = await probes(context);
  const genuine = report.cases.find((c) => c.name === 'genuine');
  const wrongKey = report.cases.find((c) => c.name === 'wrong-key');
  if (genuine?.status !== 'pass') {
    const refused = genuine && 'status' in genuine.got && (genuine.got.status === 401 || genuine.got.status === 403);
    // Only a 401/403 points at the key; a crash, a redirect or a dropped connection has its own fix.
    const hint = refused || !genuine?.hint ? 'the endpoint may hold a different Webhook key than this profile: copy it from the dashboard to both' : genuine.hint;
    return { status: 'fail', detail: `the endpoint did not accept a delivery signed with this Webhook key: ${genuine?.detail ?? 'not sent'}`, hint };
  }
  if (!wrongKey) return { status: 'fail', detail: 'the wrong-key delivery was not sent' };
  const detail = `a genuine delivery was accepted; one signed with ${wrongKey.sent.description.includes('secret key') ? 'the secret key' : 'a wrong key'}: ${wrongKey.detail}`;
  return { status: wrongKey.status, detail, hint: wrongKey.hint };
}

async function stepSix(context: StepContext): Promise<StepVerdict> {
  if (context.deps.settings.signatureVersion === 'v1') return V1_WEBHOOKS;
  if (!context.deps.settings.webhookKey) return { status: 'skip', detail: 'no Webhook key to sign test deliveries with (step 4)', hint: `${INIT_HINT} CASHIER_CHECK_WEBHOOK_KEY` };
  const gate = endpointGate(context);
  if (gate) return gate;
  const report = await probes(context);
  const genuine = report.cases.find((c) => c.name === 'genuine');
  const variants = report.cases.filter((c) => c.kind === 'genuine' && c.name !== 'genuine' && c.status !== 'pass');
  const forgeries = report.cases.filter((c) => c.kind === 'forgery');
  const hygiene = report.cases.filter((c) => c.kind === 'hygiene' && c.status !== 'pass');
  const notes = hygiene.length ? `; hygiene, not graded here (see "cashier-check probe"): ${hygiene.map((c) => `${c.name} ${c.status === 'fail' ? 'FAILED' : 'accepted'}`).join(', ')}` : '';
  if (genuine?.status !== 'pass') return { status: 'fail', detail: `the genuine delivery was not accepted: ${genuine?.detail ?? 'not sent'}`, hint: genuine?.hint };
  const refusedVariants = variants.length ? `; ${variants.map((c) => `${c.title}: ${c.detail}`).join('; ')}` : '';
  const accepted = forgeries.filter((c) => c.status === 'fail');
  if (accepted.length) {
    return { status: 'fail', detail: `accepted ${accepted.length} of ${forgeries.length} forgeries: ${accepted.map((c) => c.name).join(', ')}${refusedVariants}${notes}`, hint: `${accepted[0]!.hint}; run "cashier-check probe" for the evidence of each case` };
  }
  const warned = [...variants, ...forgeries.filter((c) => c.status === 'warn'), ...hygiene.filter((c) => c.status === 'fail')];
  const detail = `genuine delivery accepted (HTTP 200); all ${forgeries.length} forgeries rejected${refusedVariants}${notes}`;
  if (warned.length) return { status: 'warn', detail, hint: `${warned[0]!.hint}; run "cashier-check probe" for details` };
  return { status: 'pass', detail };
}

function sendTest(context: StepContext): Promise<SendTestReport> | undefined {
  const { deps } = context;
  if (!deps.sendTest) return undefined;
  context.memo.sendTest ??= deps.sendTest();
  return context.memo.sendTest;
}

function credentialsGap(context: StepContext): StepVerdict | undefined {
  const { settings } = context.deps;
  const signer = settings.signatureVersion === 'v1' ? settings.v1PrivateKey : settings.secretKey;
  if (!settings.apiKey || !signer) return { status: 'skip', detail: 'needs the API key and the secret key (steps 1 and 2)', hint: 'set them first' };
  if (!context.deps.sendTest) return { status: 'skip', detail: 'no BlockATM API to test against', hint: 'set CASHIER_CHECK_ENV or CASHIER_CHECK_BASE_URL' };
  return undefined;
}

async function stepFive(context: StepContext): Promise<StepVerdict> {
  const gap = credentialsGap(context);
  if (gap) return gap;
  const report = await sendTest(context)!;
  const signed = report.checks.find((check) => /sign/i.test(check.name));
  if (!signed) return { status: 'skip', detail: 'send-test made no signed call', hint: 'run "cashier-check send-test --verbose" to see why' };
  return { status: signed.status === 'pass' || signed.status === 'fail' || signed.status === 'warn' ? signed.status : 'skip', detail: signed.detail, hint: signed.hint ?? '' };
}

async function stepSeven(context: StepContext): Promise<StepVerdict> {
  const gap = credentialsGap(context);
  if (gap) return gap;
  const report = await sendTest(context)!;
  const failed = report.checks.filter((check) => check.status === 'fail');
  const warned = report.checks.filter((check) => check.status === 'warn');
  const summary = `send-test: ${report.passed} passed, ${report.failed} failed, ${report.warned} warned`;
  if (failed.length) return { status: 'fail', detail: `${summary}; ${failed.map((check) => `${check.name}: ${check.detail}`).join('; ')}`, hint: failed[0]!.hint ?? 'run "cashier-check send-test" for details' };
  if (warned.length) return { status: 'warn', detail: `${summary}; ${warned.map((check) => `${check.name}: ${check.detail}`).join('; ')}`, hint: warned[0]!.hint ?? '' };
  return { status: 'pass', detail: `${summary} (${report.checks.map((check) => check.name).join(', ')})` };
}

async function stepEight(context: StepContext): Promise<StepVerdict> {
  const { deps } = context;
  if (deps.settings.signatureVersion === 'v1') return V1_WEBHOOKS;
  if (!deps.settings.webhookKey) return { status: 'skip', detail: 'no Webhook key to sign a test delivery with (step 4)', hint: `${INIT_HINT} CASHIER_CHECK_WEBHOOK_KEY` };
  const gate = endpointGate(context);
  if (gate) return gate;
  const triggered = await triggerScenario({
    send: deps.send, url: deps.settings.webhookUrl!, timeoutMs: deps.timeoutMs,
    request: { scenario: 'payment.success', webhookKey: deps.settings.webhookKey, timeMs: deps.now(), random: deps.random },
  });
  if (!triggered.ok) return { status: 'fail', detail: triggered.error };
  const result = triggered.value;
  const answer = result.error ? `no answer (${result.error.message})` : `HTTP ${result.status} in ${result.latencyMs} ms`;
  if (!result.pass) return { status: 'fail', detail: `a triggered payment.success got ${answer}`, hint: triggerHint(result) };
  let verdict: StepVerdict = { status: 'pass', detail: `a triggered payment.success got ${answer}` };
  if (result.latencyMs > SLOW_MS) verdict = { status: 'warn', detail: `${verdict.detail}: slow`, hint: 'answer within a few seconds: acknowledge first, then do slow work in the background' };
  if (!deps.realDelivery) return verdict;
  const real = await deps.realDelivery.run();
  const detail = `${verdict.detail}; ${deps.realDelivery.label}: ${real.detail}`;
  if (real.status === 'fail' || real.status === 'skip') return { ...real, detail };
  return { status: real.status === 'warn' || verdict.status === 'warn' ? 'warn' : 'pass', detail, hint: real.hint ?? verdict.hint };
}

/** One grader per step, in order. */
export const STEP_GRADERS: readonly ((context: StepContext) => StepVerdict | Promise<StepVerdict>)[] = [
  stepOne, stepTwo, stepThree, stepFour, stepFive, stepSix, stepSeven, stepEight,
];
