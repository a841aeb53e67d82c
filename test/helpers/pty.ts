import { spawn as spawnPty, type IPty } from 'node-pty';
import { BIN } from './cli.js';

export interface PtySession {
  /** Everything the terminal showed so far, ANSI escapes removed. */
  screen(): string;
  /** Resolves once the terminal has shown `text` after the point of the previous wait. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  type(keys: string): void;
  exited: Promise<{ exitCode: number; output: string }>;
  kill(): void;
}

export const KEY = { enter: '\r', down: '\x1b[B', up: '\x1b[A', ctrlC: '\x03', backspace: '\x7f' } as const;

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\x1b\][^\x07]*\x07/g;

/**
 * Runs the built binary on a pseudo-terminal, so it sees a real TTY and draws real prompts.
 * With `stdoutFile`, stdout goes to that file instead, to show what a pipe would receive.
 */
export function startPty(args: string[], env: NodeJS.ProcessEnv, options: { stdoutFile?: string } = {}): PtySession {
  const [file, argv] = options.stdoutFile
    ? ['/bin/sh', ['-c', 'out="$1"; shift; exec "$@" > "$out"', 'sh', options.stdoutFile, process.execPath, BIN, ...args]]
    : [process.execPath, [BIN, ...args]];
  const pty: IPty = spawnPty(file, argv, { name: 'xterm', cols: 200, rows: 50, env: env as Record<string, string> });
  let raw = '';
  let consumed = 0;
  const listeners = new Set<() => void>();
  pty.onData((data) => {
    raw += data;
    for (const listener of [...listeners]) listener();
  });
  const screen = (): string => raw.replace(ANSI, '');
  const exited = new Promise<{ exitCode: number; output: string }>((resolve) => {
    pty.onExit(({ exitCode }) => {
      for (const listener of [...listeners]) listener();
      resolve({ exitCode, output: screen() });
    });
  });
  let done = false;
  void exited.then(() => (done = true));
  return {
    screen,
    type: (keys) => pty.write(keys),
    exited,
    kill: () => pty.kill(),
    waitFor(text, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const shown = screen();
          const at = shown.indexOf(text, consumed);
          if (at !== -1) {
            consumed = at + text.length;
            finish();
            resolve();
          } else if (done) {
            finish();
            reject(new Error(`the program exited before showing ${JSON.stringify(text)}\n${shown}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`${JSON.stringify(text)} did not appear within ${timeoutMs} ms\n${screen()}`));
        }, timeoutMs);
        const finish = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}
