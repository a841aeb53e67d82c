/** The exit codes scripts rely on (PRODUCT.md). */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  timeout: 3,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface CliErrorOptions {
  exitCode?: ExitCodeValue;
  hint?: string;
  /** The input field the error is about, e.g. `--time` or `secretKey`. */
  field?: string;
  cause?: unknown;
}

/**
 * An error meant for the user: a one-line message, a fix, and the exit code it maps to.
 * Anything that is not a CliError reaching main() is a bug and is reported as one.
 */
export class CliError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  readonly field: string | undefined;

  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.hint = options.hint;
    this.field = options.field;
  }
}

/** A usage or configuration problem with one input: exit 2, naming the field and the fix. */
export function badInput(field: string, problem: string, hint?: string): CliError {
  return new CliError(`${field}: ${problem}`, { field, hint, exitCode: ExitCode.usage });
}

/** Unwraps a validator's result, or fails naming the field (exit 2). */
export function orBadInput<T>(field: string, result: { ok: true; value: T } | { ok: false; error: string }, hint?: string): T {
  if (result.ok) return result.value;
  throw badInput(field, result.error, hint);
}
