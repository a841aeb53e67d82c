import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.js';
import type { StepVerdict } from '../core/checklist.js';
import { deliveryPassed, type DeliveryReport } from '../core/listen.js';
import { runSendTest } from '../core/send-test.js';
import type { Settings } from '../core/settings.js';
import { formatDuration } from '../core/time.js';
import { parseHttpUrl, validateInteger } from '../core/validate.js';
import { badInput, orBadInput } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import { startListener, type RunningListener } from '../server/listener.js';
import type { Output } from '../ui/output.js';
import type { CheckOptions, Rig } from './check.js';

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** `check` against the configured BlockATM environment and the merchant's own Webhook URL. */
export async function startRealRig(ctx: AppContext, out: Output, input: { settings: Settings; opts: CheckOptions; timeoutMs: number; client: HttpClient }): Promise<Rig> {
  const { settings, opts, client } = input;
  const wait = opts.waitReal === undefined ? undefined : await startWaiting(ctx, out, settings, opts);
  return {
    settings,
    heading: [`cashier-check check · ${settings.environment} API ${settings.baseUrl} · Webhook URL ${settings.webhookUrl ?? '(not set)'}`],
    context: { mode: 'configured', environment: settings.environment, baseUrl: settings.baseUrl, webhookUrl: settings.webhookUrl ?? null },
    sendTest: () => runSendTest({ send: (request) => client.send({ ...request, signal: ctx.interruptSignal() }), settings, now: () => ctx.clock.now(), random: hex, timeoutMs: input.timeoutMs }),
    realDelivery: wait?.realDelivery,
    close: async () => wait?.listener.close(),
  };
}

/**
 * --wait-real: a listener on a local port that a tunnel exposes at the public URL the user gives;
 * step 8 then waits for the delivery BlockATM sends when they press "Test Cashier".
 */
async function startWaiting(ctx: AppContext, out: Output, settings: Settings, opts: CheckOptions): Promise<{ listener: RunningListener; realDelivery: Rig['realDelivery'] }> {
  const publicUrl = orBadInput('--wait-real', parseHttpUrl(opts.waitReal ?? ''), 'give the public https:// URL your tunnel (ngrok, cloudflared) forwards to this machine');
  const port = orBadInput('--listen-port', validateInteger(opts.listenPort ?? '4242', 1, 65535), 'give the local port your tunnel forwards to');
  const waitMs = orBadInput('--wait-timeout', validateInteger(opts.waitTimeout ?? '300', 1, 3600), 'give the seconds to wait, e.g. --wait-timeout 300') * 1000;
  if (!settings.webhookKey) throw badInput('--wait-real', 'needs the Webhook key to verify the real delivery', 'set CASHIER_CHECK_WEBHOOK_KEY or run "cashier-check init"');
  const arrived: DeliveryReport[] = [];
  let notify: (() => void) | undefined;
  const listener = await startListener({
    host: '127.0.0.1', port, path: publicUrl.pathname, webhookKey: settings.webhookKey, env: ctx.env,
    onDelivery: (report) => {
      if (report.method === 'POST' && report.answered !== 404) {
        arrived.push(report);
        notify?.();
      }
    },
  });
  const run = async (): Promise<StepVerdict> => {
    out.info(`waiting up to ${formatDuration(waitMs)} for a real delivery: point your tunnel at ${listener.url}, set the dashboard's Webhook URL to ${publicUrl.toString()}, then press "Test Cashier"`);
    const report = arrived[0] ?? (await nextDelivery(ctx.interruptSignal(), waitMs, (wake) => (notify = wake), () => arrived[0]));
    if (!report) return { status: 'fail', detail: `no delivery reached ${publicUrl.toString()} within ${formatDuration(waitMs)}`, hint: 'check the tunnel forwards to this port and the dashboard\'s Webhook URL is the public URL, then press "Test Cashier" again', timedOut: true };
    const { verdict } = report;
    const what = [verdict.event, verdict.status, verdict.orderNo ?? verdict.bizOrderNo].filter(Boolean).join(' ');
    if (!deliveryPassed(report)) return { status: 'fail', detail: `a real delivery arrived (${what || 'unreadable'}) but did not verify: ${verdict.reason}`, hint: 'run "cashier-check verify" on the captured body to see which key or recipe BlockATM used' };
    return { status: 'pass', detail: `a real ${what} delivery arrived and verified (${verdict.recipe} recipe)` };
  };
  return { listener, realDelivery: { label: 'real delivery from BlockATM', run } };
}

function nextDelivery(signal: AbortSignal, waitMs: number, register: (wake: () => void) => void, current: () => DeliveryReport | undefined): Promise<DeliveryReport | undefined> {
  return new Promise((resolve) => {
    const finish = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve(current());
    };
    const timer = setTimeout(finish, waitMs);
    signal.addEventListener('abort', finish, { once: true });
    register(finish);
  });
}
