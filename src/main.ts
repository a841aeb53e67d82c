import { CommanderError } from 'commander';
import { createDefaultContext, type AppContext } from './context.js';
import { CliError, ExitCode } from './errors.js';
import { buildProgram } from './program.js';

/** Runs the CLI and returns its exit code; bin/ is the only place that exits. */
export async function main(argv: string[], ctx: AppContext = createDefaultContext()): Promise<number> {
  const state = { exitCode: ExitCode.ok as number, json: argv.includes('--json') };
  const program = buildProgram(ctx, state);
  try {
    await program.parseAsync(argv);
    return state.exitCode;
  } catch (error) {
    // Lines a command queued for a pipe go out first, so the error is the last thing written.
    await new Promise((resolve) => setImmediate(resolve));
    return reportError(ctx, error, state.json);
  }
}

function reportError(ctx: AppContext, error: unknown, json: boolean): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
    // Commander has already printed its message to stderr; scripts reading --json get it too.
    if (json) ctx.stdout.write(`${JSON.stringify({ error: { message: error.message.replace(/^error: /, ''), hint: 'run with --help for usage', field: null, exitCode: ExitCode.usage } })}\n`);
    return ExitCode.usage;
  }
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
