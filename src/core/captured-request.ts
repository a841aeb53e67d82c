import { capturedBodyBytes, type CapturedDelivery } from './capture.js';
import { fail, ok, type Result } from './result.js';

/** A whole webhook request read from a file: a `listen` capture or a raw HTTP dump. */
export interface CapturedRequest {
  format: 'capture' | 'http';
  /** The capture's id, for captures. */
  id: string | null;
  method: string;
  path: string;
  /** Header names in lower case, every value kept. */
  headers: Record<string, string[]>;
  body: Buffer;
  warnings: string[];
}

/**
 * Reads a request file: JSON saved by `listen`, or a raw HTTP/1.x dump (request line, headers,
 * a blank line, the body). The body is kept byte for byte; Content-Length and chunked encoding
 * are honoured, so an editor's final newline after the body does not count as body.
 */
export function parseRequestFile(bytes: Buffer): Result<CapturedRequest> {
  const head = bytes.subarray(0, 64).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart();
  if (head.startsWith('{')) return parseCaptureJson(bytes.toString('utf8'));
  if (/^[A-Z]+ \S+ HTTP\/\d(\.\d)?\r?\n/.test(head) || /^[A-Z]+ \S+ HTTP\/\d(\.\d)?\r?$/.test(head)) return parseHttpDump(bytes);
  return fail('is neither a capture saved by "cashier-check listen" (JSON) nor a raw HTTP request (request line, headers, blank line, body)');
}

/** A capture file, validated field by field (it may have been edited by hand). */
export function parseCaptureJson(text: string): Result<CapturedRequest> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return fail(`is not valid JSON (${(error as Error).message})`);
  }
  const capture = data as Partial<CapturedDelivery>;
  if (typeof capture !== 'object' || capture === null || Array.isArray(capture)) return fail('is not a capture: expected a JSON object');
  if (typeof capture.body !== 'string') return fail('is not a capture: "body" must be a string');
  if (capture.bodyEncoding !== undefined && capture.bodyEncoding !== 'utf8' && capture.bodyEncoding !== 'base64') return fail('is not a capture: "bodyEncoding" must be utf8 or base64');
  if (typeof capture.headers !== 'object' || capture.headers === null || Array.isArray(capture.headers)) return fail('is not a capture: "headers" must be an object');
  const headers: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [name, values] of Object.entries(capture.headers as Record<string, unknown>)) {
    const list = Array.isArray(values) ? values : [values];
    if (!list.every((v) => typeof v === 'string')) return fail(`is not a capture: header "${name.slice(0, 40)}" must be a string or a list of strings`);
    headers[name.toLowerCase()] = [...(headers[name.toLowerCase()] ?? []), ...(list as string[])];
  }
  return ok({
    format: 'capture',
    id: typeof capture.id === 'string' ? capture.id : null,
    method: typeof capture.method === 'string' ? capture.method : 'POST',
    path: typeof capture.path === 'string' ? capture.path : '/',
    headers,
    body: capturedBodyBytes({ body: capture.body, bodyEncoding: capture.bodyEncoding ?? 'utf8' }),
    warnings: [],
  });
}

/** A raw HTTP/1.x request as a proxy, tcpdump or `curl --trace-ascii` cleanup would save it. */
export function parseHttpDump(bytes: Buffer): Result<CapturedRequest> {
  const crlf = bytes.indexOf('\r\n\r\n');
  const lf = bytes.indexOf('\n\n');
  const useCrlf = crlf !== -1 && (lf === -1 || crlf < lf);
  const end = useCrlf ? crlf : lf;
  if (end === -1) return fail('has no blank line after the headers: a raw HTTP request is the request line, headers, a blank line, then the body');
  const lines = bytes.subarray(0, end).toString('latin1').split(/\r?\n/);
  let body: Buffer = bytes.subarray(end + (useCrlf ? 4 : 2));
  const requestLine = (lines.shift() ?? '').replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  const match = /^([A-Z]+) (\S+) HTTP\/\d(?:\.\d)?$/.exec(requestLine.trim());
  if (!match) return fail(`the request line "${requestLine.slice(0, 60)}" is not "METHOD /path HTTP/1.1"`);
  const headers: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  let last: string | undefined;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && last !== undefined) {
      const values = headers[last]!;
      values[values.length - 1] = `${values[values.length - 1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return fail(`the header line "${line.slice(0, 60)}" has no "Name: value"`);
    last = line.slice(0, colon).trim().toLowerCase();
    (headers[last] ??= []).push(Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8'));
  }
  const warnings: string[] = [];
  const encoding = headers['transfer-encoding']?.join(',').toLowerCase() ?? '';
  if (encoding.includes('chunked')) {
    const decoded = decodeChunked(body);
    if (!decoded.ok) return decoded;
    body = decoded.value;
  } else if (headers['content-length'] !== undefined) {
    const declared = Number(headers['content-length'][0]);
    if (!Number.isInteger(declared) || declared < 0) return fail(`Content-Length "${headers['content-length'][0]}" is not a byte count`);
    if (body.length > declared) {
      const extra = body.subarray(declared);
      if (!/^[\r\n]*$/.test(extra.toString('latin1'))) warnings.push(`${extra.length} bytes after Content-Length (${declared}) were ignored`);
      body = body.subarray(0, declared);
    } else if (body.length < declared) {
      warnings.push(`the body is ${body.length} bytes, shorter than its Content-Length (${declared}): the dump may be cut`);
    }
  }
  return ok({ format: 'http', id: null, method: match[1]!, path: match[2]!, headers, body, warnings });
}

function decodeChunked(bytes: Buffer): Result<Buffer> {
  const chunks: Buffer[] = [];
  let at = 0;
  for (let guard = 0; guard < 100_000; guard++) {
    const lineEnd = bytes.indexOf('\n', at);
    if (lineEnd === -1) return fail('the chunked body ends without its final 0-size chunk');
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1').split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0) return fail('the chunked body has a malformed chunk size');
    const start = lineEnd + 1;
    if (size === 0) return ok(Buffer.concat(chunks));
    if (start + size > bytes.length) return fail('the chunked body is cut short');
    chunks.push(bytes.subarray(start, start + size));
    at = start + size;
    if (bytes[at] === 0x0d) at += 1;
    if (bytes[at] === 0x0a) at += 1;
  }
  return fail('the chunked body has too many chunks');
}
