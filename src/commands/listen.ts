import type { AppContext } from '../context.js';
import type { CommandInput } from '../program.js';
import type { Output } from '../ui/output.js';
import { capturesDir } from '../config/capture-store.js';
import { loadSettings, requireSetting } from '../config/load-settings.js';
import type { NamedKey } from '../core/diagnose.js';
import { deliveryEvent, summariseListen, type ListenEnd } from '../core/listen.js';
import { createMismatchDoctor } from '../core/mismatch-doctor.js';
import { parseHttpUrl, validateInteger } from '../core/validate.js';
import type { Recipe } from '../core/webhook-signature.js';
import { badInput, orBadInput } from '../errors.js';
import { startListener } from '../server/listener.js';
import { renderDelivery, renderReady, renderSummary, renderTunnelAdvice, type ReadyInfo } from '../ui/render-listen.js';

interface ListenOptions {
  port: string;
  host: string;
  path: string;
  count?: string;
  timeout?: string;
  tolerance: string;
  recipe: Recipe | 'auto';
  forwardTo?: string;
  capture: boolean;
}

export async function run(ctx: AppContext, out: Output, { opts, globals }: CommandInput<ListenOptions>): Promise<number> {
  const port = orBadInput('--port', validateInteger(opts.port, 0, 65535), 'give a port number, or 0 for a free one');
  const count = opts.count === undefined ? undefined : orBadInput('--count', validateInteger(opts.count, 1, 1_000_000), 'how many deliveries to wait for, e.g. --count 1');
  const timeoutS = opts.timeout === undefined ? undefined : orBadInput('--timeout', validateInteger(opts.timeout, 1, 604_800), 'seconds to wait, e.g. --timeout 60');
  const toleranceMs = orBadInput('--tolerance', validateInteger(opts.tolerance, 0, 86_400_000), 'milliseconds of clock difference to accept, e.g. 300000');
  if (!opts.path.startsWith('/')) throw badInput('--path', `"${opts.path}" must start with /`, 'e.g. --path /blockatm/webhook');
  if (/[?#]/.test(opts.path)) throw badInput('--path', `"${opts.path}" must be a path only, without ? or #`, 'BlockATM posts to the Webhook URL\'s path; e.g. --path /blockatm/webhook');
  const forwardTo = opts.forwardTo === undefined ? undefined : orBadInput('--forward-to', parseHttpUrl(opts.forwardTo), 'your app\'s webhook URL, e.g. http://localhost:3000/webhook').toString();
  const settings = loadSettings(ctx.env, globals.profile);
  const webhookKey = requireSetting(settings, 'webhookKey', 'set CASHIER_CHECK_WEBHOOK_KEY or run "cashier-check init"');
  // The profile's other keys let the doctor name "signed with the secret key" (never printed).
  const keys: NamedKey[] = [{ name: 'Webhook key', key: webhookKey }];
  if (settings.secretKey) keys.push({ name: 'secret key', key: settings.secretKey });
  if (settings.apiKey) keys.push({ name: 'API key', key: settings.apiKey });
  const explainMismatch = createMismatchDoctor({ keys, recipe: opts.recipe, now: () => ctx.clock.now() });
  const captureDir = opts.capture ? capturesDir(ctx.env) : undefined;
  if (settings.signatureVersion === 'v1') out.warn('this profile uses signature version v1, but listen verifies V2 webhooks only (BlockATM-Signature-V2, HMAC with the Webhook key); V1 ECDSA deliveries will fail here');

  const interrupt = ctx.interruptSignal();
  let end: (reason: ListenEnd) => void = () => undefined;
  const ended = new Promise<ListenEnd>((resolve) => (end = resolve));
  let received = 0;
  const listener = await startListener({
    host: opts.host, port, path: opts.path, webhookKey, toleranceMs, recipe: opts.recipe, forwardTo, captureDir, clock: ctx.clock, env: ctx.env, explainMismatch,
    onNotice: (text) => out.warn(text),
    onDelivery: (report) => {
      out.event(deliveryEvent(report, opts.path), (theme) => renderDelivery(theme, report, opts.path, out.verbose));
      received += 1;
      if (count !== undefined && received >= count) end('count');
    },
  });
  const ready: ReadyInfo = { url: listener.url, port: listener.port, path: new URL(listener.url).pathname, toleranceMs, forwardTo: forwardTo ?? null, captureDir: captureDir ?? null };
  out.event({ type: 'ready', ...ready, host: listener.host, recipe: opts.recipe, count: count ?? null, timeoutS: timeoutS ?? null }, (theme) => renderReady(theme, ready));
  out.info(renderTunnelAdvice(ready));

  const timer = timeoutS === undefined ? undefined : setTimeout(() => end('timeout'), timeoutS * 1000);
  const onInterrupt = (): void => end('interrupted');
  interrupt.addEventListener('abort', onInterrupt, { once: true });
  if (interrupt.aborted) onInterrupt();
  const reason = await ended;
  clearTimeout(timer);
  interrupt.removeEventListener('abort', onInterrupt);
  await listener.close();
  const summary = summariseListen(listener.tally(), reason, count !== undefined);
  out.event(summary, (theme) => renderSummary(theme, summary));
  return summary.exitCode;
}
