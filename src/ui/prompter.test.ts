import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { validateCashierId, validateKey } from '../core/validate.js';
import { CliError } from '../errors.js';
import { AnswerNeeded, createInteractivePrompter, createPrompter } from './prompter.js';

const SECRET = 'sck_QOoPSlHDSsgXYeNyTP2i0ug1HKLRjHw9Ug7mCc1Q0';

/** A terminal stand-in: keystrokes go in, everything drawn is collected. */
function fakeTerminal() {
  const input = new PassThrough();
  let drawn = '';
  const listeners = new Set<() => void>();
  const output = new Writable({
    write(chunk, _encoding, done) {
      drawn += String(chunk);
      for (const listener of [...listeners]) listener();
      done();
    },
  });
  // eslint-disable-next-line no-control-regex
  const screen = () => drawn.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  const waitFor = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (screen().includes(text)) {
          listeners.delete(check);
          resolve();
        }
      };
      listeners.add(check);
      check();
    });
  return { input, output, screen, waitFor };
}

const question = { message: 'Cashier Desk ID:', name: 'Cashier Desk ID', answerWith: '--cashier-id or CASHIER_CHECK_CASHIER_ID', validate: validateCashierId };

describe('non-interactive prompter', () => {
  it('is chosen without a terminal or with --yes, and names the flag or env var instead of asking', async () => {
    const ctx = { stdin: new PassThrough(), stderr: new PassThrough(), stdinIsTTY: false, interruptSignal: () => new AbortController().signal };
    for (const [prompter, why] of [
      [createPrompter(ctx), 'stdin is not a terminal, so cashier-check cannot prompt'],
      [createPrompter({ ...ctx, stdinIsTTY: true }, { yes: true }), '--yes forbids prompting'],
    ] as const) {
      expect(prompter.interactive).toBe(false);
      const error = await prompter.input(question).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AnswerNeeded);
      expect(error).toMatchObject({ exitCode: 2, message: `Cashier Desk ID is needed, and ${why}`, hint: 'use --cashier-id or CASHIER_CHECK_CASHIER_ID' });
    }
  });
});

describe('interactive prompter', () => {
  it('validates as typed, names the field in the complaint, and returns the cleaned answer', async () => {
    const terminal = fakeTerminal();
    const prompter = createInteractivePrompter({ input: terminal.input, output: terminal.output });
    const answer = prompter.input(question);
    await terminal.waitFor('Cashier Desk ID:');
    terminal.input.write('x1\r');
    await terminal.waitFor('Cashier Desk ID: must be the numeric Cashier Desk ID');
    terminal.input.write('\x7f\x7f 91 \r');
    await expect(answer).resolves.toBe('91');
  });

  it('masks a secret, keeps the current one on Enter, and never draws it', async () => {
    const terminal = fakeTerminal();
    const prompter = createInteractivePrompter({ input: terminal.input, output: terminal.output });
    const secretQuestion = { message: 'Secret key:', name: 'secret key', answerWith: 'CASHIER_CHECK_SECRET_KEY', validate: (text: string) => validateKey(text, 'secret key') };
    const typed = prompter.password(secretQuestion);
    await terminal.waitFor('Secret key:');
    terminal.input.write(`${SECRET}\r`);
    await expect(typed).resolves.toBe(SECRET);
    expect(terminal.screen()).toContain('*'.repeat(SECRET.length));
    expect(terminal.screen()).not.toContain(SECRET);
    // Each prompt ends its output stream, as inquirer does; a real stderr ignores that.
    const again = fakeTerminal();
    const kept = createInteractivePrompter({ input: again.input, output: again.output }).password({ ...secretQuestion, current: SECRET });
    await again.waitFor('Enter keeps the current one');
    again.input.write('\r');
    await expect(kept).resolves.toBe(SECRET);
    expect(again.screen()).not.toContain(SECRET);
  });

  it('an abort (SIGTERM, Ctrl-C) becomes exit 130', async () => {
    const terminal = fakeTerminal();
    const controller = new AbortController();
    const prompter = createInteractivePrompter({ input: terminal.input, output: terminal.output, signal: controller.signal });
    const answer = prompter.confirm({ message: 'Delete?', name: 'confirmation', answerWith: '--yes' });
    await terminal.waitFor('Delete?');
    controller.abort();
    const error = await answer.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ exitCode: 130, message: 'interrupted; nothing was saved' });
  });
});
