import { Chalk, type ChalkInstance } from 'chalk';

export type Verdict = 'pass' | 'fail' | 'warn' | 'skip';

export interface Theme {
  chalk: ChalkInstance;
  verdict(status: Verdict): string;
  dim(text: string): string;
  bold(text: string): string;
  error(text: string): string;
  warn(text: string): string;
  ok(text: string): string;
}

/** Colours on a terminal only, and never with --no-color or NO_COLOR (https://no-color.org). */
export function createTheme(enabled: boolean): Theme {
  const chalk = new Chalk({ level: enabled ? 1 : 0 });
  const labels: Record<Verdict, string> = {
    pass: chalk.green.bold('PASS'),
    fail: chalk.red.bold('FAIL'),
    warn: chalk.yellow.bold('WARN'),
    skip: chalk.gray.bold('SKIP'),
  };
  return {
    chalk,
    verdict: (status) => labels[status],
    dim: (text) => chalk.dim(text),
    bold: (text) => chalk.bold(text),
    error: (text) => chalk.red(text),
    warn: (text) => chalk.yellow(text),
    ok: (text) => chalk.green(text),
  };
}
