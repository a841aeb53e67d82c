import type { CheckReport } from '../core/checklist.js';
import type { Theme } from './theme.js';

/** The JSON `check --json` prints (PRODUCT.md). */
export function checkJson(report: CheckReport, context: Record<string, unknown>): Record<string, unknown> {
  return {
    steps: report.steps.map(({ step, title, status, detail, hint, durationMs }) => ({ step, title, status, detail, hint, durationMs })),
    passed: report.passed,
    failed: report.failed,
    warned: report.warned,
    skipped: report.skipped,
    ...context,
  };
}

export function summaryLine(theme: Theme, report: CheckReport): string {
  const part = (n: number, label: string, paint: (text: string) => string): string => (n ? paint(`${n} ${label}`) : `0 ${label}`);
  return `${report.steps.length} steps: ${part(report.passed, 'passed', theme.ok)}, ${part(report.failed, 'failed', theme.error)}, ${part(report.warned, 'warned', theme.warn)}, ${part(report.skipped, 'skipped', theme.dim)}`;
}

export function renderCheck(theme: Theme, report: CheckReport, heading: string[]): string {
  const indent = ' '.repeat(10);
  const lines = [...heading, ''];
  for (const step of report.steps) {
    lines.push(`${String(step.step).padStart(2)}  ${theme.verdict(step.status)}  ${theme.bold(step.title)}`);
    lines.push(`${indent}${theme.dim(step.detail)}`);
    if (step.hint) lines.push(`${indent}${theme.dim('fix:')} ${step.hint}`);
  }
  lines.push('', summaryLine(theme, report));
  return lines.join('\n');
}
