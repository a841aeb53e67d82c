import { isProduction, type Settings } from './settings.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True for URLs that stay on this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host) || host.endsWith('.localhost');
}

export const OWN_ENDPOINT_FLAG = '--i-own-this-endpoint';

/**
 * Signed test deliveries and forgeries must not reach a live shop by accident: with a production
 * profile, any non-loopback target needs an explicit confirmation. Returns why it is refused.
 */
export function productionRefusal(settings: Pick<Settings, 'baseUrl'>, target: URL, confirmed: boolean): string | undefined {
  if (confirmed || !isProduction(settings) || isLoopbackUrl(target)) return undefined;
  return `the profile is on production and ${target.origin} may be a live shop`;
}
