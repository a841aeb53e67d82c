import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseLossless } from 'lossless-json';

export interface CapturedRequest {
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface TestReceiver {
  url: string;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

/** A receiver closed when the test ends; safe in concurrent tests. */
export async function receiverFor(context: { onTestFinished(fn: () => unknown): void }, answer: Answer, options: { maxBodyBytes?: number } = {}): Promise<TestReceiver> {
  const receiver = await startReceiver(answer, options);
  context.onTestFinished(() => receiver.close());
  return receiver;
}

type Answer = (request: CapturedRequest) => { status: number; body: string; headers?: Record<string, string> };

/** A loopback HTTP server that records every request and answers with `answer`. */
export async function startReceiver(answer: Answer, options: { maxBodyBytes?: number } = {}): Promise<TestReceiver> {
  const requests: CapturedRequest[] = [];
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        if (!tooLarge) {
          tooLarge = true;
          res.writeHead(413, { Connection: 'close' }).end('too large');
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return;
      const captured = { method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(captured);
      const { status, body, headers } = answer(captured);
      res.writeHead(status, { 'Content-Type': 'text/plain', ...headers }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/**
 * The sorted recipe written out independently of the product: flat JSON, keys sorted, raw values
 * (numbers exactly as written, via lossless-json), null skipped, then &time=.
 */
export function sortedStringToSign(body: string, time: string): string {
  const object = parseLossless(body) as Record<string, unknown>;
  const parts = Object.keys(object).sort().filter((key) => object[key] !== null).map((key) => `${key}=${String(object[key])}`);
  return parts.length ? `${parts.join('&')}&time=${time}` : `time=${time}`;
}

export function hmac(key: string, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

function signatureMatches(key: string, request: CapturedRequest, time: string): boolean {
  const given = String(request.headers['blockatm-signature-v2'] ?? '');
  if (!/^[0-9a-f]{64}$/i.test(given)) return false;
  let expected: string;
  try {
    expected = hmac(key, sortedStringToSign(request.body, time));
  } catch {
    return false;
  }
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given, 'hex'));
}

/**
 * A careful merchant endpoint: JSON only, signature with the Webhook key, 5-minute window, an exact
 * replay (same signature and time) refused, and a repeated order answered 200 without reprocessing.
 */
export function correctAnswer(webhookKey: string, options: { dedupe?: boolean } = {}): Answer {
  const seenSignatures = new Set<string>();
  const processed = new Set<string>();
  return (request) => {
    const time = String(request.headers['blockatm-request-time'] ?? '');
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) return { status: 415, body: 'json only' };
    if (!/^\d{13}$/.test(time) || Math.abs(Date.now() - Number(time)) > 300_000) return { status: 401, body: 'bad time' };
    if (!signatureMatches(webhookKey, request, time)) return { status: 401, body: 'bad signature' };
    const signature = `${String(request.headers['blockatm-signature-v2'])}:${time}`;
    if (options.dedupe !== false && seenSignatures.has(signature)) return { status: 401, body: 'replayed' };
    seenSignatures.add(signature);
    const payload = JSON.parse(request.body) as { orderNo?: string; status?: string };
    processed.add(`${payload.orderNo}:${payload.status}`);
    return { status: 200, body: 'success' };
  };
}

/** Re-serialises the body with JSON.parse before signing, as many frameworks do: 2000.50 becomes 2000.5. */
export function reserialisingAnswer(webhookKey: string, options: { checkTime?: boolean } = {}): Answer {
  return (request) => {
    const time = String(request.headers['blockatm-request-time'] ?? '');
    let object: Record<string, unknown>;
    try {
      object = JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      return { status: 400, body: 'bad json' };
    }
    const text = `${Object.keys(object).sort().filter((key) => object[key] !== null).map((key) => `${key}=${String(object[key])}`).join('&')}&time=${time}`;
    if (options.checkTime !== false && Math.abs(Date.now() - Number(time)) > 300_000) return { status: 401, body: 'bad time' };
    return hmac(webhookKey, text) === request.headers['blockatm-signature-v2'] ? { status: 200, body: 'success' } : { status: 401, body: 'bad signature' };
  };
}

/** Deduplicates by order and status with 409, so BlockATM's own retries never get their 200. */
export function refusesRetriesAnswer(webhookKey: string): Answer {
  const careful = correctAnswer(webhookKey, { dedupe: false });
  const orders = new Set<string>();
  return (request) => {
    const answer = careful(request);
    if (answer.status !== 200) return answer;
    const payload = JSON.parse(request.body) as { orderNo?: string; status?: string };
    const key = `${payload.orderNo}:${payload.status}`;
    if (orders.has(key)) return { status: 409, body: 'duplicate' };
    orders.add(key);
    return answer;
  };
}

/** Checks the signature but never the time: stale, future and seconds timestamps get through. */
export function ignoresTimestampAnswer(webhookKey: string): Answer {
  return (request) => {
    const time = String(request.headers['blockatm-request-time'] ?? '');
    return signatureMatches(webhookKey, request, time) ? { status: 200, body: 'success' } : { status: 401, body: 'bad signature' };
  };
}

export const acceptsEverything: Answer = () => ({ status: 200, body: 'success' });
export const answers500: Answer = () => ({ status: 500, body: 'internal error' });
/** An http:// URL that sends everything on to https://, as many frameworks do by default. */
export const redirectsToHttps: Answer = () => ({ status: 301, body: '', headers: { Location: 'https://shop.example.com/webhook' } });
