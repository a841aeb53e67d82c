import type { AppContext } from '../context.js';
import type { Settings } from '../core/settings.js';
import type { HttpClient } from '../http/client.js';
import type { CheckOptions, Rig } from './check.js';

/** `check` against the configured BlockATM environment and the merchant's own Webhook URL. */
export async function startRealRig(_ctx: AppContext, input: { settings: Settings; opts: CheckOptions; timeoutMs: number; client: HttpClient }): Promise<Rig> {
  const { settings } = input;
  return {
    settings,
    heading: [`cashier-check check · ${settings.environment} API ${settings.baseUrl} · Webhook URL ${settings.webhookUrl ?? '(not set)'}`],
    context: { mode: 'configured', environment: settings.environment, baseUrl: settings.baseUrl, webhookUrl: settings.webhookUrl ?? null },
    close: async () => undefined,
  };
}
