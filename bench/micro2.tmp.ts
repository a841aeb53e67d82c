import { verifyDelivery } from '../src/core/delivery.js';
import { buildDelivery, samplePayment, serialisePayload } from '../src/core/webhook-payload.js';
const KEY = 'k';
const now = Date.now();
const d = buildDelivery({ event: 'Payment', body: serialisePayload(samplePayment(now)), webhookKey: KEY, timeMs: now });
const headers: Record<string, string[]> = {}; for (const [k, v] of Object.entries(d.headers)) headers[k.toLowerCase()] = [v];
const body = Buffer.from(d.body);
for (let i = 0; i < 300000; i++) verifyDelivery({ method: 'POST', headers, body }, { webhookKey: KEY, nowMs: now, toleranceMs: 300000 });
