import type { AppContext } from '../context.js';
import type { ChalkInstance } from 'chalk';
import { createTheme, type Theme } from './theme.js';

export interface GlobalOptions {
  profile?: string;
  json?: boolean;
  color?: boolean;
  verbose?: boolean;
}

/**
 * Where text goes: results on stdout (JSON only, with --json), everything for humans on stderr.
 */
export interface Output {
  readonly json: boolean;
  readonly verbose: boolean;
  readonly theme: Theme;
  /** The command's result: JSON with --json, else the human rendering on stdout. */
  result(data: unknown, human: (theme: Theme) => string): void;
  /** One NDJSON object (with --json), else a human line on stdout: for event streams. */
  event(data: unknown, human: (theme: Theme) => string): void;
  /** Progress and notes for people: stderr. */
  info(text: string): void;
  warn(text: string): void;
  /** Only with --verbose: stderr. */
  debug(text: string): void;
}

/** Colours only on a terminal, and never with --no-color, NO_COLOR or TERM=dumb. */
export function wantsColour(ctx: AppContext, options: GlobalOptions): boolean {
  return options.color !== false && !ctx.env.NO_COLOR && ctx.env.TERM !== 'dumb' && ctx.stdoutIsTTY && ctx.stderrIsTTY;
}

/** The Output for a command run: chalk is loaded only when colours will be shown. */
export async function loadOutput(ctx: AppContext, options: GlobalOptions): Promise<Output> {
  if (!wantsColour(ctx, options)) return createOutput(ctx, options);
  const { Chalk } = await import('chalk');
  return createOutput(ctx, options, new Chalk({ level: 1 }));
}

/**
 * `chalk` colours the output; without it (or with --no-color) the text is plain. When stdout is
 * not a terminal, events in one turn of the event loop go out in one write: a listener under load
 * then makes one system call per batch, not per delivery. Anything else written flushes them first.
 */
export function createOutput(ctx: AppContext, options: GlobalOptions, chalk?: ChalkInstance): Output {
  const json = options.json === true;
  const theme = createTheme(wantsColour(ctx, options) ? chalk : undefined);
  let pending = '';
  const flush = (): void => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    ctx.stdout.write(text);
  };
  const line = (sink: { write(text: string): unknown }, text: string): void => {
    flush();
    sink.write(text.endsWith('\n') ? text : `${text}\n`);
  };
  return {
    json,
    verbose: options.verbose === true,
    theme,
    result(data, human) {
      line(ctx.stdout, json ? JSON.stringify(data, null, 2) : human(theme));
    },
    event(data, human) {
      const text = json ? JSON.stringify(data) : human(theme);
      if (ctx.stdoutIsTTY) return line(ctx.stdout, text);
      if (pending === '') setImmediate(flush);
      pending += text.endsWith('\n') ? text : `${text}\n`;
    },
    info: (text) => line(ctx.stderr, text),
    warn: (text) => line(ctx.stderr, `${theme.warn('warning:')} ${text}`),
    debug: (text) => {
      if (options.verbose) line(ctx.stderr, theme.dim(text));
    },
  };
}
