import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.js';
import type { StepVerdict } from '../core/checklist.js';
import { runSendTest } from '../core/send-test.js';
import { resolveSettings } from '../core/settings.js';
import type { HttpClient } from '../http/client.js';
import { startEmulator, type RunningEmulator } from '../server/emulator/index.js';
import { startListener } from '../server/listener.js';
import { startVulnerableReceiver } from '../server/vulnerable-receiver.js';
import type { Rig } from './check.js';

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/**
 * `check --mock`: the emulator plays BlockATM and a built-in receiver plays the merchant, both on
 * free loopback ports with fresh demo credentials, so every step can run with no set-up at all.
 */
export async function startMockRig(ctx: AppContext, input: { vulnerable: boolean; client: HttpClient; timeoutMs: number }): Promise<Rig> {
  const credentials = { apiKey: `pk_demo_${hex(16)}`, secretKey: `sk_demo_${hex(16)}`, webhookKey: `whk_demo_${hex(16)}`, cashierId: '86100021' };
  const receiver = input.vulnerable
    ? await startVulnerableReceiver()
    : await startListener({ host: '127.0.0.1', port: 0, webhookKey: credentials.webhookKey });
  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator({ host: '127.0.0.1', port: 0, credentials, webhookUrl: receiver.url, env: {} });
  } catch (error) {
    await receiver.close();
    throw error;
  }
  const settings = resolveSettings({ flags: { baseUrl: emulator.baseUrl, ...credentials, webhookUrl: receiver.url } });
  const kind = input.vulnerable ? 'a receiver that skips verification' : 'the built-in correct receiver';
  return {
    settings,
    heading: [`cashier-check check --mock · emulator ${emulator.baseUrl} · ${kind} ${receiver.url}`],
    context: { mode: 'mock', baseUrl: emulator.baseUrl, webhookUrl: receiver.url, receiver: input.vulnerable ? 'vulnerable' : 'correct' },
    sendTest: () => runSendTest({ send: (request) => input.client.send(request), settings, now: () => ctx.clock.now(), random: hex, timeoutMs: input.timeoutMs }),
    realDelivery: { label: 'a payment settled in the emulator', run: () => emulatorDelivery(emulator) },
    async close() {
      await emulator.close();
      await receiver.close();
    },
  };
}

async function emulatorDelivery(emulator: RunningEmulator): Promise<StepVerdict> {
  const { order, delivery } = await emulator.createPayment({ status: 'SUCCESS' });
  const attempt = delivery?.attempts[0];
  if (!delivery || !attempt) return { status: 'fail', detail: 'the emulator made no delivery', hint: 'this is a bug in cashier-check; report it' };
  const answer = attempt.status === null ? `no answer (${attempt.error ?? attempt.errorKind ?? 'unknown'})` : `HTTP ${attempt.status} in ${attempt.latencyMs} ms`;
  if (!delivery.delivered) return { status: 'fail', detail: `its signed Payment webhook for order ${order.orderNo} got ${answer}`, hint: 'answer a verified delivery with HTTP 200' };
  return { status: 'pass', detail: `its signed Payment webhook for order ${order.orderNo} got ${answer}` };
}
