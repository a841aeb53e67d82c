import type { CapturedDelivery } from '../core/capture.js';
import type { CaptureSummary, ReplayReport } from '../core/replay.js';
import type { Theme } from './theme.js';

export function renderCaptureList(theme: Theme, deliveries: CaptureSummary[]): string {
  if (deliveries.length === 0) return theme.dim('no captured deliveries yet: run "cashier-check listen" and send a webhook to it');
  return deliveries
    .map((d) => {
      const when = d.receivedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
      const what = [d.event ?? '-', d.status ?? ''].join(' ').trim().padEnd(18);
      return `${d.id}  ${theme.dim(when)}  ${what}  ${d.verified ? theme.verdict('pass') : theme.verdict('fail')}  ${theme.dim(`${d.httpStatus} ${d.reason}`)}`;
    })
    .join('\n');
}

export function renderCapture(theme: Theme, capture: CapturedDelivery): string {
  const lines = [`${theme.bold(`${capture.method} ${capture.path}`)}  ${theme.dim(`${capture.id}, received ${capture.receivedAt}`)}`];
  for (const [name, values] of Object.entries(capture.headers)) for (const value of values) lines.push(`${theme.dim(`${name}:`)} ${value}`);
  lines.push('');
  lines.push(capture.bodyEncoding === 'base64' ? theme.warn(`(not UTF-8: ${Buffer.from(capture.body, 'base64').length} bytes, Base64) ${capture.body}`) : capture.body);
  lines.push('', `${capture.verdict?.verified ? theme.verdict('pass') : theme.verdict('fail')}  ${capture.verdict?.httpStatus ?? '?'} ${capture.verdict?.reason ?? ''}`);
  return lines.join('\n');
}

export function renderReplay(theme: Theme, report: ReplayReport): string {
  const how = report.mode === 'as-captured' ? 'as captured, byte for byte' : `re-signed (${report.recipe} recipe, time ${report.time})`;
  const lines = [`${theme.dim('replayed')} ${report.id} → ${report.url} ${theme.dim(how)}`];
  for (const edit of report.edits) lines.push(`  ${theme.dim('set')} ${edit.field}: ${edit.from ?? theme.dim('(new)')} → ${edit.to}`);
  if (report.error) {
    lines.push(`${theme.verdict('fail')}  ${report.error.message} ${theme.dim(`after ${report.latencyMs} ms`)}`, `  ${theme.dim('fix:')} ${report.error.hint}`);
    return lines.join('\n');
  }
  lines.push(`${report.pass ? theme.verdict('pass') : theme.verdict('fail')}  HTTP ${report.status} in ${report.latencyMs} ms${report.pass ? '' : theme.dim(' (only HTTP 200 counts as delivered)')}`);
  if (report.body) lines.push(`  ${theme.dim('body')} ${report.body.length > 500 ? `${report.body.slice(0, 500)}…` : report.body}`);
  if (report.hint) lines.push(`  ${theme.dim('fix:')} ${report.hint}`);
  return lines.join('\n');
}
