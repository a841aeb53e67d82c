import { deliveryHint, deliveryPassed, forwardWarnings, type DeliveryReport, type ListenSummary } from '../core/listen.js';
import type { Theme } from './theme.js';

export interface ReadyInfo {
  url: string;
  port: number;
  path: string;
  toleranceMs: number;
  forwardTo: string | null;
  captureDir: string | null;
}

/** The first lines a person sees: where to send webhooks and how BlockATM can reach it. */
export function renderReady(theme: Theme, ready: ReadyInfo): string {
  return `${theme.bold('Listening for BlockATM webhooks on')} ${ready.url}${ready.forwardTo ? `\nForwarding each delivery to ${ready.forwardTo}` : ''}`;
}

export function renderTunnelAdvice(ready: ReadyInfo): string {
  return [
    'BlockATM must reach this URL from the internet. Expose it with a tunnel, then set the public URL',
    `(ending in ${ready.path}) as the Webhook URL in the dashboard:`,
    `  ngrok http ${ready.port}`,
    `  cloudflared tunnel --url http://127.0.0.1:${ready.port}`,
    ready.captureDir ? `Deliveries are saved in ${ready.captureDir}` : 'Deliveries are not saved (--no-capture).',
    'Waiting for deliveries (Ctrl-C to stop)…',
  ].join('\n');
}

function quoteBody(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 200 ? `${flat.slice(0, 200)}…` : flat);
}

/** One readable block per delivery: what it was, the verdict and why, what was answered. */
export function renderDelivery(theme: Theme, report: DeliveryReport, listenPath: string, verbose: boolean): string {
  const v = report.verdict;
  const passed = deliveryPassed(report);
  const time = report.receivedAt.slice(11, 19);
  const what = [v.event ?? v.eventHeader ?? '(no event)', v.status ?? v.statusRaw ?? ''].filter(Boolean).join(' ');
  const order = [
    v.orderNo && `order ${v.orderNo}`, v.bizOrderNo && `bizOrderNo ${v.bizOrderNo}`, v.id && `id ${v.id}`,
    v.amount && `${v.amount}${v.symbol ? ` ${v.symbol}` : ''}`,
  ].filter(Boolean).join('  ');
  const lines = [`${theme.verdict(passed ? 'pass' : 'fail')}  ${time}  ${report.method} ${report.path}  ${theme.bold(what)}${order ? `  ${order}` : ''}`];
  lines.push(`      ${v.verified ? theme.ok(v.reason) : theme.error(v.reason)}`);
  if (report.diagnosis) lines.push(`      signature doctor: ${report.diagnosis}`);
  const answered = report.answered === null ? 'no answer (connection closed)' : `answered ${report.answered}`;
  lines.push(theme.dim(`      ${answered} in ${report.latencyMs} ms${report.captureId ? ` · saved as ${report.captureId}` : ''}`));
  const forward = report.forward;
  if (forward) {
    const result = forward.status === null ? `not reached (${forward.error?.kind}: ${forward.error?.message})` : `${forward.status} ${quoteBody(forward.body)}`;
    lines.push(`      forwarded to ${forward.url} → ${result} in ${forward.latencyMs} ms`);
  }
  for (const warning of [...v.warnings, ...forwardWarnings(report)]) lines.push(`      ${theme.warn('warning:')} ${warning}`);
  const hint = passed ? null : deliveryHint(report, listenPath);
  if (hint && !forwardWarnings(report).includes(hint)) lines.push(`      hint: ${hint}`);
  if (verbose) {
    for (const attempt of v.tried) lines.push(theme.dim(`      ${attempt.recipe} string to sign: ${attempt.stringToSign ?? `(cannot build: ${attempt.error})`}`));
  }
  return lines.join('\n');
}

export function renderSummary(theme: Theme, summary: ListenSummary): string {
  const why = { count: 'count reached', timeout: 'timed out', interrupted: 'interrupted' }[summary.end];
  const counts = `${summary.received} ${summary.received === 1 ? 'delivery' : 'deliveries'}: ${summary.passed} passed, ${summary.failed} failed`;
  const unsaved = summary.unsaved > 0 ? ` ${summary.unsaved} of them not saved as captures.` : '';
  return `${theme.bold(`Stopped (${why}).`)} ${counts}.${unsaved}`;
}
