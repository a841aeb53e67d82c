import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, tempConfigDir } from '../helpers/cli.js';

const WORKFLOW = ['init', 'config', 'send-test', 'listen', 'trigger', 'probe', 'check', 'mock', 'sign-url', 'sign', 'verify', 'replay'];
const GLOBAL_FLAGS = ['--profile', '--json', '--no-color', '--verbose', '--help', '--version'];

const config = tempConfigDir();
afterAll(() => config.cleanup());

async function help(args: string[]): Promise<string> {
  const result = await runCli([...args, '--help'], { env: cleanEnv(config.dir) });
  expect(result.code, args.join(' ')).toBe(0);
  return result.stdout;
}

/** The lines of a help section, from its heading to the next blank line. */
function section(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) return [];
  const end = lines.findIndex((line, index) => index > start && line.trim() === '');
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

const flagsOf = (text: string): string[] => [...text.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((match) => match[0]);
const flat = (text: string): string => text.replace(/\s+/g, ' ');

describe('--help', () => {
  it('lists the commands in a merchant\'s order, then examples and the exit codes', async () => {
    const text = await help([]);
    const commands = section(text, 'Commands:').map((line) => /^ {2}(\S+)/.exec(line)?.[1]).filter((name): name is string => name !== undefined && name !== 'help');
    expect(commands).toEqual(WORKFLOW);
    const examples = section(text, 'Examples:').map((line) => line.trim().split(/\s{2,}/)[0]);
    expect(examples).toEqual(['cashier-check check --mock', 'cashier-check init', 'cashier-check send-test', 'cashier-check listen', 'cashier-check check --junit cashier-check.xml']);
    expect(text.indexOf('Examples:')).toBeGreaterThan(text.indexOf('Commands:'));
    expect(flat(text)).toContain('Exit codes: 0 ok, 1 a check failed, 2 bad flag or configuration, 3 timed out waiting, 130 interrupted.');
  });

  it.each(WORKFLOW.filter((name) => name !== 'config'))('%s: examples use only its own flags, and the exit codes are told in the same words', async (name) => {
    const text = await help([name]);
    const known = new Set([...flagsOf(section(text, 'Options:').join('\n')), ...GLOBAL_FLAGS]);
    const examples = section(text, 'Examples:');
    expect(examples.length, `${name} has examples`).toBeGreaterThan(0);
    for (const example of examples) {
      const command = example.trim().split(/\s{2,}/)[0]!;
      expect(command.startsWith(`cashier-check ${name}`), example).toBe(true);
      for (const flag of flagsOf(command)) expect(known.has(flag), `${name}: ${flag} in "${example.trim()}"`).toBe(true);
    }
    const exitCodes = flat(text.slice(text.indexOf('Exit codes:')));
    expect(exitCodes, `${name} tells its exit codes`).toMatch(/^Exit codes: /);
    expect(exitCodes).toContain('2 bad flag or configuration');
    expect(exitCodes).not.toMatch(/bad input|130 Ctrl-C/);
  });

  it('tells the examples of the root help with flags each command has', async () => {
    const root = await help([]);
    for (const example of section(root, 'Examples:')) {
      const [, name, ...rest] = example.trim().split(/\s{2,}/)[0]!.split(' ');
      const known = new Set([...flagsOf(section(await help([name!]), 'Options:').join('\n')), ...GLOBAL_FLAGS]);
      for (const flag of flagsOf(rest.join(' '))) expect(known.has(flag), `${name} ${flag}`).toBe(true);
    }
  });
});
