import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { AppContext } from '../context.js';
import type { CommandInput } from '../program.js';
import type { Output } from '../ui/output.js';
import { loadSettings } from '../config/load-settings.js';
import { runChecks, STEPS, type CheckDeps, type CheckReport } from '../core/checklist.js';
import { parseHttpUrl, validateInteger } from '../core/validate.js';
import { badInput, ExitCode, orBadInput } from '../errors.js';
import { createHttpClient } from '../http/client.js';
import { createProgress } from '../ui/progress.js';
import { checkJson, renderCheck } from '../ui/render-check.js';
import { renderJunit } from '../ui/junit.js';

interface CheckOptions {
  mock?: boolean;
  vulnerableReceiver?: boolean;
  junit?: string;
  webhookUrl?: string;
  waitReal?: string;
  listenPort?: string;
  waitTimeout?: string;
  timeout: string;
  iOwnThisEndpoint?: boolean;
}

interface Rig {
  settings: CheckDeps['settings'];
  heading: string[];
  context: Record<string, unknown>;
  sendTest?: CheckDeps['sendTest'];
  realDelivery?: CheckDeps['realDelivery'];
  close(): Promise<void>;
}

export async function run(ctx: AppContext, out: Output, { opts, globals }: CommandInput<CheckOptions>): Promise<number> {
  if (opts.vulnerableReceiver && !opts.mock) throw badInput('--vulnerable-receiver', 'only works with --mock', 'run "cashier-check check --mock --vulnerable-receiver"');
  if (opts.waitReal !== undefined && opts.mock) throw badInput('--wait-real', 'cannot be combined with --mock', '--mock already includes a delivery from the emulator');
  // Both only shape the --wait-real listener; without it they would be silently ignored.
  for (const [flag, value] of [['--listen-port', opts.listenPort], ['--wait-timeout', opts.waitTimeout]] as const) {
    if (value !== undefined && opts.waitReal === undefined) throw badInput(flag, 'only works with --wait-real', `add --wait-real <public-url> to wait for a real delivery, or drop ${flag}`);
  }
  if (opts.webhookUrl !== undefined && opts.mock) throw badInput('--webhook-url', 'cannot be combined with --mock', '--mock grades its own built-in receiver; drop --mock to grade your endpoint');
  const timeoutMs = orBadInput('--timeout', validateInteger(opts.timeout, 1, 300), 'give the seconds to wait for each answer, e.g. --timeout 10') * 1000;
  const junitPath = opts.junit === undefined ? undefined : junitTarget(opts.junit);
  const signal = ctx.interruptSignal();
  // The mock rig is all loopback: no proxy may see its traffic.
  const client = createHttpClient({ env: opts.mock ? {} : ctx.env });
  const rig = await (opts.mock ? startMock(ctx, opts.vulnerableReceiver === true, client, timeoutMs) : startReal(ctx, out, opts, globals.profile, timeoutMs, client)).catch(async (error: unknown) => {
    await client.close();
    throw error;
  });
  const progress = createProgress(ctx);
  try {
    const report = await runChecks({
      settings: rig.settings,
      send: (request) => client.send({ ...request, signal }),
      now: () => ctx.clock.now(),
      timeoutMs,
      endpointConfirmed: opts.iOwnThisEndpoint === true || opts.mock === true,
      sendTest: rig.sendTest,
      realDelivery: rig.realDelivery,
      onStep: (definition, result) => {
        if (!result) progress.update(`step ${definition.step}/${STEPS.length}: ${definition.title}`);
        else out.debug(`step ${result.step}: ${result.status} in ${result.durationMs} ms`);
      },
    });
    progress.done();
    if (signal.aborted) return ExitCode.interrupted;
    if (junitPath) await writeJunit(junitPath, report, ctx.clock.now());
    out.result(checkJson(report, rig.context), (theme) => renderCheck(theme, report, rig.heading));
    if (junitPath) out.info(`JUnit report written to ${junitPath}`);
    return exitCodeFor(report);
  } finally {
    progress.done();
    await rig.close();
    await client.close();
  }
}

/** 1 when a step failed, 3 when the only failure is that no real delivery came in time. */
export function exitCodeFor(report: CheckReport): number {
  if (report.failed === 0) return ExitCode.ok;
  const onlyWait = report.timedOut && report.steps.filter((step) => step.status === 'fail').every((step) => step.step === 8);
  return onlyWait ? ExitCode.timeout : ExitCode.failed;
}

function junitTarget(path: string): string {
  const full = resolve(path);
  const dir = dirname(full);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw badInput('--junit', `the folder ${dir} does not exist`, 'create it first, or write the report elsewhere, e.g. --junit cashier-check.xml');
  if (existsSync(full) && statSync(full).isDirectory()) throw badInput('--junit', `${full} is a folder`, 'give a file name, e.g. --junit reports/cashier-check.xml');
  return full;
}

async function writeJunit(path: string, report: CheckReport, nowMs: number): Promise<void> {
  try {
    await writeFile(path, renderJunit(report, { suite: 'cashier-check integration steps', timestamp: new Date(nowMs).toISOString().slice(0, 19) }), 'utf8');
  } catch (error) {
    throw badInput('--junit', `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'check the folder exists and is writable');
  }
}

async function startReal(ctx: AppContext, out: Output, opts: CheckOptions, profile: string | undefined, timeoutMs: number, client: ReturnType<typeof createHttpClient>): Promise<Rig> {
  if (opts.webhookUrl !== undefined) orBadInput('--webhook-url', parseHttpUrl(opts.webhookUrl));
  const settings = loadSettings(ctx.env, profile, opts.webhookUrl === undefined ? {} : { webhookUrl: opts.webhookUrl });
  const { startRealRig } = await import('./check-real.js');
  return startRealRig(ctx, out, { settings, opts, timeoutMs, client });
}

async function startMock(ctx: AppContext, vulnerable: boolean, client: ReturnType<typeof createHttpClient>, timeoutMs: number): Promise<Rig> {
  const { startMockRig } = await import('./check-mock.js');
  return startMockRig(ctx, { vulnerable, client, timeoutMs });
}

export type { CheckOptions, Rig };
