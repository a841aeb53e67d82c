import { createHmac } from 'node:crypto';
import { connect } from 'node:net';

/**
 * Signs webhooks independently of src/core (plain node:crypto), so tests check the product
 * against a second implementation of D3/D4 rather than against itself.
 */
export function sortedStringToSign(payload: Record<string, string | number>, time: string): string {
  const parts = Object.keys(payload).sort().map((key) => `${key}=${payload[key]}`);
  return `${parts.join('&')}&time=${time}`;
}

export function hmac(key: string, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}

export interface TestDelivery {
  body: string;
  headers: Record<string, string>;
}

/** A delivery signed like BlockATM: compact JSON, sorted (default) or raw recipe. */
export function signedDelivery(payload: Record<string, string | number>, options: { key: string; timeMs: number | string; recipe?: 'sorted' | 'raw'; event?: string }): TestDelivery {
  const time = String(options.timeMs);
  const body = JSON.stringify(payload);
  const message = options.recipe === 'raw' ? `${body}&time=${time}` : sortedStringToSign(payload, time);
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      'BlockATM-Signature-V2': hmac(options.key, message),
      'BlockATM-Request-Time': time,
      'BlockATM-Event': options.event ?? 'Payment',
    },
  };
}

export function payment(orderNo: string, status = 'SUCCESS'): Record<string, string | number> {
  return { id: 8210003616, orderNo, custNo: 'CUST_1', cashierId: 86100021, chainId: '1', network: 'Ethereum', symbol: 'USDT', amount: '2000.00', status, txId: '0xabc' };
}

export async function post(url: string, body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { method: 'POST', body, headers });
  return { status: response.status, body: await response.text() };
}

/** Sends raw bytes over TCP (duplicate headers, broken encodings) and returns the raw answer. */
export function rawHttp(url: string, request: Buffer | string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer in 10 s')));
    socket.write(request);
  });
}

/** A raw HTTP/1.1 POST with headers given as [name, value] pairs (repeats allowed). */
export function rawPost(path: string, headers: [string, string][], body: Buffer): Buffer {
  const head = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', `Content-Length: ${body.length}`, ...headers.map(([n, v]) => `${n}: ${v}`)].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`), body]);
}
