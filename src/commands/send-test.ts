import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.js';
import type { CommandInput } from '../program.js';
import type { Output } from '../ui/output.js';
import { loadSettings, requireSetting } from '../config/load-settings.js';
import type { PayoutRequest } from '../core/send-test-plan.js';
import { planSendTest, runSendTest } from '../core/send-test.js';
import { isProduction, type Profile } from '../core/settings.js';
import { validateEnvironment, validateInteger } from '../core/validate.js';
import { badInput, CliError, ExitCode, orBadInput } from '../errors.js';
import { createHttpClient } from '../http/client.js';
import { renderDryRun, renderSendTest } from '../ui/render-send-test.js';

interface SendTestOptions {
  environment?: string;
  dryRun?: boolean;
  timeout: string;
  createPayout?: boolean;
  toAddress?: string;
  amount: string;
  chainId: string;
  symbol: string;
  custNo: string;
}

export async function run(ctx: AppContext, out: Output, { opts, globals }: CommandInput<SendTestOptions>): Promise<number> {
  const timeoutS = orBadInput('--timeout', validateInteger(opts.timeout, 1, 300), 'seconds to wait for each answer, e.g. --timeout 10');
  const flags: Profile = opts.environment === undefined ? {} : orBadInput('--environment', validateEnvironment(opts.environment), 'sandbox, production, or a base URL such as http://127.0.0.1:4010');
  const settings = loadSettings(ctx.env, globals.profile, flags);
  requireSetting(settings, 'apiKey', 'set CASHIER_CHECK_API_KEY or run "cashier-check init"');
  if (settings.signatureVersion === 'v1') requireSetting(settings, 'v1PrivateKey', 'set CASHIER_CHECK_V1_PRIVATE_KEY or run "cashier-check init"');
  else requireSetting(settings, 'secretKey', 'set CASHIER_CHECK_SECRET_KEY or run "cashier-check init"');
  const createPayout = opts.createPayout ? payoutRequest(opts, isProduction(settings)) : undefined;
  if (!opts.createPayout && opts.toAddress !== undefined) out.warn('--to-address is used only with --create-payout; no payout is created');
  const random = (bytes: number): string => randomBytes(bytes).toString('hex');
  const now = (): number => ctx.clock.now();

  if (opts.dryRun) {
    const plan = planSendTest({ settings, now, random, createPayout });
    if (!plan.ok) throw new CliError(plan.error.message, { exitCode: ExitCode.usage, hint: plan.error.hint });
    out.result({ dryRun: true, baseUrl: settings.baseUrl, environment: settings.environment, requests: plan.value }, (theme) => renderDryRun(theme, settings.baseUrl, plan.value));
    return ExitCode.ok;
  }
  const client = createHttpClient({ env: ctx.env });
  try {
    const report = await runSendTest({ send: (request) => client.send(request), settings, now, random, createPayout, timeoutMs: timeoutS * 1000 });
    out.result(report, (theme) => renderSendTest(theme, report, out.verbose));
    return report.failed > 0 ? ExitCode.failed : ExitCode.ok;
  } finally {
    await client.close();
  }
}

function payoutRequest(opts: SendTestOptions, production: boolean): PayoutRequest {
  if (production) {
    throw new CliError('--create-payout is refused on production', { exitCode: ExitCode.usage, field: '--create-payout', hint: 'create test payouts on the sandbox (--environment sandbox) or the emulator only' });
  }
  if (!opts.toAddress) throw badInput('--to-address', 'is required with --create-payout', 'give the test wallet address that receives the payout');
  if (!/^\d+(\.\d+)?$/.test(opts.amount)) throw badInput('--amount', `"${opts.amount}" is not a decimal amount`, 'e.g. --amount 0.01');
  return { amount: opts.amount, chainId: opts.chainId, symbol: opts.symbol, toAddress: opts.toAddress, custNo: opts.custNo, remark: 'cashier-check send-test' };
}
