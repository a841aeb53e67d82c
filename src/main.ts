import { CommanderError } from 'commander';
import { createDefaultContext, type AppContext } from './context.js';
import { ExitCode } from './errors.js';
import { buildProgram } from './program.js';
import { reportError } from './report-error.js';

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
    return reportRunError(ctx, error, state.json);
  }
}

function reportRunError(ctx: AppContext, error: unknown, json: boolean): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
    // Commander has already printed its message to stderr; scripts reading --json get it too.
    if (json) ctx.stdout.write(`${JSON.stringify({ error: { message: error.message.replace(/^error: /, ''), hint: 'run with --help for usage', field: null, exitCode: ExitCode.usage } })}\n`);
    return ExitCode.usage;
  }
  return reportError(ctx, error, json);
}
