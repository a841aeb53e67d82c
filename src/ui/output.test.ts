import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AppContext } from '../context.js';
import { createOutput } from './output.js';

function context(stdoutIsTTY: boolean): { ctx: AppContext; writes: { stream: string; text: string }[] } {
  const writes: { stream: string; text: string }[] = [];
  const ctx: AppContext = {
    env: {},
    stdout: { write: (text: string) => writes.push({ stream: 'stdout', text }) },
    stderr: { write: (text: string) => writes.push({ stream: 'stderr', text }) },
    stdin: new PassThrough(),
    stdinIsTTY: false,
    stdoutIsTTY,
    stderrIsTTY: stdoutIsTTY,
    clock: { now: () => 0 },
    interruptSignal: () => new AbortController().signal,
  };
  return { ctx, writes };
}

describe('createOutput', () => {
  it('writes the events of one turn in one write when stdout is a pipe', async () => {
    const { ctx, writes } = context(false);
    const out = createOutput(ctx, { json: true });
    out.event({ n: 1 }, () => '');
    out.event({ n: 2 }, () => '');
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([{ stream: 'stdout', text: '{"n":1}\n{"n":2}\n' }]);
  });

  it('keeps the order of everything queued, and writes a result after it at once', () => {
    const { ctx, writes } = context(false);
    const out = createOutput(ctx, { json: true });
    out.event({ n: 1 }, () => '');
    out.info('note');
    out.warn('careful');
    out.event({ n: 2 }, () => '');
    out.result({ done: true }, () => '');
    expect(writes.map((w) => `${w.stream}:${w.text.trim()}`)).toEqual(['stdout:{"n":1}', 'stderr:note\nwarning: careful', 'stdout:{"n":2}', 'stdout:{\n  "done": true\n}']);
  });

  it('writes each event at once on a terminal', () => {
    const { ctx, writes } = context(true);
    const out = createOutput(ctx, {});
    out.event({}, () => 'one');
    expect(writes).toEqual([{ stream: 'stdout', text: 'one\n' }]);
  });
});
