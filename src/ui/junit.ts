import type { CheckReport } from '../core/checklist.js';

/** Characters XML 1.0 cannot carry at all, even escaped. */
const INVALID_XML = /[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

export function escapeXml(text: string): string {
  return text.replace(INVALID_XML, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/**
 * The report as JUnit XML in the shape Jenkins, GitLab, GitHub test reporters and Surefire read:
 * one testcase per step; FAIL is a <failure>, SKIP a <skipped>, WARN passes with a note.
 */
export function renderJunit(report: CheckReport, options: { suite: string; timestamp: string }): string {
  const total = report.steps.reduce((sum, step) => sum + step.durationMs, 0);
  const counts = `tests="${report.steps.length}" failures="${report.failed}" errors="0" skipped="${report.skipped}" time="${seconds(total)}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="cashier-check" ${counts}>`,
    `  <testsuite name="${escapeXml(options.suite)}" ${counts} timestamp="${escapeXml(options.timestamp)}">`,
  ];
  for (const step of report.steps) {
    const name = escapeXml(`step ${step.step}: ${step.title}`);
    const open = `    <testcase classname="cashier-check.check" name="${name}" time="${seconds(step.durationMs)}"`;
    const message = escapeXml(step.detail);
    const body = escapeXml(step.hint ? `${step.detail}\nfix: ${step.hint}` : step.detail);
    if (step.status === 'fail') {
      lines.push(`${open}>`, `      <failure message="${message}" type="StepFailed">${body}</failure>`, '    </testcase>');
    } else if (step.status === 'skip') {
      lines.push(`${open}>`, `      <skipped message="${message}"/>`, '    </testcase>');
    } else {
      lines.push(`${open}>`, `      <system-out>${escapeXml(`${step.status.toUpperCase()}: `)}${body}</system-out>`, '    </testcase>');
    }
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
