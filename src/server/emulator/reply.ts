import { ApiCode } from '../../core/api-rules.js';
import type { EmulatorReply } from './types.js';

/** A successful BlockATM envelope (`code` "200"). */
export function success(data?: unknown): EmulatorReply {
  return { kind: 'envelope', code: ApiCode.success, msg: 'success', data };
}

/** A BlockATM error envelope; BlockATM answers business errors with HTTP 200. */
export function failure(code: string, msg: string, httpStatus = 200, headers?: Record<string, string>): EmulatorReply {
  return { kind: 'envelope', code, msg, httpStatus, headers };
}

/** Plain JSON, for the emulator's own control API. */
export function json(status: number, body: unknown): EmulatorReply {
  return { kind: 'json', status, body };
}

/** A control-API error: which field is wrong and how to fix it. */
export function controlError(status: number, field: string | null, message: string): EmulatorReply {
  return { kind: 'json', status, body: { error: { field, message } } };
}

export function html(body: string, status = 200): EmulatorReply {
  return { kind: 'text', status, body, contentType: 'text/html; charset=utf-8' };
}
