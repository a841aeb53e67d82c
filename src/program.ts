import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { AppContext } from './context.js';
import type { GlobalOptions, Output } from './ui/output.js';

/** What every command module exports: run with parsed input, return an exit code. */
export interface CommandInput<O = Record<string, unknown>> {
  args: string[];
  opts: O;
  globals: GlobalOptions;
}
export type CommandModule = { run(ctx: AppContext, out: Output, input: CommandInput<never>): Promise<number> };

type Loader = () => Promise<CommandModule>;

// Inlined by the build, so a run never reads package.json; from source it is read.
declare const CASHIER_CHECK_VERSION: string | undefined;

function version(): string {
  if (typeof CASHIER_CHECK_VERSION === 'string') return CASHIER_CHECK_VERSION;
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The commander tree. Command modules load only when their command runs, so `--help` stays
 * nearly as fast as bare node.
 */
/** A command's help after its options: examples, then any notes and its exit codes, as printed. */
function helpAfter(examples: string[], lines: string[]): string {
  return ['', 'Examples:', ...examples.map((example) => `  ${example}`), '', ...lines].join('\n');
}

export function buildProgram(ctx: AppContext, state: { exitCode: number }): Command {
  const program = new Command('cashier-check')
    // A fixed width: help reads the same on any terminal or pipe, so the build can pre-render it.
    .configureHelp({ helpWidth: 80 })
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
    })
    .addHelpText('after', helpAfter([
      'cashier-check check --mock                      the zero set-up demo, against the built-in emulator',
      'cashier-check init                              set up a profile (keys asked with masked input)',
      'cashier-check send-test                         send signed requests to the BlockATM API',
      'cashier-check listen                            catch and verify webhooks on 127.0.0.1:4242/webhook',
      'cashier-check check --junit cashier-check.xml   grade the integration in CI',
    ], [
      'Exit codes: 0 ok, 1 a check failed, 2 bad flag or configuration, 3 timed out waiting, 130 interrupted.',
    ]));

  const define = (name: string, description: string, load: Loader, parent: Command = program): Command =>
    parent
      .command(name)
      .description(description)
      .action(async (...params: unknown[]) => {
        const command = params[params.length - 1] as Command;
        const globals = command.optsWithGlobals<GlobalOptions>();
        // Output (and chalk, on colour terminals only) loads with the command, never for --help.
        const [module, out] = await Promise.all([load(), import('./ui/output.js').then(({ loadOutput }) => loadOutput(ctx, globals))]);
        const args = command.processedArgs as string[];
        state.exitCode = await module.run(ctx, out, { args, opts: command.opts() as never, globals });
      });

  const collect = (value: string, previous: string[]): string[] => [...previous, value];

  define('init', 'set up a profile: environment, Cashier Desk ID, keys, Webhook URL (asks on a terminal)', () => import('./commands/init.js'))
    .option('--environment <env>', 'sandbox, production, or an API base URL (env CASHIER_CHECK_ENV / CASHIER_CHECK_BASE_URL)')
    .option('--cashier-id <id>', 'Cashier Desk ID (env CASHIER_CHECK_CASHIER_ID)')
    .option('--webhook-url <url>', 'your Webhook notification URL (env CASHIER_CHECK_WEBHOOK_URL)')
    .option('--signature-version <v>', 'v2 (default) or v1 (env CASHIER_CHECK_SIGNATURE_VERSION)')
    .option('--yes', 'never prompt: fail listing what is missing')
    .addHelpText('after', helpAfter([
      'cashier-check init                                  asks for each value on a terminal',
      'cashier-check init --profile shop-b                 a second desk in its own profile',
      'cashier-check init --yes --cashier-id 86100021 --webhook-url https://shop.example/webhook',
    ], [
      'Keys are asked for with masked input, or read from the environment, never from flags:',
      '  CASHIER_CHECK_API_KEY, CASHIER_CHECK_SECRET_KEY, CASHIER_CHECK_WEBHOOK_KEY',
      '  CASHIER_CHECK_V1_PRIVATE_KEY, CASHIER_CHECK_V1_PUBLIC_KEY (signature version v1)',
      'Exit codes: 0 saved, 2 bad flag or configuration (a value missing with --yes),',
      '130 interrupted (Ctrl-C; nothing is saved).',
    ]));

  const config = program.command('config').description('show, list, switch and delete profiles');
  const configCommand = (name: string) => () => import('./commands/config.js').then((module) => ({ run: module[name as 'show'] }) as CommandModule);
  define('show [profile]', 'the settings in force, secrets masked, with where each comes from', configCommand('show'), config);
  define('path', 'the profile file', configCommand('path'), config);
  define('list', 'stored profiles, the active one marked', configCommand('list'), config);
  define('use <profile>', 'make a profile the active one', configCommand('use'), config);
  define('delete <profile>', 'delete a profile (asks first; --yes without a terminal)', configCommand('remove'), config).option('--yes', 'do not ask');

  define('send-test', 'send signed requests to the BlockATM API and check each answer', () => import('./commands/send-test.js'))
    .option('--environment <env>', 'sandbox, production, or an API base URL such as the emulator\'s (env CASHIER_CHECK_ENV / CASHIER_CHECK_BASE_URL)')
    .option('--dry-run', 'print each request, its string to sign and a curl line; send nothing')
    .option('--timeout <s>', 'seconds to wait for each answer', '10')
    .option('--create-payout', 'also create a real payout (never on production)')
    .option('--to-address <address>', 'with --create-payout: the receiving test wallet')
    .option('--amount <amount>', 'with --create-payout: the amount', '0.01')
    .option('--chain-id <id>', 'with --create-payout: the chain', '11155111')
    .option('--symbol <symbol>', 'with --create-payout: the token', 'USDT')
    .option('--cust-no <id>', 'with --create-payout: your customer number', 'cashier-check')
    .addHelpText('after', helpAfter([
      'cashier-check send-test                                          against the profile\'s environment',
      'cashier-check send-test --environment http://127.0.0.1:4010      against "cashier-check mock"',
      'cashier-check send-test --dry-run                                show the requests and curl lines only',
    ], [
      'Exit codes: 0 every check passed (warnings allowed), 1 a check failed, 2 bad flag or configuration',
      '(a missing credential).',
    ]));

  define('listen', 'catch webhooks on a local URL, verify each one and answer like a correct endpoint', () => import('./commands/listen.js'))
    .option('--port <n>', 'port to listen on (0 picks a free one)', '4242')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--path <path>', 'path deliveries are expected on', '/webhook')
    .option('--count <n>', 'exit after n deliveries (0 if all verified, 1 if not)')
    .option('--timeout <s>', 'give up after s seconds (exit 3)')
    .option('--tolerance <ms>', 'accepted clock difference for BlockATM-Request-Time', '300000')
    .addOption(new Option('--recipe <recipe>', 'which webhook recipe to accept').choices(['auto', 'sorted', 'raw']).default('auto'))
    .option('--forward-to <url>', 'relay each delivery (exact bytes and BlockATM headers) to your app and answer with its status')
    .option('--no-capture', 'do not save deliveries under the config folder')
    .addHelpText('after', helpAfter([
      'cashier-check listen                                              on http://127.0.0.1:4242/webhook',
      'cashier-check listen --forward-to http://localhost:3000/webhook   verify, then relay to your app',
      'cashier-check listen --count 1 --timeout 120 --json               wait for one delivery in a script',
    ], [
      'BlockATM must reach the URL: expose it with a tunnel (ngrok http 4242, or cloudflared tunnel',
      '--url http://127.0.0.1:4242) and set the public URL as the Webhook URL in the dashboard.',
      'Exit codes: 0 all --count deliveries verified, 1 one did not (or your app did not answer 200),',
      '2 bad flag or configuration (port in use, no Webhook key), 3 --timeout passed first,',
      '130 interrupted (Ctrl-C).',
    ]));

  define('trigger', 'send a signed webhook exactly as BlockATM would and show how the endpoint answers', () => import('./commands/trigger.js'))
    .argument('[scenario]', 'payment.success, payment.pending, payment.expired, payment.cancelled, payout.success or payout.refused')
    .option('--to <url>', 'where to send it (default: the profile\'s Webhook URL)')
    .option('--set <field=value>', 'override a payload field, typed like the field it replaces; field:=<JSON> for a raw JSON value (repeatable)', collect, [])
    .option('--int-status', 'send the payment status as BlockATM\'s legacy integer code (9 = SUCCESS)')
    .addOption(new Option('--recipe <recipe>', 'webhook signature recipe').choices(['sorted', 'raw']).default('sorted'))
    .option('--timeout <s>', 'seconds to wait for the answer', '10')
    .option('--i-own-this-endpoint', 'allow sending to a non-local URL while the profile is on production')
    .addHelpText('after', helpAfter([
      'cashier-check trigger payment.success --to http://localhost:3000/webhook',
      'cashier-check trigger payment.success --set orderNo=SHOP-1 --set amount=49.90',
      'cashier-check trigger payment.success --set amount:=999 --int-status',
    ], [
      '--set field=value keeps the type of the field it replaces (a number field takes a number, kept as',
      'written; a new field is a string); field:=<JSON> sends any JSON value. The body is signed after.',
      'Exit codes: 0 the endpoint answered 200, 1 it did not (or no answer within --timeout), 2 bad flag or',
      'configuration, 130 interrupted (Ctrl-C).',
    ]));

  define('probe', 'attack a webhook endpoint with forgeries and check it refuses them', () => import('./commands/probe.js'))
    .option('--to <url>', 'the webhook endpoint to probe (default: the profile\'s Webhook URL)')
    .option('--strict', 'fail on warnings too (replay accepted, wrong content type, oversized body)')
    .addOption(new Option('--recipe <recipe>', 'signature recipe for the signed cases').choices(['sorted', 'raw']).default('sorted'))
    .option('--timeout <s>', 'seconds to wait for each answer', '10')
    .option('--i-own-this-endpoint', 'allow probing a non-local URL while the profile is on production')
    .addHelpText('after', helpAfter([
      'cashier-check probe --to http://localhost:3000/webhook',
      'cashier-check probe --strict --json > probe.json     in CI: warnings fail too',
    ], [
      'Cases: the genuine delivery (must get 200); genuine variants (WARN when refused with a 4xx):',
      'number-amount, retry; forgeries (must not get 2xx): missing-signature, wrong-signature, tampered-body,',
      'wrong-key, stale-timestamp, future-timestamp, seconds-timestamp, malformed-json; hygiene (WARN when',
      'accepted, FAIL on 5xx or a hang): replay, wrong-content-type, oversized-body.',
      'Exit codes: 0 no case failed (warnings too with --strict), 1 a case failed, 2 bad flag or configuration,',
      '130 interrupted (Ctrl-C).',
    ]));

  define('check', 'grade the eight documented integration steps: PASS, FAIL, WARN or SKIP, with evidence and a fix', () => import('./commands/check.js'))
    .option('--mock', 'run everything against the built-in emulator and a built-in correct receiver (no set-up)')
    .option('--vulnerable-receiver', 'with --mock: grade a receiver that skips verification, to see failures')
    .option('--junit <file>', 'also write a JUnit XML report (one test case per step) for CI')
    .option('--webhook-url <url>', 'the Webhook URL to grade (default: the profile\'s)')
    .option('--wait-real <public-url>', 'also wait for a real delivery from the dashboard\'s Test Cashier, reaching this machine through <public-url>')
    .option('--listen-port <n>', 'with --wait-real: local port the tunnel forwards to (default 4242)')
    .option('--wait-timeout <s>', 'with --wait-real: seconds to wait for the real delivery (default 300)')
    .option('--timeout <s>', 'seconds to wait for each answer from the endpoint', '10')
    .option('--i-own-this-endpoint', 'allow test deliveries to the Webhook URL while the profile is on production')
    .addHelpText('after', helpAfter([
      'cashier-check check --mock                        the zero set-up demo',
      'cashier-check check --junit cashier-check.xml     in CI, credentials from CASHIER_CHECK_* variables',
      'cashier-check check --wait-real https://abc.ngrok.app/webhook --listen-port 4242',
    ], [
      'Exit codes: 0 no step failed (WARN and SKIP do not fail), 1 a step failed, 2 bad flag or',
      'configuration, 3 --wait-real saw no delivery in time, 130 interrupted (Ctrl-C).',
    ]));

  define('mock', 'run a local BlockATM emulator: the V2 API with its rules, an order store, signed webhooks with retries', () => import('./commands/mock.js'))
    .option('--port <n>', 'port to listen on; 0 picks a free one', '4010')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--webhook-url <url>', 'where webhooks are delivered (env CASHIER_CHECK_WEBHOOK_URL; default: the profile\'s)')
    .addOption(new Option('--recipe <recipe>', 'webhook signature recipe').choices(['sorted', 'raw']).default('sorted'))
    .option('--int-status', 'send payment statuses as BlockATM\'s legacy integer codes (9 = SUCCESS)')
    .option('--retry-schedule <ms,...>', 'delays between delivery attempts in ms (default 60000,300000,1800000,7200000,86400000)')
    .option('--retry-speedup <factor>', 'divide every retry delay by this factor', '1')
    .option('--rate-limit <n>', 'requests per minute per API key before HTTP 429', '100')
    .option('--clock-offset <ms>', 'run the emulator\'s clock this many ms ahead (negative: behind)', '0')
    .option('--v1', 'V1 mode: ECDSA request signatures (BlockATM-Signature-V1) and ECDSA-signed webhooks')
    .option('--require-sign-all', 'also require signatures on cashier/info and the payorder queries')
    .option('--strict-v1-window', 'reject any BlockATM-Request-Time ahead of the clock (default allows 1 s)')
    .addHelpText('after', helpAfter([
      'cashier-check mock --webhook-url http://localhost:3000/webhook   webhooks go to your app',
      'cashier-check mock --port 0 --retry-speedup 60 --json            a free port, retries a minute apart',
    ], [
      'Exit codes: 2 bad flag or configuration (port in use), 130 interrupted (Ctrl-C, the usual way to stop it).',
    ]));

  define('sign-url', 'build and sign a widget (cashier) link with the secret key', () => import('./commands/sign-url.js'))
    .option('--cust-no <id>', 'custNo: the customer (required by V2 links)')
    .option('--order-no <id>', 'orderNo: the merchant order number')
    .option('--amount <decimal>', 'amount to pay, e.g. 100.50')
    .option('--currency <code>', 'token to pay with, e.g. USDT')
    .option('--symbol <code>', 'same as --currency')
    .option('--chain-id <id>', 'chainId, e.g. 1, 11155111, 42161, 0x2b6653dc')
    .option('--lang <tag>', 'widget language, e.g. en-US, zh-CN')
    .option('--redirect-url <url>', 'redirectURL: where the customer returns (txId and status appended)')
    .option('--base-url <url>', 'the cashier page to link to', 'http://127.0.0.1:4010/cashier')
    .addHelpText('after', helpAfter([
      'cashier-check sign-url --cust-no CUST_0001 --order-no SHOP-1 --amount 100.50 --currency USDT',
      'cashier-check sign-url --cust-no CUST_0001 --chain-id 11155111 --lang en-US --json',
    ], [
      'Exit codes: 0 the link was printed, 2 bad flag or configuration (no API key or secret key).',
    ]));

  define('sign', 'print the string to sign and the signature for a body or query', () => import('./commands/sign.js'))
    .option('--time <ms>', 'BlockATM-Request-Time in epoch milliseconds (default: now)')
    .option('--body <file>', 'JSON body to sign, from a file or - for stdin')
    .option('--query <string>', 'query string to sign (GET requests)')
    .option('--webhook', 'sign with the Webhook key, as BlockATM signs webhooks')
    .addOption(new Option('--recipe <recipe>', 'webhook recipe').choices(['sorted', 'raw']).default('sorted'))
    .addHelpText('after', helpAfter([
      'cashier-check sign --body order.json                               an API request body, signed now',
      'cashier-check sign --query "orderNo=SHOP-1" --time 1743060268000   a GET request\'s query',
      'cashier-check sign --webhook --body delivery.json --time 1743060268000',
    ], [
      'Exit codes: 0 signed, 2 bad flag or configuration (unreadable file, no secret key or Webhook key).',
    ]));

  define('verify', 'check a webhook signature with the Webhook key and explain a mismatch', () => import('./commands/verify.js'))
    .option('--body <file>', 'the body exactly as received, from a file or - for stdin')
    .option('--request <file>', 'a whole captured request: a capture id (replay --list), a file from replay --show <id> --json, or a raw HTTP dump')
    .option('--time <ms>', 'the BlockATM-Request-Time header (overrides the request\'s)')
    .option('--signature <sig>', 'the BlockATM-Signature-V2 header (overrides the request\'s)')
    .addOption(new Option('--recipe <recipe>', 'which recipe to accept').choices(['auto', 'sorted', 'raw']).default('auto'))
    .addHelpText('after', helpAfter([
      'cashier-check verify --body body.json --time 1743060268000 --signature <64 hex characters>',
      'cashier-check verify --request <capture id>          a delivery listen saved (see replay --list)',
      'cashier-check verify --request dump.http --recipe sorted',
    ], [
      'On a mismatch the signature doctor tries the usual mistakes (another key of the profile, a',
      're-serialised body, re-formatted numbers, the other recipe, URL-encoded values, seconds,',
      'no &time=, Base64, upper-case hex, a trailing newline) and shows both strings to sign.',
      'Exit codes: 0 valid, 1 not valid, 2 bad flag or configuration (unreadable file, no Webhook key).',
    ]));

  define('replay', 'list, show and re-send the deliveries listen captured', () => import('./commands/replay.js'))
    .argument('[id]', 'capture to re-send (an id from --list; a prefix picks the newest match)')
    .option('--list', 'list captured deliveries, newest first')
    .option('--show <id>', 'print one capture: headers and body')
    .option('--to <url>', 'where to re-send it (default: the profile\'s Webhook URL)')
    .option('--set <field=value>', 'edit a body field and re-sign (repeatable; field:=<json> for raw JSON)', (value: string, all: string[] | undefined) => [...(all ?? []), value])
    .option('--resign', 're-sign with a fresh time and the Webhook key, even without edits')
    .addOption(new Option('--recipe <recipe>', 'recipe to re-sign with').choices(['sorted', 'raw']).default('sorted'))
    .option('--timeout <s>', 'seconds to wait for the endpoint', '10')
    .option('--i-own-this-endpoint', 'allow re-sending to a non-local URL while the profile is on production')
    .addHelpText('after', helpAfter([
      'cashier-check replay --list',
      'cashier-check replay --show <id>',
      'cashier-check replay <id> --to http://localhost:3000/webhook',
      'cashier-check replay <id> --set amount=1.00 --to http://localhost:3000/webhook   edited and re-signed',
    ], [
      'Without --set or --resign the delivery is sent byte for byte as it arrived (old times are stale).',
      'Exit codes: 0 the endpoint answered 200, 1 it did not (refused, or no answer within --timeout),',
      '2 bad flag or configuration (an unknown id), 130 interrupted (Ctrl-C).',
    ]));

  return program;
}
