import type { DeliveryVerdict } from './delivery.js';

/**
 * A delivery `listen` caught, saved so it can be inspected, diagnosed and replayed. Headers are
 * kept as sent (minus credentials a proxy might add); the body is kept byte for byte.
 */
export interface CapturedDelivery {
  id: string;
  receivedAt: string;
  method: string;
  path: string;
  headers: Record<string, string[]>;
  /** The body as UTF-8 text when it decodes, else Base64 (see bodyEncoding). */
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  verdict: Pick<DeliveryVerdict, 'verified' | 'httpStatus' | 'reason' | 'recipe' | 'event' | 'status'>;
}

/** Headers never written to disk: they may carry credentials of the sender or a proxy. */
export const UNSAVED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'blockatm-api-key']);

export function captureHeaders(headers: Record<string, string[]>): Record<string, string[]> {
  const kept: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) if (!UNSAVED_HEADERS.has(name)) kept[name] = values;
  return kept;
}

// Reused: a non-streaming decode keeps no state between calls.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function captureBody(body: Buffer): { body: string; bodyEncoding: 'utf8' | 'base64' } {
  try {
    return { body: UTF8.decode(body), bodyEncoding: 'utf8' };
  } catch {
    return { body: body.toString('base64'), bodyEncoding: 'base64' };
  }
}

export function capturedBodyBytes(capture: Pick<CapturedDelivery, 'body' | 'bodyEncoding'>): Buffer {
  return Buffer.from(capture.body, capture.bodyEncoding === 'base64' ? 'base64' : 'utf8');
}
