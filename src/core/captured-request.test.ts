import { describe, expect, it } from 'vitest';
import { parseRequestFile } from './captured-request.js';
import { inputsFromRequest } from './verify-report.js';

const BODY = '{"orderNo":"O1","amount":"2000.00","remark":"café"}';

function dump(lines: string[], body: string | Buffer, eol = '\r\n'): Buffer {
  return Buffer.concat([Buffer.from(`${lines.join(eol)}${eol}${eol}`, 'utf8'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')]);
}

describe('parseRequestFile', () => {
  it('reads a raw HTTP dump with CRLF line ends, keeping the body byte for byte', () => {
    const parsed = parseRequestFile(dump(['POST /hooks/blockatm HTTP/1.1', 'Host: shop.example', 'BlockATM-Signature-V2: abc', 'BlockATM-Request-Time: 1743060268000', `Content-Length: ${Buffer.byteLength(BODY)}`], BODY));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toMatchObject({ format: 'http', method: 'POST', path: '/hooks/blockatm', warnings: [] });
    expect(parsed.value.headers['blockatm-signature-v2']).toEqual(['abc']);
    expect(parsed.value.body.toString('utf8')).toBe(BODY);
  });

  it('drops an editor\'s final newline after Content-Length, but keeps it when there is no length', () => {
    const withLength = parseRequestFile(dump(['POST / HTTP/1.1', `Content-Length: ${Buffer.byteLength(BODY)}`], `${BODY}\n`, '\n'));
    expect(withLength.ok && withLength.value.body.toString()).toBe(BODY);
    const withoutLength = parseRequestFile(dump(['POST / HTTP/1.1', 'X: 1'], `${BODY}\n`, '\n'));
    expect(withoutLength.ok && withoutLength.value.body.toString()).toBe(`${BODY}\n`);
  });

  it('warns when the body is shorter than its Content-Length, or has junk after it', () => {
    const short = parseRequestFile(dump(['POST / HTTP/1.1', 'Content-Length: 500'], BODY));
    expect(short.ok && short.value.warnings[0]).toContain('shorter than its Content-Length');
    const junk = parseRequestFile(dump(['POST / HTTP/1.1', 'Content-Length: 2'], '{}GARBAGE'));
    expect(junk.ok && junk.value.warnings[0]).toContain('7 bytes after Content-Length');
  });

  it('decodes a chunked body', () => {
    const parsed = parseRequestFile(dump(['POST / HTTP/1.1', 'Transfer-Encoding: chunked'], '5\r\n{"a":\r\n4\r\n"b"}\r\n0\r\n\r\n'));
    expect(parsed.ok && parsed.value.body.toString()).toBe('{"a":"b"}');
    expect(parseRequestFile(dump(['POST / HTTP/1.1', 'Transfer-Encoding: chunked'], 'z\r\n')).ok).toBe(false);
  });

  it('reads a capture saved by listen, including a Base64 body', () => {
    const capture = { id: '20261126T070102-3f9a', receivedAt: '2026-11-26T07:01:02.000Z', method: 'POST', path: '/', headers: { 'blockatm-request-time': ['1'] }, body: Buffer.from([0xff, 0x00]).toString('base64'), bodyEncoding: 'base64', verdict: {} };
    const parsed = parseRequestFile(Buffer.from(JSON.stringify(capture, null, 2)));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toMatchObject({ format: 'capture', id: capture.id });
    expect([...parsed.value.body]).toEqual([0xff, 0x00]);
  });

  it('treats a __proto__ header as an ordinary header', () => {
    const dumped = parseRequestFile(dump(['POST / HTTP/1.1', '__proto__: x', 'constructor: y'], '{}'));
    expect(dumped.ok && dumped.value.headers['__proto__']).toEqual(['x']);
    const captured = parseRequestFile(Buffer.from('{"body":"{}","headers":{"__proto__":["x"]}}'));
    expect(captured.ok && Object.keys(captured.value.headers)).toEqual(['__proto__']);
  });

  it('rejects what is neither, naming the expected formats', () => {
    for (const text of ['hello', '', 'POST /\n\nbody', '{"headers":{}}', '{"body":"x","headers":{"a":[1]}}', 'POST / HTTP/1.1\r\nBad header line\r\n\r\n']) {
      const parsed = parseRequestFile(Buffer.from(text));
      expect(parsed.ok, text).toBe(false);
    }
    const parsed = parseRequestFile(Buffer.from('hello'));
    expect(!parsed.ok && parsed.error).toContain('raw HTTP request');
  });
});

describe('inputsFromRequest', () => {
  const request = (headers: Record<string, string[]>, body = BODY) => {
    const parsed = parseRequestFile(Buffer.from(JSON.stringify({ headers, body })));
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.value;
  };

  it('takes time, signature and event from the headers, and lets flags override them', () => {
    const captured = request({ 'blockatm-request-time': ['1743060268000'], 'blockatm-signature-v2': ['aa'], 'blockatm-event': ['Payment'] });
    expect(inputsFromRequest(captured, {})).toMatchObject({ ok: true, value: { rawBody: BODY, time: '1743060268000', signature: 'aa', event: 'Payment' } });
    expect(inputsFromRequest(captured, { time: '5', signature: 'bb' })).toMatchObject({ ok: true, value: { time: '5', signature: 'bb' } });
  });

  it('refuses a request without a time, with two signatures, or with a body that is not UTF-8', () => {
    expect(inputsFromRequest(request({}), {})).toMatchObject({ ok: false, error: expect.stringContaining('--time') });
    expect(inputsFromRequest(request({ 'blockatm-request-time': ['1'], 'blockatm-signature-v2': ['a', 'b'] }), {})).toMatchObject({ ok: false, error: expect.stringContaining('2 BlockATM-Signature-V2 headers') });
    const binary = parseRequestFile(dump(['POST / HTTP/1.1', 'BlockATM-Request-Time: 1'], Buffer.from([0xc3, 0x28])));
    expect(binary.ok && inputsFromRequest(binary.value, {})).toMatchObject({ ok: false, error: expect.stringContaining('UTF-8') });
  });
});
