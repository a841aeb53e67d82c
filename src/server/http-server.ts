import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CliError, ExitCode } from '../errors.js';

export interface ServerLimits {
  /** Bodies larger than this are answered 413 (default 1 MiB). */
  maxBodyBytes: number;
  /** Whole request (headers and body) must arrive within this (slow clients). */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  maxHeaderBytes: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxBodyBytes: 1024 * 1024,
  requestTimeoutMs: 10_000,
  headersTimeoutMs: 5_000,
  maxHeaderBytes: 16 * 1024,
};

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface RunningServer {
  server: Server;
  host: string;
  port: number;
  /** http://host:port, with IPv6 hosts bracketed. */
  origin: string;
  /** Stops accepting, lets in-flight requests finish (up to graceMs), then closes every socket. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Starts an HTTP server that survives anything a client sends: limits against slow and huge
 * requests, a handler that can never crash the process, and a graceful close.
 * `EADDRINUSE` and `EACCES` become CliErrors with advice (exit 2).
 */
export async function startServer(options: { host: string; port: number; handler: Handler; limits?: Partial<ServerLimits>; onError?: (error: unknown) => void }): Promise<RunningServer> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const sockets = new Set<Socket>();
  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      keepAliveTimeout: 5_000,
      // Node checks those timeouts every 30 s by default; a slow client should not get that long.
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    (req, res) => {
      const failed = (error: unknown): void => {
        options.onError?.(error);
        if (!res.headersSent) sendText(res, 500, 'internal error');
        else res.destroy();
      };
      // Called at once (no extra turn of promises per request); a throw or a rejection is caught alike.
      try {
        const handled = options.handler(req, res);
        if (handled) handled.catch(failed);
      } catch (error) {
        failed(error);
      }
    },
  );
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => {
    // Malformed HTTP, oversized headers, timeouts: answer 400 if the socket can still take it.
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  await listen(server, options.host, options.port);
  const address = server.address() as AddressInfo;
  const host = address.address;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  return {
    server,
    host,
    port: address.port,
    origin,
    close: (graceMs = 5_000) => closeGracefully(server, sockets, graceMs),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(listenError(error, host, port));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE') {
    return new CliError(`port ${port} on ${host} is already in use`, {
      exitCode: ExitCode.usage,
      field: '--port',
      hint: `stop the other process (lsof -i :${port}), pick another port with --port, or use --port 0 for a free one`,
    });
  }
  if (error.code === 'EACCES') {
    return new CliError(`no permission to listen on port ${port}`, { exitCode: ExitCode.usage, field: '--port', hint: 'ports below 1024 need privileges: use a port above 1024' });
  }
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
    return new CliError(`cannot listen on host ${host}: it is not an address of this machine`, { exitCode: ExitCode.usage, field: '--host', hint: 'use 127.0.0.1, ::1 or 0.0.0.0' });
  }
  return new CliError(`cannot listen on ${host}:${port}: ${error.message}`, { exitCode: ExitCode.usage, field: '--port' });
}

async function closeGracefully(server: Server, sockets: Set<Socket>, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => {
    for (const socket of sockets) socket.destroy();
  }, graceMs);
  await closed;
  clearTimeout(timer);
}

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * Reads a request body up to a cap. Past the cap it stops reading and reports `too-large` so the
 * caller can answer 413 and close; a client that hangs up mid-body is `aborted`.
 */
export function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      req.resume();
      resolve({ ok: false, reason: 'too-large' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        finish({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ ok: true, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) }));
    // A client that hangs up mid-body: 'close' comes without 'end' ('aborted' is only its herald).
    req.on('error', () => finish({ ok: false, reason: 'aborted' }));
    req.on('close', () => finish({ ok: false, reason: 'aborted' }));
  });
}

/** Every header value as sent, names in lower case (duplicates kept, unlike req.headers). */
export function headerValues(req: IncomingMessage): Record<string, string[]> {
  const values: Record<string, string[]> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = lowerCaseName(raw[i]!);
    (values[name] ??= []).push(raw[i + 1]!);
  }
  return values;
}

// The same few header names arrive on every request: each is lower-cased once, and the cached
// copy, already a property key, is cheaper to store under than a fresh one. Bounded for floods.
const LOWER_CASE_NAMES = new Map<string, string>();

function lowerCaseName(name: string): string {
  let lower = LOWER_CASE_NAMES.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (LOWER_CASE_NAMES.size < 256) LOWER_CASE_NAMES.set(name, lower);
  }
  return lower;
}

export function sendText(res: ServerResponse, status: number, text: string, headers?: Record<string, string>): void {
  if (res.headersSent) return;
  const length = Buffer.byteLength(text);
  // Most answers carry no extra header: a literal is cheaper than spreading an empty object.
  res.writeHead(status, headers === undefined ? { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': length } : { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': length, ...headers });
  res.end(text);
}

export function sendJson(res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(data);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Answers 413 and closes the connection, so a client streaming a huge body stops. */
export function sendTooLarge(res: ServerResponse, text = 'body too large'): void {
  sendText(res, 413, text, { Connection: 'close' });
}
