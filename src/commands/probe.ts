import type { AppContext } from '../context.js';
import type { CommandInput } from '../program.js';
import type { Output } from '../ui/output.js';
import { loadSettings, requireSetting, resolveDeliveryTarget } from '../config/load-settings.js';
import { runProbes } from '../core/probes.js';
import { validateInteger } from '../core/validate.js';
import type { Recipe } from '../core/webhook-signature.js';
import { ExitCode, orBadInput } from '../errors.js';
import { createHttpClient } from '../http/client.js';
import { createProgress } from '../ui/progress.js';
import { probeJson, renderProbe } from '../ui/render-probe.js';

interface ProbeOptions {
  to?: string;
  strict?: boolean;
  recipe: Recipe;
  timeout: string;
  iOwnThisEndpoint?: boolean;
}

export async function run(ctx: AppContext, out: Output, { opts, globals }: CommandInput<ProbeOptions>): Promise<number> {
  const timeoutMs = orBadInput('--timeout', validateInteger(opts.timeout, 1, 300), 'give the seconds to wait for each answer, e.g. --timeout 10') * 1000;
  const settings = loadSettings(ctx.env, globals.profile);
  const url = resolveDeliveryTarget(settings, opts.to, opts.iOwnThisEndpoint === true, {
    missing: 'no Webhook URL to probe', sending: 'forged webhooks', consent: 'you accept test traffic on it',
  });
  const webhookKey = requireSetting(settings, 'webhookKey', 'set CASHIER_CHECK_WEBHOOK_KEY or run "cashier-check init"');

  const client = createHttpClient({ env: ctx.env });
  const progress = createProgress(ctx);
  const signal = ctx.interruptSignal();
  try {
    const report = await runProbes({
      send: (request) => client.send({ ...request, signal }),
      url: url.toString(),
      webhookKey,
      secretKey: settings.secretKey,
      now: () => ctx.clock.now(),
      recipe: opts.recipe,
      timeoutMs,
      onCase: (result, index, total) => progress.update(`probing ${index + 1}/${total}: ${result.title}`),
    });
    progress.done();
    if (signal.aborted) return ExitCode.interrupted;
    out.result(probeJson(report), (theme) => renderProbe(theme, report, opts.strict === true));
    return report.failed > 0 || (opts.strict && report.warned > 0) ? ExitCode.failed : ExitCode.ok;
  } finally {
    progress.done();
    await client.close();
  }
}
