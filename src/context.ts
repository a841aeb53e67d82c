import type { Readable } from 'node:stream';

export interface TextSink {
  write(text: string): unknown;
}

export interface Clock {
  now(): number;
}

/**
 * Everything a command may touch in the outside world, handed in so tests can swap it.
 * Heavy pieces (profile store, HTTP, prompts) are created by the commands that need them.
 */
export interface AppContext {
  env: Record<string, string | undefined>;
  stdout: TextSink;
  stderr: TextSink;
  stdin: Readable;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  clock: Clock;
  /** Aborted on Ctrl-C (SIGINT) or SIGTERM; asking for it is what makes a command interruptible. */
  interruptSignal(): AbortSignal;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The real process; `sinks` replaces stdout and stderr (the fast path writes to the descriptors). */
export function createDefaultContext(sinks?: { stdout: TextSink; stderr: TextSink }): AppContext {
  let controller: AbortController | undefined;
  return {
    env: process.env,
    stdout: sinks?.stdout ?? process.stdout,
    stderr: sinks?.stderr ?? process.stderr,
    // Getters: touching process.stdin sets up a stream, which costs start-up time for nothing.
    get stdin() {
      return process.stdin;
    },
    get stdinIsTTY() {
      return process.stdin.isTTY === true;
    },
    // Asked only when needed: the fast path writes to the descriptors and never sets the streams up.
    get stdoutIsTTY() {
      return process.stdout.isTTY === true;
    },
    get stderrIsTTY() {
      return process.stderr.isTTY === true;
    },
    clock: systemClock,
    interruptSignal() {
      if (!controller) {
        const created = new AbortController();
        const abort = (): void => created.abort();
        process.once('SIGINT', abort);
        process.once('SIGTERM', abort);
        controller = created;
      }
      return controller.signal;
    },
  };
}
