import type { AppContext } from './context.js';
import { CliError, ExitCode } from './errors.js';

/**
 * Prints a failed run's error (one line and a hint, plus JSON for --json readers) and returns its
 * exit code. Anything that is not a CliError is a bug and is reported as one.
 */
export function reportError(ctx: AppContext, error: unknown, json: boolean): number {
  if (error instanceof CliError) {
    ctx.stderr.write(`error: ${error.message}\n`);
    if (error.hint) ctx.stderr.write(`hint: ${error.hint}\n`);
    if (json) ctx.stdout.write(`${JSON.stringify({ error: { message: error.message, hint: error.hint ?? null, field: error.field ?? null, exitCode: error.exitCode } })}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  ctx.stderr.write(`internal error: ${message}\n`);
  if (ctx.env.CASHIER_CHECK_DEBUG && error instanceof Error && error.stack) ctx.stderr.write(`${error.stack}\n`);
  else ctx.stderr.write('hint: this is a bug in cashier-check; rerun with CASHIER_CHECK_DEBUG=1 for details and report it\n');
  return ExitCode.failed;
}
