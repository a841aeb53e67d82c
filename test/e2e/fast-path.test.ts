import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { spawn as spawnPty } from 'node-pty';
import { describe, expect, it } from 'vitest';
import type { fastPath as FastPath, parseSignLine as ParseSignLine, prerendered as Prerendered } from '../../src/fast-path.js';
import { helpCommandLines, printedBy } from '../../src/prerender-help.js';
import { buildProgram } from '../../src/program.js';
import { BIN, cleanEnv, runCli, tempConfigDir } from '../helpers/cli.js';

// The built fast path, as bin/ loads it: its help table is the one the build baked in.
const built = createRequire(import.meta.url)('../../dist/fast.cjs') as { prerendered: typeof Prerendered; parseSignLine: typeof ParseSignLine; fastPath: typeof FastPath };

/** The options commander parses for a `sign` command line (its action replaced by a recorder). */
async function commanderSignOptions(args: string[]): Promise<unknown> {
  const sink = { write: () => true };
  const program = buildProgram({ env: {}, stdout: sink, stderr: sink, stdin: process.stdin, stdinIsTTY: false, stdoutIsTTY: false, stderrIsTTY: false, clock: { now: () => 0 }, interruptSignal: () => new AbortController().signal }, { exitCode: 0 });
  let parsed: unknown;
  program.commands.find((command) => command.name() === 'sign')!.action((_opts: unknown, command: Command) => {
    parsed = { opts: command.opts(), globals: command.optsWithGlobals() };
  });
  await program.parseAsync(['node', 'cashier-check', ...args]);
  return parsed;
}

/** For each command line, the fast path answers, and exactly as commander does. */
async function expectSameAsCommander(lines: readonly string[][], fast: (args: string[]) => unknown, commander: (args: string[]) => Promise<unknown>): Promise<void> {
  for (const args of lines) {
    const answer = fast(args);
    expect(answer, args.join(' ')).toBeDefined();
    expect(answer, args.join(' ')).toEqual(await commander(args));
  }
}

describe('the pre-rendered help', () => {
  const lines = helpCommandLines();

  it('covers the program, every command and every config subcommand', () => {
    const keys = new Set(lines.map((line) => line.join(' ')));
    for (const name of ['sign', 'verify', 'replay', 'sign-url', 'init', 'config', 'trigger', 'probe', 'check', 'mock', 'send-test', 'listen']) {
      for (const line of [`${name} --help`, `${name} -h`, `help ${name}`]) expect(keys).toContain(line);
    }
    for (const name of ['show', 'path', 'list', 'use', 'delete']) {
      for (const line of [`config ${name} --help`, `config ${name} -h`, `config help ${name}`]) expect(keys).toContain(line);
    }
    for (const line of ['', '--help', '-h', 'help', '--version', 'config', 'config help']) expect(keys).toContain(line);
  });

  it('is exactly what commander prints, for every one of those command lines', async () => {
    await expectSameAsCommander(lines, built.prerendered, printedBy);
  });

  it('is printed by the binary byte for byte, with commander\'s exit code', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      for (const args of [['--help'], [], ['help', 'config'], ['config', 'delete', '--help'], ['--version']]) {
        const run = await runCli(args, { env: cleanEnv(dir) });
        const expected = await printedBy(args);
        expect({ stdout: run.stdout, stderr: run.stderr, exitCode: run.code }, args.join(' ')).toEqual(expected);
      }
    } finally {
      cleanup();
    }
  });

  it('leaves other command lines to commander', () => {
    for (const args of [['help', 'nope'], ['--help', '--json'], ['-V'], ['sign', '--help', 'extra'], ['nope']]) expect(built.prerendered(args), args.join(' ')).toBeUndefined();
  });
});

describe('the lean sign path', () => {
  const accepted = [
    ['sign'],
    ['sign', '--webhook', '--time', '1743060268000', '--body', 'body.json', '--json'],
    ['sign', '--body', '-', '--recipe', 'raw', '--webhook', '--no-color', '--verbose'],
    ['sign', '--query', 'a=1&b=2', '--profile', 'shop', '--time=1743060268000'],
    ['sign', '--body=', '--recipe=sorted', '--profile=x'],
    ['sign', '--query', ''],
  ];

  it('parses a plain sign command line exactly as commander does', async () => {
    await expectSameAsCommander(accepted, built.parseSignLine, commanderSignOptions);
  });

  it('hands anything unusual to commander, whose messages and exit codes are unchanged', async () => {
    const unusual = [
      ['sign', '--recipe', 'bogus'],
      ['sign', '--tim', '5'],
      ['sign', '--body'],
      ['sign', '--body', '--json'],
      ['sign', 'extra'],
      ['sign', '--webhook=yes'],
      ['sign', '--version'],
      ['sign', '-h'],
      ['--json', 'sign', '--recipe', 'bogus'],
      ['sign', '--', '--webhook'],
    ];
    const { dir, cleanup } = tempConfigDir();
    try {
      for (const args of unusual) {
        expect(built.parseSignLine(args), args.join(' ')).toBeUndefined();
        const run = await runCli(args, { env: cleanEnv(dir) });
        const expected = await printedBy(args);
        expect({ stdout: run.stdout, stderr: run.stderr, exitCode: run.code }, args.join(' ')).toEqual(expected);
      }
      // A repeated option is commander's too: the last one wins.
      const repeated = ['sign', '--time', '1', '--time', '1743060268000', '--query', 'a=1'];
      expect(built.parseSignLine(repeated)).toBeUndefined();
      const run = await runCli(repeated, { env: cleanEnv(dir, { CASHIER_CHECK_SECRET_KEY: 'lean-path-secret-0123456789' }) });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('a=1&time=1743060268000');
    } finally {
      cleanup();
    }
  });

  it('prints what the commander path prints, for results and for errors', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const body = join(dir, 'body.json');
      writeFileSync(body, '{"amount":"2000.00","orderNo":"ORDER_1","status":"SUCCESS"}');
      const env = cleanEnv(dir, { CASHIER_CHECK_WEBHOOK_KEY: 'lean-path-webhook-0123456789' });
      const cases = [
        ['--webhook', '--time', '1743060268000', '--body', body, '--json'],
        ['--webhook', '--time', '1743060268', '--body', body, '--recipe', 'raw'],
        ['--time', '1743060268000', '--query', 'a=1', '--json'],
        ['--webhook', '--body', join(dir, 'missing.json'), '--json'],
        ['--webhook', '--query', 'a=1'],
      ];
      for (const flags of cases) {
        expect(built.parseSignLine(['sign', ...flags])).toBeDefined();
        const lean = await runCli(['sign', ...flags], { env });
        // A global option before the command name takes the commander path.
        const viaCommander = await runCli(['--no-color', 'sign', ...flags], { env });
        expect(lean, flags.join(' ')).toEqual(viaCommander);
      }
    } finally {
      cleanup();
    }
  });
});

describe('the lean sign path on a terminal', () => {
  /** Everything a run shows on a pseudo-terminal, colours included. */
  function onTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
    return new Promise((resolve) => {
      const pty = spawnPty(process.execPath, [BIN, ...args], { name: 'xterm', cols: 120, rows: 30, env: env as Record<string, string> });
      let raw = '';
      pty.onData((data) => (raw += data));
      pty.onExit(() => resolve(raw));
    });
  }

  it('colours its output exactly as the commander path does', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const env = cleanEnv(dir, { CASHIER_CHECK_SECRET_KEY: 'lean-path-secret-0123456789', TERM: 'xterm' });
      delete env.NO_COLOR;
      const lean = ['sign', '--time', '1743060268000', '--query', 'a=1'];
      expect(built.parseSignLine(lean)).toBeDefined();
      const shown = await onTerminal(lean, env);
      // A repeated option takes the commander path; the last value wins, so the result is the same.
      expect(shown).toBe(await onTerminal(['sign', '--time', '1', '--time', '1743060268000', '--query', 'a=1'], env));
      expect(shown).toContain('\x1b[');
      expect(shown).toContain('a=1&time=1743060268000');
    } finally {
      cleanup();
    }
  });
});
