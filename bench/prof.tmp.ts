import { spawn } from 'node:child_process';
import { signApiRequest } from '../src/core/request-signing.js';
import { buildDelivery, samplePayment, serialisePayload } from '../src/core/webhook-payload.js';
import { drive } from './servers.js';
const KEY = 'bench-webhook-key-0123456789abcdef';
const API_KEY = 'bench-api-key-0123456789';
const SECRET_KEY = 'bench-secret-key-0123456789abcdef';
const now = Date.now();
const mode = process.argv[2];
const batch = Array.from({ length: 20000 }, (_, n) => {
  if (mode === 'mock') { const query = `bizOrderNo=BENCH_${n}`; const s = signApiRequest({ apiKey: API_KEY, signer: { version: 'v2', secretKey: SECRET_KEY }, timeMs: now, query }); if (!s.ok) throw new Error(); return { method: 'GET' as const, path: `/order/api/v2/payout/detail?${query}`, headers: s.value.headers }; }
  const d = buildDelivery({ event: 'Payment', body: serialisePayload(samplePayment(now, { orderNo: `ORDER_${n}` })), webhookKey: KEY, timeMs: now }); return { method: 'POST' as const, path: '/webhook', headers: d.headers, body: d.body }; });
let i = 0;
const args = process.argv.slice(3);
const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/lprof', ...args], { env: { PATH: process.env.PATH, CASHIER_CHECK_CONFIG_DIR: '/tmp/lcfg', CASHIER_CHECK_WEBHOOK_KEY: KEY, CASHIER_CHECK_API_KEY: API_KEY, CASHIER_CHECK_SECRET_KEY: SECRET_KEY, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'ignore'] });
const url: string = await new Promise((resolve) => { let b = ''; child.stdout!.on('data', (c: Buffer) => { b += c; const l = b.split('\n').find((x) => x.includes('"ready"')); if (l) { child.stdout!.removeAllListeners('data'); child.stdout!.resume(); resolve(JSON.parse(l).url ?? JSON.parse(l).baseUrl); } }); });
const r = await drive(url, () => batch[i++ % batch.length]!, 4, 50);
console.log(r);
child.kill('SIGINT');
await new Promise((resolve) => child.on('close', resolve));
