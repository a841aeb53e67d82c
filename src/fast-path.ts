import { writeSync } from 'node:fs';
import { createDefaultContext, type TextSink } from './context.js';
import type { GlobalOptions } from './ui/output.js';
import { reportError } from './report-error.js';

/** What a command line printed and the exit code it returned. */
export interface Printed {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The pre-rendered table as the build packs it: each distinct text once, lines point into it. */
export interface PackedHelp {
  texts: string[];
  lines: Record<string, [stdout: number, stderr: number, exitCode: number]>;
}

// Help and version output, rendered by the build from the real commander tree: a JSON string,
// which loads faster than the same table as code and is parsed only when a run looks it up.
declare const CASHIER_CHECK_HELP: string | undefined;
let helpTable: PackedHelp | undefined;

/** The key of a command line (the arguments after the program name) in the pre-rendered table. */
export const commandLineKey = (args: readonly string[]): string => args.join('\0');

/** What commander prints for a help or version command line, or undefined if it is not pre-rendered. */
export function prerendered(args: readonly string[]): Printed | undefined {
  if (typeof CASHIER_CHECK_HELP === 'undefined') return undefined;
  helpTable ??= JSON.parse(CASHIER_CHECK_HELP) as PackedHelp;
  const key = commandLineKey(args);
  if (!Object.hasOwn(helpTable.lines, key)) return undefined;
  const [stdout, stderr, exitCode] = helpTable.lines[key]!;
  return { stdout: helpTable.texts[stdout]!, stderr: helpTable.texts[stderr]!, exitCode };
}

export interface SignOptions {
  time?: string;
  body?: string;
  query?: string;
  webhook?: boolean;
  recipe: 'sorted' | 'raw';
}

const VALUE_OPTIONS = new Set(['--time', '--body', '--query', '--recipe', '--profile']);
const FLAGS = new Set(['--webhook', '--json', '--verbose', '--no-color']);

/**
 * The options of a plain `sign` command line, parsed as commander parses them; undefined for
 * anything else (help, a typo, a repeated or missing value, a value that looks like an option),
 * which then goes to commander for its exact behaviour and messages.
 */
export function parseSignLine(args: readonly string[]): { opts: SignOptions; globals: GlobalOptions & SignOptions } | undefined {
  if (args[0] !== 'sign') return undefined;
  const seen = new Map<string, string | true>();
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = equals > 2 ? arg.slice(0, equals) : arg;
    if (seen.has(name)) return undefined;
    if (FLAGS.has(name) && equals < 0) {
      seen.set(name, true);
      continue;
    }
    if (!VALUE_OPTIONS.has(name)) return undefined;
    const value = equals > 2 ? arg.slice(equals + 1) : args[++i];
    if (value === undefined || (value.startsWith('-') && value !== '-')) return undefined;
    seen.set(name, value);
  }
  const recipe = seen.get('--recipe') ?? 'sorted';
  if (recipe !== 'sorted' && recipe !== 'raw') return undefined;
  const opts: SignOptions = { recipe };
  for (const key of ['time', 'body', 'query'] as const) {
    const value = seen.get(`--${key}`);
    if (typeof value === 'string') opts[key] = value;
  }
  if (seen.has('--webhook')) opts.webhook = true;
  const globals: GlobalOptions = { color: !seen.has('--no-color') };
  const profile = seen.get('--profile');
  if (typeof profile === 'string') globals.profile = profile;
  if (seen.has('--json')) globals.json = true;
  if (seen.has('--verbose')) globals.verbose = true;
  return { opts, globals: { ...globals, ...opts } };
}

/**
 * Writes to a file descriptor directly, which spares setting up process.stdout's stream; if the
 * descriptor would block (or fails), that text and all later text go through the stream instead.
 */
function descriptorSink(fd: 1 | 2): TextSink {
  let stream: NodeJS.WriteStream | undefined;
  return {
    write(text: string): boolean {
      if (stream) return stream.write(text);
      const bytes = Buffer.from(text);
      let offset = 0;
      try {
        while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
      } catch {
        stream = fd === 1 ? process.stdout : process.stderr;
        stream.write(bytes.subarray(offset));
      }
      return true;
    },
  };
}

/**
 * Runs the command lines people type most (help, version, a plain `sign`) without commander or
 * the ES module loader; returns undefined for every other command line, which main() then runs.
 */
export function fastPath(argv: readonly string[]): Promise<number> | undefined {
  const args = argv.slice(2);
  const printed = prerendered(args);
  if (printed) {
    if (printed.stdout) descriptorSink(1).write(printed.stdout);
    if (printed.stderr) descriptorSink(2).write(printed.stderr);
    return Promise.resolve(printed.exitCode);
  }
  const sign = parseSignLine(args);
  return sign && runSign(argv, sign.opts, sign.globals);
}

async function runSign(argv: readonly string[], opts: SignOptions, globals: GlobalOptions): Promise<number> {
  const ctx = createDefaultContext({ stdout: descriptorSink(1), stderr: descriptorSink(2) });
  try {
    const [{ run }, out] = await Promise.all([import('./commands/sign.js'), import('./ui/output.js').then(({ loadOutput }) => loadOutput(ctx, globals))]);
    return await run(ctx, out, { args: [], opts, globals });
  } catch (error) {
    // As in main(): lines queued for a pipe go out first, so the error is the last thing written.
    await new Promise((resolve) => setImmediate(resolve));
    return reportError(ctx, error, argv.includes('--json'));
  }
}
