/** A request core logic wants sent; the HTTP client in http/ does the sending. */
export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs?: number;
  /** Keep at most this much of the answer. */
  maxBodyBytes?: number;
}

export interface SendFailure {
  kind: string;
  message: string;
  hint: string;
}

export type SendOutcome =
  | { ok: true; response: { status: number; body: string; latencyMs: number } }
  | { ok: false; failure: SendFailure; latencyMs: number };

/** Handed to core by commands (the undici client) and tests, so core never opens a socket. */
export type Send = (request: OutgoingRequest) => Promise<SendOutcome>;

/** A response body cut to a readable excerpt. */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
