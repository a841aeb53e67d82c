import { readFile } from 'node:fs/promises';
import { capturesDir, listCaptures } from '../config/capture-store.js';
import { parseCaptureJson, parseRequestFile, type CapturedRequest } from '../core/captured-request.js';
import { badInput } from '../errors.js';

const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/**
 * Reads `--request`: a file holding a capture or a raw HTTP dump, or else the id of a delivery
 * `listen` captured (as `replay --list` shows it).
 */
export async function readRequest(flag: string, pathOrId: string, env: Record<string, string | undefined>): Promise<CapturedRequest> {
  let bytes: Buffer;
  try {
    bytes = await readFile(pathOrId);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fromCaptureStore(flag, pathOrId, env);
    const why = code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot be read';
    throw badInput(flag, `${pathOrId}: ${why}`, 'give a capture file, a raw HTTP request file, or a capture id from "cashier-check replay --list"');
  }
  if (bytes.length > MAX_REQUEST_BYTES) throw badInput(flag, `${pathOrId} is larger than 16 MiB`, 'give a single captured webhook request');
  const parsed = parseRequestFile(bytes);
  if (!parsed.ok) throw badInput(flag, `${pathOrId} ${parsed.error}`, 'save the request with "cashier-check listen", or as METHOD /path HTTP/1.1, headers, a blank line, then the body');
  return parsed.value;
}

function fromCaptureStore(flag: string, id: string, env: Record<string, string | undefined>): CapturedRequest {
  const found = /^[\w.-]{4,}$/.test(id) ? listCaptures(capturesDir(env)).find((capture) => capture.id === id || capture.id.startsWith(id)) : undefined;
  if (!found) throw badInput(flag, `${id}: no such file, and no captured delivery with that id`, 'give a request file, or an id from "cashier-check replay --list"');
  const parsed = parseCaptureJson(JSON.stringify(found));
  if (!parsed.ok) throw badInput(flag, `capture ${found.id} ${parsed.error}`);
  return parsed.value;
}
