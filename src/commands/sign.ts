import type { AppContext } from '../context.js';
import type { CommandInput } from '../program.js';
import type { Output } from '../ui/output.js';
import { loadSettings, requireSetting } from '../config/load-settings.js';
import { signPayload, type SignRequest } from '../core/sign-payload.js';
import { badInput, orBadInput } from '../errors.js';
import { readBody } from '../io/read-body.js';
import { looksLikeSeconds, parseRequestTime } from '../core/time.js';
import { renderSigned } from '../ui/render-signing.js';

interface SignOptions {
  time?: string;
  body?: string;
  query?: string;
  webhook?: boolean;
  recipe: 'sorted' | 'raw';
}

export async function run(ctx: AppContext, out: Output, { opts, globals }: CommandInput<SignOptions>): Promise<number> {
  if (opts.body !== undefined && opts.query !== undefined) throw badInput('--body/--query', 'give one of them, not both', 'JSON bodies sign their fields; GET requests sign their query');
  if (opts.recipe === 'raw' && !opts.webhook) throw badInput('--recipe', 'raw applies to webhooks only; API requests always sign the sorted fields', 'add --webhook, or drop --recipe');
  if (opts.query !== undefined && opts.webhook) throw badInput('--query', 'webhooks have JSON bodies, not queries', 'use --body with --webhook');
  const timeMs = opts.time === undefined ? ctx.clock.now() : orBadInput('--time', parseRequestTime(opts.time), 'give BlockATM-Request-Time as epoch milliseconds, e.g. 1743060268000');
  if (opts.time !== undefined && looksLikeSeconds(timeMs)) out.warn(`--time ${timeMs} looks like epoch seconds; BlockATM-Request-Time is epoch milliseconds (${timeMs * 1000})`);
  const settings = loadSettings(ctx.env, globals.profile);
  const body = opts.body === undefined ? undefined : await readBody('--body', opts.body, ctx);
  const request: SignRequest = opts.webhook
    ? { kind: 'webhook', key: requireSetting(settings, 'webhookKey', 'set CASHIER_CHECK_WEBHOOK_KEY or run "cashier-check init"'), recipe: opts.recipe, body: body ?? '' }
    : settings.signatureVersion === 'v1'
      ? { kind: 'request-v1', privateKey: requireSetting(settings, 'v1PrivateKey', 'set CASHIER_CHECK_V1_PRIVATE_KEY or run "cashier-check init"'), body, query: opts.query }
      : { kind: 'request', key: requireSetting(settings, 'secretKey', 'set CASHIER_CHECK_SECRET_KEY or run "cashier-check init"'), body, query: opts.query };
  const result = signPayload(request, String(timeMs));
  if (!result.ok) {
    if (opts.body !== undefined || opts.query === undefined) throw badInput('--body', result.error, 'the body must be one JSON object, exactly as sent');
    throw badInput('--query', result.error, 'give the query exactly as sent, e.g. bizOrderNo=B202505220012 (percent-escapes must be %XX)');
  }
  for (const warning of result.value.warnings) out.warn(warning);
  if (opts.recipe === 'raw' && body?.endsWith('\n')) out.warn('the body ends with a newline, which the raw recipe signs too; BlockATM sends compact JSON without one');
  const { stringToSign, signature, recipe, algorithm } = result.value;
  out.result({ stringToSign, signature, recipe, algorithm }, (theme) => renderSigned(theme, result.value));
  return 0;
}
