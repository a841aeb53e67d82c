import type { Diagnosis, Finding } from '../core/diagnose.js';
import type { VerifyReport } from '../core/verify-report.js';
import type { Theme } from './theme.js';

const WINDOW = 96;
const LEAD = 32;

export function renderVerifyReport(theme: Theme, report: VerifyReport, options: { verbose: boolean }): string {
  const lines = [`${report.valid ? theme.verdict('pass') : theme.verdict('fail')}  ${report.reason}`];
  for (const attempt of report.tried) {
    lines.push(`  ${theme.dim(`${attempt.recipe.padEnd(6)} string to sign:`)} ${attempt.stringToSign === null ? theme.error(attempt.error ?? '') : visible(attempt.stringToSign)}`);
  }
  for (const warning of report.warnings) lines.push(`  ${theme.warn('note:')} ${warning}`);
  if (report.diagnosis) lines.push('', ...renderDiagnosis(theme, report.diagnosis, options));
  return lines.join('\n');
}

export function renderDiagnosis(theme: Theme, diagnosis: Diagnosis, options: { verbose: boolean }): string[] {
  if (!diagnosis.explained) {
    return [
      `${theme.bold('Diagnosis:')} ${diagnosis.summary}`,
      `  ${theme.dim('next')}  check the Webhook key in the dashboard (Cashier → Integration) against the profile (cashier-check config show);`,
      `        capture the raw request with "cashier-check listen" and run "cashier-check verify --request <capture>"`,
    ];
  }
  const [first, ...others] = diagnosis.findings as [Finding, ...Finding[]];
  const lines = [`${theme.bold('Diagnosis:')} ${first.causes.map((c) => c.title).join(' + ')}`];
  for (const cause of first.causes) {
    if (first.causes.length > 1) lines.push(`  ${theme.warn(cause.title)}`);
    lines.push(`  ${theme.dim('why')}  ${cause.explanation}`);
    lines.push(`  ${theme.dim('fix')}  ${theme.ok(cause.fix)}`);
  }
  lines.push(`  ${theme.dim('made with')} the ${first.key}, ${first.recipe} recipe, ${first.encoding === 'hex' ? 'lower-case hex' : first.encoding}`);
  lines.push(...renderComparison(theme, first, options));
  if (first.body !== undefined) {
    lines.push(`  ${theme.dim('body as signed:')}`);
    for (const line of first.body.split('\n').slice(0, 40)) lines.push(`    ${line}`);
  }
  for (const other of others) lines.push(`  ${theme.dim('also matches:')} ${other.causes.map((c) => c.title).join(' + ')} (${other.recipe} recipe, ${other.key})`);
  return lines;
}

/** Both strings to sign, one above the other, with a caret under the first differing byte. */
function renderComparison(theme: Theme, finding: Finding, options: { verbose: boolean }): string[] {
  const expected = visible(finding.expected);
  const signed = visible(finding.signed);
  if (finding.difference === null) {
    return [`  ${theme.dim('string to sign')}  ${expected}`, `  ${theme.dim('                ')}(the same string: the difference is in the key or the encoding, not the bytes)`];
  }
  const column = visible(finding.expected.slice(0, finding.difference.index)).length;
  const start = options.verbose ? 0 : Math.max(0, column - LEAD);
  const cut = (text: string): string => {
    if (options.verbose) return text;
    const piece = text.slice(start, start + WINDOW);
    return `${start > 0 ? '…' : ''}${piece}${start + WINDOW < text.length ? '…' : ''}`;
  };
  const caretAt = column - start + (start > 0 ? 1 : 0);
  return [
    `  ${theme.dim('expected')}  ${cut(expected)}`,
    `  ${theme.dim('signed  ')}  ${cut(signed)}`,
    `  ${' '.repeat(10 + caretAt)}${theme.error('^')} ${theme.dim(`first difference at byte ${finding.difference.byte}`)}`,
  ];
}

/** Control characters shown as escapes, so a newline in a string to sign can be seen. */
export function visible(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
