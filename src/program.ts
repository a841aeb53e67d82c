import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { AppContext } from './context.js';
import { createOutput, type GlobalOptions, type Output } from './ui/output.js';

/** What every command module exports: run with parsed input, return an exit code. */
export interface CommandInput<O = Record<string, unknown>> {
  args: string[];
  opts: O;
  globals: GlobalOptions;
}
export type CommandModule = { run(ctx: AppContext, out: Output, input: CommandInput<never>): Promise<number> };

type Loader = () => Promise<CommandModule>;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The commander tree. Command modules load only when their command runs, so `--help` stays
 * nearly as fast as bare node.
 */
export function buildProgram(ctx: AppContext, state: { exitCode: number }): Command {
  const program = new Command('cashier-check')
    .description('Test a BlockATM Cashier Desk integration: signed API calls, webhook verification, forgery probes, an offline emulator.')
    .version(version(), '--version', 'print the version')
    .option('--profile <name>', 'profile to use (env CASHIER_CHECK_PROFILE; default: the active profile)')
    .option('--json', 'print machine-readable JSON on stdout; everything for humans goes to stderr')
    .option('--no-color', 'no colours (also NO_COLOR)')
    .option('--verbose', 'show strings to sign, request and response details')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
    });

  const define = (name: string, description: string, load: Loader): Command =>
    program
      .command(name)
      .description(description)
      .action(async (...params: unknown[]) => {
        const command = params[params.length - 1] as Command;
        const globals = command.optsWithGlobals<GlobalOptions>();
        const out = createOutput(ctx, globals);
        const module = await load();
        const args = command.processedArgs as string[];
        state.exitCode = await module.run(ctx, out, { args, opts: command.opts() as never, globals });
      });

  define('sign', 'print the string to sign and the signature for a body or query', () => import('./commands/sign.js'))
    .option('--time <ms>', 'BlockATM-Request-Time in epoch milliseconds (default: now)')
    .option('--body <file>', 'JSON body to sign, from a file or - for stdin')
    .option('--query <string>', 'query string to sign (GET requests)')
    .option('--webhook', 'sign with the Webhook key, as BlockATM signs webhooks')
    .addOption(new Option('--recipe <recipe>', 'webhook recipe').choices(['sorted', 'raw']).default('sorted'));

  define('verify', 'check a webhook signature with the Webhook key and explain a mismatch', () => import('./commands/verify.js'))
    .option('--body <file>', 'the body exactly as received, from a file or - for stdin')
    .option('--request <file>', 'a whole captured request: a capture saved by listen, its id, or a raw HTTP dump')
    .option('--time <ms>', 'the BlockATM-Request-Time header (overrides the request\'s)')
    .option('--signature <sig>', 'the BlockATM-Signature-V2 header (overrides the request\'s)')
    .addOption(new Option('--recipe <recipe>', 'which recipe to accept').choices(['auto', 'sorted', 'raw']).default('auto'));

  define('replay', 'list, show and re-send the deliveries listen captured', () => import('./commands/replay.js'))
    .argument('[id]', 'capture to re-send (an id from --list; a unique prefix is enough)')
    .option('--list', 'list captured deliveries, newest first')
    .option('--show <id>', 'print one capture: headers and body')
    .option('--to <url>', 'where to re-send it (default: the profile\'s Webhook URL)')
    .option('--set <field=value>', 'edit a body field and re-sign (repeatable; field:=<json> for raw JSON)', (value: string, all: string[]) => [...all, value], [] as string[])
    .option('--resign', 're-sign with a fresh time and the Webhook key, even without edits')
    .addOption(new Option('--recipe <recipe>', 'recipe to re-sign with').choices(['sorted', 'raw']).default('sorted'))
    .option('--timeout <s>', 'seconds to wait for the endpoint', '10');

  return program;
}
