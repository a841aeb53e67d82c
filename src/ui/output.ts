import type { AppContext, TextSink } from '../context.js';
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
 * `chalk` colours the output; without it (or with --no-color) the text is plain. Lines for a
 * stream that is not a terminal are queued and written together once per turn of the event loop,
 * in order: a server under load then makes one system call per batch, not one per request.
 * `result` writes at once, after anything queued.
 */
export function createOutput(ctx: AppContext, options: GlobalOptions, chalk?: ChalkInstance): Output {
  const json = options.json === true;
  const theme = createTheme(wantsColour(ctx, options) ? chalk : undefined);
  const queue: { sink: TextSink; text: string }[] = [];
  const flush = (): void => {
    for (let i = 0; i < queue.length; ) {
      const sink = queue[i]!.sink;
      let text = '';
      for (; i < queue.length && queue[i]!.sink === sink; i++) text += queue[i]!.text;
      sink.write(text);
    }
    queue.length = 0;
  };
  const line = (sink: TextSink, text: string, terminal: boolean): void => {
    const whole = text.endsWith('\n') ? text : `${text}\n`;
    if (terminal) {
      flush();
      sink.write(whole);
      return;
    }
    if (queue.length === 0) setImmediate(flush);
    queue.push({ sink, text: whole });
  };
  const toStdout = (text: string): void => line(ctx.stdout, text, ctx.stdoutIsTTY);
  const toStderr = (text: string): void => line(ctx.stderr, text, ctx.stderrIsTTY);
  return {
    json,
    verbose: options.verbose === true,
    theme,
    result(data, human) {
      line(ctx.stdout, json ? JSON.stringify(data, null, 2) : human(theme), true);
    },
    event: (data, human) => toStdout(json ? JSON.stringify(data) : human(theme)),
    info: (text) => toStderr(text),
    warn: (text) => toStderr(`${theme.warn('warning:')} ${text}`),
    debug: (text) => {
      if (options.verbose) toStderr(theme.dim(text));
    },
  };
}
