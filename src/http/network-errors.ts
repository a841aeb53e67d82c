/** The few ways a request can fail before an HTTP answer, each with a one-line fix. */
export type NetworkKind = 'dns' | 'refused' | 'timeout' | 'tls' | 'reset' | 'http';

export interface NetworkFailure {
  kind: NetworkKind;
  message: string;
  hint: string;
  code?: string;
}

/**
 * Sorts an undici/Node error into a kind a person can act on. Unknown errors become `http`
 * with the original message, never a stack trace.
 */
export function classifyNetworkError(error: unknown, context: { url: string; timeoutMs: number; timedOut: boolean }): NetworkFailure {
  const codes = collectCodes(error);
  const host = safeHost(context.url);
  const has = (...wanted: string[]): string | undefined => codes.find((code) => wanted.includes(code));
  let code: string | undefined;
  if (context.timedOut || (code = has('UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT'))) {
    return { kind: 'timeout', code, message: `${host} did not answer within ${context.timeoutMs} ms`, hint: 'check that the server is up and reachable from here (firewall, VPN, HTTPS_PROXY), or raise --timeout' };
  }
  if ((code = has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME'))) {
    return { kind: 'dns', code, message: `cannot resolve ${host}`, hint: 'check the host name for typos and this machine\'s DNS; behind a corporate network set HTTPS_PROXY' };
  }
  if ((code = has('ECONNREFUSED'))) {
    return { kind: 'refused', code, message: `connection refused by ${host}`, hint: 'nothing is listening there: start the server, check the port, and inside Docker use host.docker.internal instead of localhost' };
  }
  if ((code = codes.find((c) => /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|EPROTO/.test(c)))) {
    return { kind: 'tls', code, message: `TLS handshake with ${host} failed (${code})`, hint: 'the certificate is invalid, expired or self-signed, or the URL uses https:// on a plain-HTTP port' };
  }
  if ((code = has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED'))) {
    return { kind: 'reset', code, message: `${host} closed the connection before answering`, hint: 'the server crashed or rejected the request mid-way: check its logs; a proxy may also be cutting the connection' };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/proxy/i.test(message)) {
    return { kind: 'http', code: codes[0], message: `the proxy failed the request to ${host}: ${message}`, hint: 'check HTTPS_PROXY / HTTP_PROXY, and add hosts that must be reached directly to NO_PROXY' };
  }
  return { kind: 'http', code: codes[0], message: `request to ${host} failed: ${message}`, hint: 'check the URL and that the server speaks HTTP' };
}

function collectCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) for (const inner of errors) codes.push(...collectCodes(inner));
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
