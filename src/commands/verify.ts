import type { AppContext } from '../context.js';
import type { CommandInput } from '../program.js';
import type { Output } from '../ui/output.js';
import { loadSettings, requireSetting } from '../config/load-settings.js';
import { parseRequestTime } from '../core/time.js';
import { verifyWebhookSignature, type Recipe } from '../core/webhook-signature.js';
import { badInput, ExitCode, orBadInput } from '../errors.js';
import { readBody } from '../io/read-body.js';
import { renderVerification } from '../ui/render-signing.js';

interface VerifyOptions {
  body?: string;
  time?: string;
  signature?: string;
  recipe: Recipe | 'auto';
}

export async function run(ctx: AppContext, out: Output, { opts, globals }: CommandInput<VerifyOptions>): Promise<number> {
  if (opts.body === undefined) throw badInput('--body', 'is required', 'give the body exactly as received: a file path, or - for stdin');
  if (opts.time === undefined) throw badInput('--time', 'is required', 'give the BlockATM-Request-Time header of the delivery');
  orBadInput('--time', parseRequestTime(opts.time), 'give BlockATM-Request-Time as epoch milliseconds, e.g. 1743060268000');
  const settings = loadSettings(ctx.env, globals.profile);
  const webhookKey = requireSetting(settings, 'webhookKey', 'set CASHIER_CHECK_WEBHOOK_KEY or run "cashier-check init"');
  const rawBody = await readBody('--body', opts.body, ctx.stdin);
  const result = verifyWebhookSignature({ rawBody, time: opts.time.trim(), signature: opts.signature, key: webhookKey, recipe: opts.recipe });
  out.result(
    { valid: result.valid, recipe: result.recipe, reason: result.reason, failure: result.failure, tried: result.tried, warnings: result.warnings },
    (theme) => renderVerification(theme, result),
  );
  return result.valid ? ExitCode.ok : ExitCode.failed;
}
