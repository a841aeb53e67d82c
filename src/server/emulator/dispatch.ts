import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiCode, envelope, judgeRequestWindow, verifyRequestSignature, type RequestVerifier } from '../../core/api-rules.js';
import { isJsonObject, parseJsonLossless } from '../../core/json.js';
import type { RateLimiter } from '../../core/rate-limit.js';
import { maskSecret } from '../../core/settings.js';
import { headerValues, readRequestBody } from '../http-server.js';
import { failure } from './reply.js';
import type { EmulatorReply, EmulatorRequest, EmulatorState, Route } from './types.js';
import { toJson } from './views.js';

export const MAX_BODY_BYTES = 1024 * 1024;
// Reused: a non-streaming decode keeps no state between calls.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The emulator's request pipeline: route, read (capped), then BlockATM's rules in its order —
 * API key, rate limit, JSON body, time window, signature — then the handler. Every outcome is an
 * answer; nothing a client sends can throw out of here.
 */
export function createDispatcher(emulator: EmulatorState, routes: readonly Route[], limiter: RateLimiter, verifier: RequestVerifier) {
  const sameSecret = secretComparer();
  const byPath = routesByPath(routes);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const path = queryAt === -1 ? target : target.slice(0, queryAt);
    const rawQuery = queryAt === -1 ? '' : target.slice(queryAt + 1);
    const method = req.method ?? 'GET';
    let reply: EmulatorReply;
    let keyNote = '';
    let rateHeaders: Record<string, string> | undefined;
    try {
      const outcome = await handle();
      if (outcome === undefined) return;
      reply = outcome;
    } catch (error) {
      emulator.log(`internal error on ${method} ${printable(path)}: ${error instanceof Error ? error.message : String(error)}`);
      reply = failure(ApiCode.systemError, 'system error', 500);
    }
    const status = send(res, reply, emulator.clock.now(), rateHeaders);
    const code = reply.kind === 'envelope' ? ` ${reply.code}` : '';
    emulator.log(`${method} ${printable(target)}  ${status}${code}  ${Math.round(performance.now() - started)} ms${keyNote}`);

    async function handle(): Promise<EmulatorReply | undefined> {
      const candidates = byPath.get(path);
      if (candidates === undefined) return failure('404', `no such endpoint: ${printable(path)}`, 404);
      const route = candidates.find((candidate) => candidate.method === method);
      if (!route) {
        const allow = candidates.map((candidate) => candidate.method).join(', ');
        return failure('405', `method ${printable(method)} not allowed on ${path}; use ${allow}`, 405, { Allow: allow });
      }
      const read = await readRequestBody(req, MAX_BODY_BYTES);
      if (!read.ok) {
        if (read.reason === 'aborted') {
          res.destroy();
          return undefined;
        }
        return failure(ApiCode.illegalRequest, `request body larger than ${MAX_BODY_BYTES} bytes`, 413, { Connection: 'close' });
      }
      let bodyText: string;
      try {
        bodyText = UTF8.decode(read.body);
      } catch {
        return failure(ApiCode.illegalParameterType, 'the body is not valid UTF-8', 400);
      }
      const query = parseQuery(rawQuery);
      if (!query) return failure(ApiCode.illegalParameterType, 'the query string has a malformed %-escape', 400);
      const headers = headerValues(req);
      const request: EmulatorRequest = { method, path, rawQuery, query, headers, body: read.body, bodyText, remoteAddress: req.socket.remoteAddress ?? '' };
      let bodyProblem: string | undefined;
      if (bodyText.trim() !== '') {
        const parsed = parseJsonLossless(bodyText);
        if (parsed.ok && isJsonObject(parsed.value)) request.jsonBody = parsed.value;
        else bodyProblem = parsed.ok ? 'the body must be a JSON object' : `malformed JSON body: ${parsed.error}`;
      }
      // The emulator's own routes judge their bodies themselves (a page may post a form).
      if (route.access === 'control') return route.handler(request, emulator);

      const apiKeys = headers['blockatm-api-key'];
      const givenKey = apiKeys?.[0]?.trim();
      const keyKnown = givenKey !== undefined && sameSecret(givenKey, emulator.credentials.apiKey);
      if (route.access !== 'public') {
        if (!givenKey) return failure(ApiCode.apiKeyRequired, 'API KEY required: send the BlockATM-API-Key header');
        if (apiKeys!.length > 1) return failure(ApiCode.illegalRequest, 'BlockATM-API-Key header was sent more than once');
        keyNote = `  key ${maskSecret(givenKey)}`;
        if (!keyKnown) return failure(ApiCode.noPermission, 'no permission: unknown API key (use the integration public key shown for this cashier desk)');
      }
      const limited = rateLimit(keyKnown ? `key:${givenKey}` : `ip:${request.remoteAddress}`);
      if (limited) return limited;

      if (route.method === 'POST') {
        const type = headers['content-type']?.[0];
        if (type !== undefined && !/^application\/(.+\+)?json\b/i.test(type.trim())) {
          return failure(ApiCode.illegalParameterType, `Content-Type ${printable(type).slice(0, 60)} is not supported; send application/json`, 415);
        }
      }
      if (bodyProblem) return failure(ApiCode.illegalParameterType, bodyProblem, 400);
      if (route.access === 'signed' || (route.access === 'key' && emulator.options.requireSignAll)) {
        const window = judgeRequestWindow({
          time: headers['blockatm-request-time'],
          recWindow: headers['blockatm-rec_window'],
          recvWindow: headers['blockatm-recv_window'],
          nowMs: emulator.clock.now(),
          strict: emulator.options.strictV1Window,
        });
        if (!window.ok) return failure(window.code, window.msg);
        const signed = verifyRequestSignature({
          verifier,
          signatureV2: headers['blockatm-signature-v2'],
          signatureV1: headers['blockatm-signature-v1'],
          time: headers['blockatm-request-time']![0]!.trim(),
          ...(route.method === 'POST' ? { body: bodyText } : { query: rawQuery }),
        });
        if (!signed.ok) return failure(signed.code, signed.msg);
      }
      return route.handler(request, emulator);
    }

    function rateLimit(key: string): EmulatorReply | undefined {
      const decision = limiter.check(key, emulator.clock.now());
      const resetSeconds = Math.max(1, Math.ceil((decision.resetAtMs - emulator.clock.now()) / 1000));
      const headers = { 'X-RateLimit-Limit': String(decision.limit), 'X-RateLimit-Remaining': String(decision.remaining), 'X-RateLimit-Reset': String(Math.ceil(decision.resetAtMs / 1000)) };
      if (decision.verdict === 'ok') {
        // Written with the answer's own headers: one writeHead, no setHeader per header.
        rateHeaders = headers;
        return undefined;
      }
      if (decision.verdict === 'limited') {
        return failure(ApiCode.serviceBusy, `too many requests: more than ${decision.limit} per minute for this API key; retry after ${resetSeconds} s`, 429, { ...headers, 'Retry-After': String(resetSeconds) });
      }
      return failure(ApiCode.serviceBusy, `blocked: requests kept coming after HTTP 429; wait ${resetSeconds} s`, 418, { ...headers, 'Retry-After': String(resetSeconds) });
    }
  };
}

/** Writes a reply and returns the HTTP status; the Date header follows the emulator's clock. */
function send(res: ServerResponse, reply: EmulatorReply, nowMs: number, rateHeaders?: Record<string, string>): number {
  if (res.headersSent || res.destroyed) return res.statusCode;
  let status: number;
  let text: string;
  let contentType = 'application/json; charset=utf-8';
  if (reply.kind === 'envelope') {
    status = reply.httpStatus ?? 200;
    text = reply.data === undefined || reply.data === null ? voidEnvelopeJson(reply.code, reply.msg, traceId()) : toJson(envelope(reply.code, reply.msg, reply.data, traceId()));
  } else if (reply.kind === 'json') {
    status = reply.status;
    text = toJson(reply.body);
  } else {
    status = reply.status;
    text = reply.body;
    contentType = reply.contentType;
  }
  res.writeHead(status, { ...rateHeaders, ...reply.headers, Date: httpDate(nowMs), 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  return status;
}

/** The envelope (D9) with `data` null, written directly: the same text toJson(envelope(...)) gives. */
function voidEnvelopeJson(code: string, msg: string, trace: string): string {
  const message = JSON.stringify(msg);
  return `{"code":${JSON.stringify(code)},"success":${code === ApiCode.success},"data":null,"trace":${JSON.stringify(trace)},"msg":${message},"message":${message}}`;
}

let dateSecond = Number.NaN;
let dateText = '';

/** The Date header has one-second resolution, so its text is built once per second. */
function httpDate(nowMs: number): string {
  const second = Math.floor(nowMs / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(nowMs).toUTCString();
  }
  return dateText;
}

/** Routes grouped by path, in table order, so a request finds its candidates without a scan. */
function routesByPath(routes: readonly Route[]): Map<string, Route[]> {
  const byPath = new Map<string, Route[]>();
  for (const route of routes) {
    const list = byPath.get(route.path);
    if (list) list.push(route);
    else byPath.set(route.path, [route]);
  }
  return byPath;
}

/** Decodes a query as a Java servlet would (`+` is a space); undefined on a malformed escape. */
export function parseQuery(rawQuery: string): Map<string, string> | undefined {
  const query = new Map<string, string>();
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    try {
      const key = decodeQueryText(eq === -1 ? piece : piece.slice(0, eq));
      const value = decodeQueryText(eq === -1 ? '' : piece.slice(eq + 1));
      if (!query.has(key)) query.set(key, value);
    } catch {
      return undefined;
    }
  }
  return query;
}

/** Text without `%` or `+` decodes to itself: the common case skips the decoder. */
function decodeQueryText(text: string): string {
  return text.includes('%') || text.includes('+') ? decodeURIComponent(text.replace(/\+/g, ' ')) : text;
}

/** A random trace id like BlockATM's: randomUUID draws on a cached pool, unlike randomBytes per call. */
function traceId(): string {
  const uuid = randomUUID();
  return uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18);
}

/**
 * Compares two secrets in constant time, whatever their lengths: the given bytes are copied into
 * a buffer the size of the expected secret, so the comparison's time depends on that size alone.
 */
function secretComparer(): (given: string, expected: string) => boolean {
  let known: { secret: string; bytes: Buffer; scratch: Buffer } | undefined;
  return (given, expected) => {
    if (known?.secret !== expected) {
      const bytes = Buffer.from(expected, 'utf8');
      known = { secret: expected, bytes, scratch: Buffer.alloc(bytes.length) };
    }
    const { bytes, scratch } = known;
    scratch.fill(0);
    const written = scratch.write(given, 'utf8');
    const sameLength = Buffer.byteLength(given, 'utf8') === bytes.length;
    return timingSafeEqual(scratch, bytes) && sameLength && written === bytes.length;
  };
}

/** Control characters and overlong text stripped, so a log line stays one readable line. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
