import type { SignOutcome } from '../core/sign-payload.js';
import type { WebhookVerification } from '../core/webhook-signature.js';
import type { SignedUrl } from '../core/url-signing.js';
import type { Theme } from './theme.js';

export function renderSigned(theme: Theme, signed: SignOutcome): string {
  return [
    `${theme.dim('string to sign')}  ${signed.stringToSign}`,
    `${theme.dim('signature     ')}  ${theme.bold(signed.signature)}`,
    `${theme.dim('algorithm     ')}  ${signed.algorithm} with the ${signed.keyName}, ${signed.recipe} recipe`,
  ].join('\n');
}

export function renderVerification(theme: Theme, result: WebhookVerification): string {
  const lines = [`${result.valid ? theme.verdict('pass') : theme.verdict('fail')}  ${result.reason}`];
  for (const attempt of result.tried) {
    lines.push(`  ${theme.dim(`${attempt.recipe.padEnd(6)} string to sign:`)} ${attempt.stringToSign ?? theme.error(attempt.error ?? '')}`);
  }
  for (const warning of result.warnings) lines.push(`  ${theme.warn('note:')} ${warning}`);
  return lines.join('\n');
}

export function renderSignedUrl(theme: Theme, signed: SignedUrl): string {
  return [
    theme.bold(signed.url),
    `${theme.dim('string to sign')}  ${signed.stringToSign}`,
    `${theme.dim('signature     ')}  ${signed.signature}  ${theme.dim('(HMAC-SHA256 with the secret key)')}`,
  ].join('\n');
}
