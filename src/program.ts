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
    .option('--time <ms>', 'the BlockATM-Request-Time header')
    .option('--signature <sig>', 'the BlockATM-Signature-V2 header')
    .addOption(new Option('--recipe <recipe>', 'which recipe to accept').choices(['auto', 'sorted', 'raw']).default('auto'));

  define('send-test', 'send signed requests to the BlockATM API and check each answer', () => import('./commands/send-test.js'))
    .option('--env <name|url>', 'sandbox, production or an API base URL (overrides CASHIER_CHECK_ENV and the profile)')
    .option('--dry-run', 'print each request, its string to sign and a curl line; send nothing')
    .option('--timeout <s>', 'seconds to wait for each answer', '10')
    .option('--create-payout', 'also create a real payout (never on production)')
    .option('--to-address <address>', 'with --create-payout: the receiving test wallet')
    .option('--amount <amount>', 'with --create-payout: the amount', '0.01')
    .option('--chain-id <id>', 'with --create-payout: the chain', '11155111')
    .option('--symbol <symbol>', 'with --create-payout: the token', 'USDT')
    .option('--cust-no <id>', 'with --create-payout: your customer number', 'cashier-check');

  define('listen', 'catch webhooks on a local URL, verify each one and answer like a correct endpoint', () => import('./commands/listen.js'))
    .option('--port <n>', 'port to listen on (0 picks a free one)', '4242')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--path <path>', 'path deliveries are expected on', '/webhook')
    .option('--count <n>', 'exit after n deliveries (0 if all verified, 1 if not)')
    .option('--timeout <s>', 'give up after s seconds (exit 3)')
    .option('--tolerance <ms>', 'accepted clock difference for BlockATM-Request-Time', '300000')
    .addOption(new Option('--recipe <recipe>', 'which webhook recipe to accept').choices(['auto', 'sorted', 'raw']).default('auto'))
    .option('--forward-to <url>', 'relay each delivery (exact bytes and BlockATM headers) to your app and answer with its status')
    .option('--no-capture', 'do not save deliveries under the config folder');

  return program;
}
