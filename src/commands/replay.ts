import type { AppContext } from '../context.js';
import type { CommandInput } from '../program.js';
import type { Output } from '../ui/output.js';
import { capturesDir, listCaptures, loadCapture } from '../config/capture-store.js';
import { loadSettings, requireSetting } from '../config/load-settings.js';
import { OWN_ENDPOINT_FLAG, productionRefusal } from '../core/endpoint-guard.js';
import { parseFieldEdit } from '../core/payload-edit.js';
import { planReplay, replayReport, summariseCapture } from '../core/replay.js';
import { parseHttpUrl, validateInteger } from '../core/validate.js';
import type { Recipe } from '../core/webhook-signature.js';
import { badInput, ExitCode, orBadInput } from '../errors.js';
import { createHttpClient } from '../http/client.js';
import { renderCaptureList, renderCapture, renderReplay } from '../ui/render-replay.js';

interface ReplayOptions {
  list?: boolean;
  show?: string;
  to?: string;
  set?: string[];
  resign?: boolean;
  recipe: Recipe;
  timeout: string;
  iOwnThisEndpoint?: boolean;
}

export async function run(ctx: AppContext, out: Output, { args, opts, globals }: CommandInput<ReplayOptions>): Promise<number> {
  const id = args[0];
  const actions = [opts.list === true, opts.show !== undefined, id !== undefined].filter(Boolean).length;
  if (actions !== 1) throw badInput('replay', actions === 0 ? 'say what to do' : 'give one of --list, --show <id> or <id>', 'cashier-check replay --list | --show <id> | <id> --to <url> [--set field=value]');
  const dir = capturesDir(ctx.env);
  if (opts.list) {
    const deliveries = listCaptures(dir).map(summariseCapture);
    out.result({ deliveries }, (theme) => renderCaptureList(theme, deliveries));
    return ExitCode.ok;
  }
  if (opts.show !== undefined) {
    const capture = loadCapture(dir, opts.show);
    out.result(capture, (theme) => renderCapture(theme, capture));
    return ExitCode.ok;
  }

  const capture = loadCapture(dir, id!);
  const edits = (opts.set ?? []).map((text) => orBadInput('--set', parseFieldEdit(text), 'write --set field=value (keeps the field\'s type) or --set field:=<json>'));
  const timeoutS = orBadInput('--timeout', validateInteger(opts.timeout, 1, 300), 'give seconds, 1 to 300');
  const settings = loadSettings(ctx.env, globals.profile);
  const target = opts.to ?? settings.webhookUrl;
  if (target === undefined) throw badInput('--to', 'is required (no Webhook URL in the profile)', 'give the endpoint to replay to, e.g. --to http://127.0.0.1:3000/webhooks/blockatm');
  const parsedUrl = orBadInput('--to', parseHttpUrl(target));
  const refusal = productionRefusal(settings, parsedUrl, opts.iOwnThisEndpoint === true);
  if (refusal) throw badInput('--to', `refusing to re-send a signed webhook: ${refusal}`, `add ${OWN_ENDPOINT_FLAG} if this endpoint is yours and may receive it`);
  const url = parsedUrl.toString();
  const resign = edits.length > 0 || opts.resign === true
    ? { webhookKey: requireSetting(settings, 'webhookKey', 're-signing needs the Webhook key: set CASHIER_CHECK_WEBHOOK_KEY or run "cashier-check init"'), timeMs: ctx.clock.now(), recipe: opts.recipe }
    : undefined;
  const plan = orBadInput(edits.length > 0 ? '--set' : 'id', planReplay(capture, { edits, resign, nowMs: ctx.clock.now() }));
  for (const warning of plan.warnings) out.warn(warning);

  const signal = ctx.interruptSignal();
  const client = createHttpClient({ env: ctx.env });
  try {
    const outcome = await client.send({ method: plan.method, url, headers: plan.headers, body: plan.body, timeoutMs: timeoutS * 1000, signal });
    if (signal.aborted) return ExitCode.interrupted;
    const report = replayReport(capture.id, url, plan, outcome);
    out.result(report, (theme) => renderReplay(theme, report));
    return report.pass ? ExitCode.ok : ExitCode.failed;
  } finally {
    await client.close();
  }
}
