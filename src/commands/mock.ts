import type { AppContext } from '../context.js';
import type { CommandInput } from '../program.js';
import type { Output } from '../ui/output.js';
import { loadSettings } from '../config/load-settings.js';
import { validateInteger, validateWebhookUrl } from '../core/validate.js';
import { badInput, ExitCode, orBadInput } from '../errors.js';
import { emulatorCredentials, emulatorV1Keys, v1DemoPrivateKey } from '../server/emulator/credentials.js';
import { startEmulator } from '../server/emulator/index.js';
import { mockReady, renderBanner, renderLogLine } from '../ui/render-mock.js';

interface MockOptions {
  port: string;
  host: string;
  webhookUrl?: string;
  recipe: 'sorted' | 'raw';
  intStatus?: boolean;
  retrySchedule?: string;
  retrySpeedup: string;
  rateLimit: string;
  clockOffset: string;
  v1?: boolean;
  requireSignAll?: boolean;
  strictV1Window?: boolean;
}

export async function run(ctx: AppContext, out: Output, { opts, globals }: CommandInput<MockOptions>): Promise<number> {
  const port = orBadInput('--port', validateInteger(opts.port, 0, 65535), 'give a port number, or 0 for a free one');
  const rateLimitPerMinute = orBadInput('--rate-limit', validateInteger(opts.rateLimit, 1, 1_000_000), 'requests per minute per API key, e.g. 100');
  const clockOffsetMs = orBadInput('--clock-offset', validateInteger(opts.clockOffset, -86_400_000, 86_400_000), 'milliseconds, e.g. 5000 or -5000');
  const retrySpeedup = Number(opts.retrySpeedup);
  if (!/^\d+(\.\d+)?$/.test(opts.retrySpeedup.trim()) || !(retrySpeedup > 0)) throw badInput('--retry-speedup', 'must be a positive number', 'e.g. 60 turns the 1-minute first retry into 1 second');
  const retrySchedule = opts.retrySchedule === undefined ? undefined : parseSchedule(opts.retrySchedule);
  const settings = loadSettings(ctx.env, globals.profile, { webhookUrl: opts.webhookUrl });
  const webhookUrl = settings.webhookUrl === undefined ? undefined : orBadInput(settings.sources.webhookUrl === 'flag' ? '--webhook-url' : 'webhookUrl', validateWebhookUrl(settings.webhookUrl), 'give an absolute http(s) URL of the endpoint that receives webhooks');
  const { credentials, demo } = emulatorCredentials(settings);
  const v1 = opts.v1 ? emulatorV1Keys(settings) : undefined;

  const emulator = await startEmulator({
    host: opts.host, port, credentials, webhookUrl, recipe: opts.recipe, intStatus: opts.intStatus === true,
    retrySchedule, retrySpeedup, rateLimitPerMinute, clockOffsetMs, v1,
    requireSignAll: opts.requireSignAll === true, strictV1Window: opts.strictV1Window === true,
    clock: ctx.clock, env: ctx.env,
    log: (line) => out.info(renderLogLine(out.theme, line)),
  });
  if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(opts.host)) {
    out.warn(`listening on ${opts.host}, not loopback: anyone who can reach this port can use the control API (/_mock) and the demo credentials`);
  }
  const ready = mockReady(emulator, demo, v1 ? v1DemoPrivateKey(settings) : null);
  if (out.json) out.event(ready, () => '');
  out.info(renderBanner(out.theme, ready));

  const signal = ctx.interruptSignal();
  if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  out.info('stopping: finishing requests in flight…');
  await emulator.close();
  out.info('emulator stopped');
  return ExitCode.interrupted;
}

function parseSchedule(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const delays = parts.map((part) => orBadInput('--retry-schedule', validateInteger(part, 0, 7 * 86_400_000), 'comma-separated delays in ms, e.g. 1000,5000,30000'));
  if (delays.length > 20) throw badInput('--retry-schedule', 'at most 20 retries', 'e.g. 1000,5000,30000');
  return delays;
}
