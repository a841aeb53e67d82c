import type { AppContext } from '../context.js';
import type { CommandInput } from '../program.js';
import type { Output } from '../ui/output.js';
import { loadSettings, requireSetting } from '../config/load-settings.js';
import type { NamedKey } from '../core/diagnose.js';
import { parseRequestTime } from '../core/time.js';
import { inputsFromRequest, verifyAndDiagnose } from '../core/verify-report.js';
import type { Recipe } from '../core/webhook-signature.js';
import { badInput, ExitCode, orBadInput } from '../errors.js';
import { readBody } from '../io/read-body.js';
import { readRequest } from '../io/read-request.js';
import { renderVerifyReport } from '../ui/render-diagnosis.js';

interface VerifyOptions {
  body?: string;
  request?: string;
  time?: string;
  signature?: string;
  recipe: Recipe | 'auto';
}

const TIME_HINT = 'give BlockATM-Request-Time as epoch milliseconds, e.g. 1743060268000';

export async function run(ctx: AppContext, out: Output, { opts, globals }: CommandInput<VerifyOptions>): Promise<number> {
  if (opts.body !== undefined && opts.request !== undefined) throw badInput('--body/--request', 'give one of them, not both', '--request takes the body, time and signature from a whole captured request');
  if (opts.body === undefined && opts.request === undefined) throw badInput('--body', 'is required', 'give the body exactly as received (a file, or - for stdin), or a whole captured request with --request <file>');
  if (opts.request === undefined && opts.time === undefined) throw badInput('--time', 'is required', 'give the BlockATM-Request-Time header of the delivery');
  if (opts.time !== undefined) orBadInput('--time', parseRequestTime(opts.time), TIME_HINT);
  const settings = loadSettings(ctx.env, globals.profile);
  const webhookKey = requireSetting(settings, 'webhookKey', 'set CASHIER_CHECK_WEBHOOK_KEY or run "cashier-check init"');
  const keys: NamedKey[] = [{ name: 'Webhook key', key: webhookKey }];
  if (settings.secretKey) keys.push({ name: 'secret key', key: settings.secretKey });
  if (settings.apiKey) keys.push({ name: 'API key', key: settings.apiKey });

  let rawBody: string;
  let time: string;
  let signature = opts.signature;
  let request: { format: string; id: string | null; method: string; path: string; event: string | null } | null = null;
  if (opts.request !== undefined) {
    const captured = await readRequest('--request', opts.request, ctx.env);
    const inputs = orBadInput('--request', inputsFromRequest(captured, { time: opts.time, signature: opts.signature }));
    orBadInput('--request', parseRequestTime(inputs.time), `the request's BlockATM-Request-Time is not epoch milliseconds; override it with --time`);
    for (const warning of inputs.warnings) out.warn(warning);
    ({ rawBody, time, signature } = inputs);
    request = { format: captured.format, id: captured.id, method: captured.method, path: captured.path, event: inputs.event };
  } else {
    rawBody = await readBody('--body', opts.body!, ctx);
    time = opts.time!.trim();
  }
  const report = verifyAndDiagnose({ rawBody, time, signature, keys, recipe: opts.recipe });
  out.result({ ...report, request }, (theme) => renderVerifyReport(theme, report, { verbose: out.verbose }));
  return report.valid ? ExitCode.ok : ExitCode.failed;
}
