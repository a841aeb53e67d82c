import { excerpt } from '../core/send.js';
import type { ProbeCaseResult, ProbeReport } from '../core/probes.js';
import type { Theme } from './theme.js';

/** The JSON `probe --json` prints (PRODUCT.md). */
export function probeJson(report: ProbeReport): Record<string, unknown> {
  return {
    cases: report.cases.map((c) => ({ name: c.name, kind: c.kind, status: c.status, detail: c.detail, sent: c.sent, got: c.got, why: c.why, hint: c.hint })),
    passed: report.passed,
    failed: report.failed,
    warned: report.warned,
  };
}

export function describeGot(got: ProbeCaseResult['got']): string {
  if ('error' in got) return `no answer after ${got.latencyMs} ms (${got.error}): ${got.message}`;
  return `HTTP ${got.status} in ${got.latencyMs} ms${got.body ? `: ${excerpt(got.body, 80)}` : ''}`;
}

export function renderProbe(theme: Theme, report: ProbeReport, strict: boolean): string {
  const width = Math.max(...report.cases.map((c) => c.title.length));
  const lines = [`Probing ${report.url}`, ''];
  let kind = '';
  for (const item of report.cases) {
    if (item.kind !== kind) {
      kind = item.kind;
      lines.push(theme.dim(kind === 'genuine' ? 'genuine (must get 200)' : kind === 'forgery' ? 'forgeries (must be refused)' : 'hygiene (should be refused)'));
    }
    lines.push(`${theme.verdict(item.status)}  ${item.title.padEnd(width)}  ${item.detail}`);
    if (item.status !== 'pass') {
      lines.push(`      ${theme.dim('sent:')} ${item.sent.description}`);
      lines.push(`      ${theme.dim('got: ')} ${describeGot(item.got)}`);
      lines.push(`      ${theme.dim('why: ')} ${item.why}`);
      lines.push(`      ${theme.dim('fix: ')} ${item.hint}`);
    }
  }
  if (report.unreachable) lines.push('', theme.error('the genuine delivery got no answer, so no other case was sent'));
  const warnNote = report.warned > 0 ? (strict ? ' (--strict: warnings fail)' : ' (warnings do not fail; --strict makes them)') : '';
  lines.push('', `${report.cases.length} ${report.cases.length === 1 ? 'case' : 'cases'}: ${theme.ok(`${report.passed} passed`)}, ${report.failed ? theme.error(`${report.failed} failed`) : '0 failed'}, ${report.warned ? theme.warn(`${report.warned} warned`) : '0 warned'}${warnNote}`);
  return lines.join('\n');
}
