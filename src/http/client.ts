import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import { classifyNetworkError, type NetworkFailure } from './network-errors.js';

export interface HttpRequest {
  method: string;
  url: string;
  /** A list sends the header once per value, as it arrived. */
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Whole exchange, connect to last byte (default 10 s). */
  timeoutMs?: number;
  /** Keep at most this much of the response body (default 64 KiB). */
  maxBodyBytes?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** True when the body was longer than maxBodyBytes and was cut. */
  truncated: boolean;
  latencyMs: number;
}

export type HttpOutcome = { ok: true; response: HttpResponse } | { ok: false; failure: NetworkFailure; latencyMs: number };

/** Sends HTTP requests; the only module that imports undici. */
export interface HttpClient {
  send(request: HttpRequest): Promise<HttpOutcome>;
  close(): Promise<void>;
}

/**
 * An undici client that honours HTTP(S)_PROXY / NO_PROXY, times out, never throws on network
 * trouble (it classifies it: dns, refused, timeout, tls, reset), and keeps only a body excerpt.
 */
export function createHttpClient(options: { env?: Record<string, string | undefined>; rejectUnauthorized?: boolean } = {}): HttpClient {
  const env = options.env ?? {};
  const useProxy = Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
  const connect = { rejectUnauthorized: options.rejectUnauthorized ?? true };
  const dispatcher: Dispatcher = useProxy
    ? new EnvHttpProxyAgent({
        httpProxy: env.HTTP_PROXY ?? env.http_proxy,
        httpsProxy: env.HTTPS_PROXY ?? env.https_proxy,
        noProxy: env.NO_PROXY ?? env.no_proxy,
        connect,
      })
    : new Agent({ connect, keepAliveTimeout: 4_000 });
  return {
    send: (input) => send(dispatcher, input),
    close: () => dispatcher.close(),
  };
}

async function send(dispatcher: Dispatcher, input: HttpRequest): Promise<HttpOutcome> {
  const started = performance.now();
  const timeoutMs = input.timeoutMs ?? 10_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout;
  try {
    const response = await request(input.url, {
      method: input.method as Dispatcher.HttpMethod,
      headers: input.headers,
      body: input.body,
      dispatcher,
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const { text, truncated } = await readCapped(response.body, input.maxBodyBytes ?? 64 * 1024);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { ok: true, response: { status: response.statusCode, headers, body: text, truncated, latencyMs: Math.round(performance.now() - started) } };
  } catch (error) {
    const failure = classifyNetworkError(error, { url: input.url, timeoutMs, timedOut: timeout.aborted });
    return { ok: false, failure, latencyMs: Math.round(performance.now() - started) };
  }
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = maxBytes - size;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      body.destroy();
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}
