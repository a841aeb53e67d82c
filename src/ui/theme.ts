import type { ChalkInstance } from 'chalk';

export type Verdict = 'pass' | 'fail' | 'warn' | 'skip';

export interface Theme {
  verdict(status: Verdict): string;
  dim(text: string): string;
  bold(text: string): string;
  error(text: string): string;
  warn(text: string): string;
  ok(text: string): string;
}

const plain = (text: string): string => text;

/**
 * Colours on a terminal only, and never with --no-color or NO_COLOR (https://no-color.org).
 * Without colours chalk is not needed at all, so callers only load it for a colour terminal.
 */
export function createTheme(chalk?: ChalkInstance | false): Theme {
  if (!chalk || chalk.level === 0) {
    const labels: Record<Verdict, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP' };
    return { verdict: (status) => labels[status], dim: plain, bold: plain, error: plain, warn: plain, ok: plain };
  }
  const labels: Record<Verdict, string> = {
    pass: chalk.green.bold('PASS'),
    fail: chalk.red.bold('FAIL'),
    warn: chalk.yellow.bold('WARN'),
    skip: chalk.gray.bold('SKIP'),
  };
  return {
    verdict: (status) => labels[status],
    dim: (text) => chalk.dim(text),
    bold: (text) => chalk.bold(text),
    error: (text) => chalk.red(text),
    warn: (text) => chalk.yellow(text),
    ok: (text) => chalk.green(text),
  };
}
