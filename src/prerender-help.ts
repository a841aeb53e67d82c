import type { Command } from 'commander';
import type { AppContext } from './context.js';
import { commandLineKey, type PackedHelp, type Printed } from './fast-path.js';
import { main } from './main.js';
import { buildProgram } from './program.js';

/**
 * Every help and version command line the fast path answers without commander: bare, --help,
 * -h, help and --version for the program, and --help, -h and `help <name>` for every command
 * and subcommand (bare too for a command that only groups subcommands).
 */
export function helpCommandLines(): string[][] {
  const program = buildProgram(captureContext().ctx, { exitCode: 0 });
  const lines: string[][] = [[], ['--help'], ['-h'], ['help'], ['--version']];
  const walk = (command: Command, path: string[]): void => {
    for (const sub of command.commands) {
      const at = [...path, sub.name()];
      lines.push([...at, '--help'], [...at, '-h'], [...path, 'help', sub.name()]);
      if (sub.commands.length > 0) {
        lines.push(at, [...at, 'help']);
        walk(sub, at);
      }
    }
  };
  walk(program, []);
  return lines;
}

/** What main() prints for one command line, captured. */
export async function printedBy(args: string[]): Promise<Printed> {
  const { ctx, stdout, stderr } = captureContext();
  const exitCode = await main(['node', 'cashier-check', ...args], ctx);
  return { stdout: stdout.join(''), stderr: stderr.join(''), exitCode };
}

/** The pre-rendered table the build bakes into the fast path, each distinct text stored once. */
export async function renderHelpTable(): Promise<PackedHelp> {
  const packed: PackedHelp = { texts: [], lines: {} };
  const index = new Map<string, number>();
  const textIndex = (text: string): number => {
    if (!index.has(text)) index.set(text, packed.texts.push(text) - 1);
    return index.get(text)!;
  };
  for (const args of helpCommandLines()) {
    const { stdout, stderr, exitCode } = await printedBy(args);
    packed.lines[commandLineKey(args)] = [textIndex(stdout), textIndex(stderr), exitCode];
  }
  return packed;
}

function captureContext(): { ctx: AppContext; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const ctx: AppContext = {
    env: {},
    stdout: { write: (text: string) => stdout.push(text) },
    stderr: { write: (text: string) => stderr.push(text) },
    get stdin(): never {
      throw new Error('help does not read stdin');
    },
    stdinIsTTY: false,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    clock: { now: () => 0 },
    interruptSignal: () => new AbortController().signal,
  };
  return { ctx, stdout, stderr };
}
