import type { Readable, Writable } from 'node:stream';
import type { Result } from '../core/result.js';
import { CliError, ExitCode } from '../errors.js';

/** How a question can be answered without a prompt: the flags and env vars that set it. */
export interface Question {
  message: string;
  /** A short name for lists of what is missing, e.g. `Cashier Desk ID`. */
  name: string;
  /** e.g. `--cashier-id or CASHIER_CHECK_CASHIER_ID`, listed when prompting is impossible. */
  answerWith: string;
}

export interface TextQuestion<T> extends Question {
  default?: string;
  validate: (answer: string) => Result<T>;
}

export interface SecretQuestion<T> extends Question {
  /** The value kept when the user just presses Enter (shown masked in the message only). */
  current?: T;
  validate: (answer: string) => Result<T>;
}

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
}

export interface SelectQuestion<T> extends Question {
  choices: Choice<T>[];
  default?: T;
}

/**
 * Asking the user something. Two real implementations: inquirer on a terminal, and one that
 * never prompts and says which flags or env vars to set instead.
 */
export interface Prompter {
  readonly interactive: boolean;
  input<T>(question: TextQuestion<T>): Promise<T>;
  password<T>(question: SecretQuestion<T>): Promise<T>;
  select<T>(question: SelectQuestion<T>): Promise<T>;
  confirm(question: Question & { default?: boolean }): Promise<boolean>;
}

/** Thrown by the non-interactive prompter; callers may gather several into one message. */
export class AnswerNeeded extends CliError {
  readonly question: Question;
  readonly why: string;
  constructor(question: Question, why: string) {
    super(`${question.name} is needed, and ${why}`, { exitCode: ExitCode.usage, field: question.name, hint: `use ${question.answerWith}` });
    this.question = question;
    this.why = why;
  }
}

/** Never prompts: every question fails, naming the flag or env var that answers it. */
export function createNonInteractivePrompter(why: string): Prompter {
  const refuse = (question: Question): Promise<never> => Promise.reject(new AnswerNeeded(question, why));
  return { interactive: false, input: refuse, password: refuse, select: refuse, confirm: refuse };
}

/**
 * Inquirer prompts on the terminal, drawn on stderr so stdout keeps only the result. Ctrl-C or
 * an abort becomes exit 130 with nothing saved.
 */
export function createInteractivePrompter(streams: { input: Readable; output: Writable; signal?: AbortSignal }): Prompter {
  const context = { input: streams.input, output: streams.output, signal: streams.signal, clearPromptOnDone: false };
  const load = () => import('@inquirer/prompts');
  const guarded = async <T>(ask: () => Promise<T>): Promise<T> => {
    try {
      return await ask();
    } catch (error) {
      const name = (error as Error | undefined)?.name;
      if (name === 'ExitPromptError' || name === 'AbortPromptError') {
        throw new CliError('interrupted; nothing was saved', { exitCode: ExitCode.interrupted });
      }
      throw error;
    }
  };
  const check = <T>(question: { name: string; validate: (answer: string) => Result<T> }) => (answer: string): true | string => {
    const result = question.validate(answer);
    return result.ok ? true : `${question.name}: ${result.error}`;
  };
  const unwrap = <T>(result: Result<T>): T => {
    if (!result.ok) throw new CliError(result.error, { exitCode: ExitCode.usage });
    return result.value;
  };
  return {
    interactive: true,
    async input(question) {
      const { input } = await load();
      const answer = await guarded(() => input({ message: question.message, default: question.default, validate: check(question) }, context));
      return unwrap(question.validate(answer));
    },
    async password(question) {
      const { password } = await load();
      const keep = question.current !== undefined;
      const message = keep ? `${question.message} (Enter keeps the current one)` : question.message;
      const validate = (answer: string): true | string => (keep && answer === '' ? true : check(question)(answer));
      const answer = await guarded(() => password({ message, mask: '*', validate }, context));
      return keep && answer === '' ? (question.current as NonNullable<typeof question.current>) : unwrap(question.validate(answer));
    },
    async select(question) {
      const { select } = await load();
      return guarded(() => select({ message: question.message, choices: question.choices, default: question.default }, context));
    },
    async confirm(question) {
      const { confirm } = await load();
      return guarded(() => confirm({ message: question.message, default: question.default ?? false }, context));
    },
  };
}

/**
 * The prompter a command gets: inquirer only when stdin is a terminal and `--yes` was not
 * given; otherwise one that fails fast instead of waiting for input that will never come.
 */
export function createPrompter(
  ctx: { stdin: Readable; stderr: unknown; stdinIsTTY: boolean; interruptSignal(): AbortSignal },
  options: { yes?: boolean } = {},
): Prompter {
  if (options.yes) return createNonInteractivePrompter('--yes forbids prompting');
  if (!ctx.stdinIsTTY) return createNonInteractivePrompter('stdin is not a terminal, so cashier-check cannot prompt');
  if (!isWritable(ctx.stderr)) return createNonInteractivePrompter('there is no terminal to prompt on');
  return createInteractivePrompter({ input: ctx.stdin, output: ctx.stderr, signal: ctx.interruptSignal() });
}

function isWritable(sink: unknown): sink is Writable {
  return typeof sink === 'object' && sink !== null && typeof (sink as Writable).on === 'function' && typeof (sink as Writable).write === 'function';
}
