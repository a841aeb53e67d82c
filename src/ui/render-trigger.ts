import { excerpt } from '../core/send.js';
import { triggerHint, type TriggerResult } from '../core/trigger.js';
import type { Theme } from './theme.js';

/** The JSON `trigger --json` prints (PRODUCT.md), plus the network error when there was one. */
export function triggerJson(result: TriggerResult): Record<string, unknown> {
  const data: Record<string, unknown> = { scenario: result.scenario, status: result.status, body: result.body, latencyMs: result.latencyMs, pass: result.pass };
  if (result.error) data.error = result.error;
  if (result.location) data.location = result.location;
  return data;
}

export function renderTrigger(theme: Theme, result: TriggerResult): string {
  const lines = [
    `${theme.dim('→')} POST ${result.url}  ${theme.bold(result.scenario)} ${theme.dim(`(${result.event} event, ${result.sent.recipe} recipe)`)}`,
    `  ${theme.dim(excerpt(result.sent.body, 160))}`,
  ];
  for (const note of result.notes) lines.push(`  ${theme.warn('note:')} ${note}`);
  if (result.error) {
    lines.push(`${theme.verdict('fail')}  no answer after ${result.latencyMs} ms: ${result.error.message}`);
  } else {
    const body = result.body === '' ? theme.dim('(empty body)') : excerpt(result.body);
    lines.push(`${theme.verdict(result.pass ? 'pass' : 'fail')}  HTTP ${result.status} in ${result.latencyMs} ms: ${body}`);
  }
  const hint = triggerHint(result);
  if (!result.pass && hint) lines.push(`  ${theme.dim('fix:')} ${hint}`);
  return lines.join('\n');
}
