import type { AppContext } from '../context.js';
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

export function createOutput(ctx: AppContext, options: GlobalOptions): Output {
  const json = options.json === true;
  const colour = options.color !== false && !ctx.env.NO_COLOR && ctx.env.TERM !== 'dumb';
  const theme = createTheme(colour && ctx.stdoutIsTTY && ctx.stderrIsTTY);
  const line = (sink: { write(text: string): unknown }, text: string): void => {
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
      line(ctx.stdout, json ? JSON.stringify(data) : human(theme));
    },
    info: (text) => line(ctx.stderr, text),
    warn: (text) => line(ctx.stderr, `${theme.warn('warning:')} ${text}`),
    debug: (text) => {
      if (options.verbose) line(ctx.stderr, theme.dim(text));
    },
  };
}
