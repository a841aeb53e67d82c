import type { AppContext } from '../context.js';
import type { CommandInput } from '../program.js';
import type { Output } from '../ui/output.js';
import { loadSettings, requireSetting, resolveDeliveryTarget } from '../config/load-settings.js';
import { isScenarioName, parseOverride, SCENARIO_NAMES } from '../core/scenarios.js';
import { triggerScenario } from '../core/trigger.js';
import { validateInteger } from '../core/validate.js';
import type { Recipe } from '../core/webhook-signature.js';
import { badInput, ExitCode, orBadInput } from '../errors.js';
import { createHttpClient } from '../http/client.js';
import { renderTrigger, triggerJson } from '../ui/render-trigger.js';

interface TriggerOptions {
  to?: string;
  set: string[];
  intStatus?: boolean;
  recipe: Recipe;
  timeout: string;
  iOwnThisEndpoint?: boolean;
}

export async function run(ctx: AppContext, out: Output, { args, opts, globals }: CommandInput<TriggerOptions>): Promise<number> {
  const scenario = args[0];
  if (scenario === undefined) throw badInput('scenario', 'say which delivery to send', `use one of: ${SCENARIO_NAMES.join(', ')} (e.g. cashier-check trigger payment.success)`);
  if (!isScenarioName(scenario)) throw badInput('scenario', `"${scenario.slice(0, 40)}" is not a scenario`, `use one of: ${SCENARIO_NAMES.join(', ')}`);
  const overrides = opts.set.map((text) => orBadInput('--set', parseOverride(text), 'write --set field=value, or --set field:=<JSON> for a raw JSON value'));
  const timeoutMs = orBadInput('--timeout', validateInteger(opts.timeout, 1, 300), 'give the seconds to wait for an answer, e.g. --timeout 10') * 1000;
  const settings = loadSettings(ctx.env, globals.profile);
  const url = resolveDeliveryTarget(settings, opts.to, opts.iOwnThisEndpoint === true, {
    missing: 'no Webhook URL to send to', sending: `a signed ${scenario} webhook`, consent: 'may receive it',
  });
  const webhookKey = requireSetting(settings, 'webhookKey', 'set CASHIER_CHECK_WEBHOOK_KEY or run "cashier-check init"');

  const client = createHttpClient({ env: ctx.env });
  try {
    const outcome = await triggerScenario({
      send: (request) => client.send({ ...request, signal: ctx.interruptSignal() }),
      url: url.toString(),
      request: { scenario, webhookKey, timeMs: ctx.clock.now(), overrides, intStatus: opts.intStatus === true, recipe: opts.recipe },
      timeoutMs,
    });
    if (!outcome.ok) throw badInput(opts.intStatus ? '--int-status' : '--set', outcome.error);
    const result = outcome.value;
    out.debug(`string to sign: ${result.sent.stringToSign}`);
    out.debug(`headers: ${JSON.stringify(result.sent.headers)}`);
    if (ctx.interruptSignal().aborted) return ExitCode.interrupted;
    // The human view shows notes inline; JSON keeps the PRODUCT.md shape, so they go to stderr.
    if (globals.json) for (const note of result.notes) out.warn(note);
    out.result(triggerJson(result), (theme) => renderTrigger(theme, result));
    return result.pass ? ExitCode.ok : ExitCode.failed;
  } finally {
    await client.close();
  }
}
