import { readRequestBody, sendText, sendTooLarge, startServer } from './http-server.js';

export interface VulnerableReceiver {
  url: string;
  /** How many deliveries it took at face value. */
  accepted(): number;
  close(): Promise<void>;
}

/**
 * A webhook receiver with the most common integration bug: it parses the JSON and answers 200
 * without verifying the signature or the timestamp. `check --mock --vulnerable-receiver` grades
 * it, to show that the checks can and do fail.
 */
export async function startVulnerableReceiver(options: { host?: string; port?: number; path?: string } = {}): Promise<VulnerableReceiver> {
  const path = options.path ?? '/webhook';
  let accepted = 0;
  const server = await startServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    handler: async (req, res) => {
      if (req.method !== 'POST') return sendText(res, 405, 'method not allowed', { Allow: 'POST' });
      const body = await readRequestBody(req, 1024 * 1024);
      if (!body.ok) return body.reason === 'too-large' ? sendTooLarge(res) : undefined;
      try {
        JSON.parse(body.body.toString('utf8'));
      } catch {
        return sendText(res, 400, 'bad json');
      }
      accepted++;
      sendText(res, 200, 'success');
    },
  });
  return { url: `${server.origin}${path}`, accepted: () => accepted, close: () => server.close(500) };
}
