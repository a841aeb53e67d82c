import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { badInput } from '../errors.js';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Reads a body from a file, or from stdin when the path is `-`, keeping its bytes exactly. Takes
 * the context rather than its stdin: setting up process.stdin costs start-up time for nothing when
 * the body is a file.
 */
export async function readBody(flag: string, path: string, from: { readonly stdin: Readable }): Promise<string> {
  const bytes = path === '-' ? await readStream(from.stdin, flag) : readFileOrFail(flag, path);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badInput(flag, 'is not valid UTF-8 text', 'BlockATM bodies are UTF-8 JSON; check the file\'s encoding');
  }
}

function readFileOrFail(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot be read';
    throw badInput(flag, `${path}: ${why}`, 'give the path of a file holding the body, or - to read it from stdin');
  }
}

async function readStream(stream: Readable, flag: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw badInput(flag, 'stdin holds more than 16 MiB', 'pass a single webhook or request body');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
