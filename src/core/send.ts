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
  | { ok: true; response: { status: number; body: string; latencyMs: number; headers?: Record<string, string> } }
  | { ok: false; failure: SendFailure; latencyMs: number };

/** Handed to core by commands (the undici client) and tests, so core never opens a socket. */
export type Send = (request: OutgoingRequest) => Promise<SendOutcome>;

/** A response body cut to a readable excerpt. */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * Why a 3xx answer fails a webhook URL: BlockATM posts to the URL as entered and does not follow
 * redirects (an http→https or trailing-slash redirect is the usual cause). Undefined for non-3xx.
 */
export function redirectProblem(response: { status: number; headers?: Record<string, string> }): { detail: string; hint: string } | undefined {
  if (response.status < 300 || response.status > 399) return undefined;
  const location = response.headers?.location;
  return {
    detail: `redirects (HTTP ${response.status}${location ? ` to ${excerpt(location, 120)}` : ''}); webhook deliveries are not followed through redirects`,
    hint: location ? `enter the final address as the Webhook URL (${excerpt(location, 120)}), not one that redirects` : 'enter the final address as the Webhook URL, not one that redirects',
  };
}
