/** BlockATM's response envelope (D9), read leniently: code as text, `msg ?? message`. */
export interface Envelope {
  code: string;
  success: boolean | null;
  msg: string | null;
  data: unknown;
  trace: string | null;
}

/** Null when the body is not a JSON object carrying a `code`, i.e. not BlockATM's answer. */
export function readEnvelope(body: string): Envelope | null {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const object = value as Record<string, unknown>;
  if (typeof object.code !== 'string' && typeof object.code !== 'number') return null;
  const text = (field: unknown): string | null => (typeof field === 'string' ? field : null);
  return {
    code: String(object.code),
    success: typeof object.success === 'boolean' ? object.success : null,
    msg: text(object.msg) ?? text(object.message),
    data: object.data,
    trace: text(object.trace),
  };
}
