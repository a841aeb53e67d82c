import type { HeaderValues } from '../core/delivery.js';
import type { ForwardResult } from '../core/listen.js';
import { createHttpClient, type HttpClient } from '../http/client.js';

/** Headers relayed to the app: the body's type and every BlockATM header, nothing hop-by-hop. */
function relayedHeaders(headers: HeaderValues): Record<string, string> {
  const relayed: Record<string, string> = {};
  for (const [name, values] of Object.entries(headers)) {
    if (values === undefined) continue;
    if (name === 'content-type' || name === 'user-agent' || name.startsWith('blockatm-')) relayed[name] = values.join(', ');
  }
  return relayed;
}

/** True for localhost, 127.x and ::1: the developer's own machine. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * A client for `--forward-to`: proxies from the environment apply to remote apps only, since a
 * corporate proxy cannot reach the developer's own localhost.
 */
export function createForwardClient(url: string, env: Record<string, string | undefined>): HttpClient {
  return createHttpClient({ env: isLoopbackUrl(url) ? {} : env });
}

/** Relays the exact bytes and BlockATM headers to the merchant's app and keeps its answer. */
export async function forwardDelivery(client: HttpClient, url: string, request: { headers: HeaderValues; body: Buffer }, timeoutMs: number): Promise<ForwardResult> {
  const outcome = await client.send({ method: 'POST', url, headers: relayedHeaders(request.headers), body: request.body, timeoutMs, maxBodyBytes: 16 * 1024 });
  if (!outcome.ok) {
    const { kind, message, hint } = outcome.failure;
    return { url, status: null, body: '', latencyMs: outcome.latencyMs, error: { kind, message, hint }, contentType: null };
  }
  const { status, body, latencyMs, headers } = outcome.response;
  return { url, status, body, latencyMs, error: null, contentType: headers['content-type'] ?? null };
}
