import type { DryRunRequest, Evidence, SendTestReport } from '../core/send-test.js';
import type { Theme } from './theme.js';

function evidenceLine(evidence: Evidence): string {
  const path = evidence.url.replace(/^https?:\/\/[^/]+/, '');
  if (evidence.failure) return `${evidence.method} ${path} → no answer (${evidence.failure}) after ${evidence.latencyMs} ms`;
  const code = evidence.code === null ? 'no envelope' : `code ${evidence.code}${evidence.msg ? ` "${evidence.msg}"` : ''}`;
  return `${evidence.method} ${path} → HTTP ${evidence.status}, ${code}, ${evidence.latencyMs} ms`;
}

/** PASS/FAIL/WARN per check, with the evidence and the fix; --verbose adds strings to sign and bodies. */
export function renderSendTest(theme: Theme, report: SendTestReport, verbose: boolean): string {
  const lines = [theme.bold(`send-test against ${report.baseUrl} (${report.environment})`)];
  for (const check of report.checks) {
    lines.push(`${theme.verdict(check.status)}  ${check.title}`);
    lines.push(`      ${check.detail}`);
    if (check.evidence) lines.push(theme.dim(`      ${evidenceLine(check.evidence)}`));
    if (check.hint && check.status !== 'pass') lines.push(`      fix: ${check.hint}`);
    if (verbose && check.evidence) {
      if (check.evidence.stringToSign) lines.push(theme.dim(`      string to sign: ${check.evidence.stringToSign}`));
      if (check.evidence.body) lines.push(theme.dim(`      response: ${check.evidence.body.slice(0, 500)}`));
    }
  }
  const skipped = report.checks.filter((check) => check.status === 'skip').length;
  const tally = `${report.passed} passed, ${report.failed} failed, ${report.warned} warned${skipped > 0 ? `, ${skipped} skipped` : ''}`;
  lines.push(report.failed > 0 ? theme.error(tally) : theme.ok(tally));
  return lines.join('\n');
}

export function renderDryRun(theme: Theme, baseUrl: string, requests: DryRunRequest[]): string {
  const lines = [theme.bold(`Dry run: nothing is sent. ${requests.length} requests against ${baseUrl}`), ''];
  requests.forEach((request, index) => {
    lines.push(theme.bold(`${index + 1}. ${request.title}`));
    lines.push(`   ${request.method} ${request.url}`);
    for (const [name, value] of Object.entries(request.headers)) lines.push(`   ${name}: ${value}`);
    if (request.body !== null) lines.push(`   body: ${request.body}`);
    lines.push(`   string to sign: ${request.stringToSign ?? '(not signed: the API key header is enough)'}`);
    lines.push(`   ${request.curl}`, '');
  });
  lines.push(theme.dim('The curl lines read the API key from $CASHIER_CHECK_API_KEY; a signature is valid for 30 s after its BlockATM-Request-Time.'));
  return lines.join('\n');
}
