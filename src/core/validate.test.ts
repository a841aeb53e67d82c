import { describe, expect, it } from 'vitest';
import { parseHttpUrl, validateEnvironment, validateWebhookUrl } from './validate.js';

const errorOf = (result: { ok: boolean; error?: string }): string => (result.ok ? '' : (result.error ?? ''));

describe('validateEnvironment', () => {
  it('accepts the named environments and absolute base URLs', () => {
    expect(validateEnvironment('sandbox')).toEqual({ ok: true, value: { environment: 'sandbox' } });
    expect(validateEnvironment(' prod ')).toEqual({ ok: true, value: { environment: 'production' } });
    expect(validateEnvironment('http://127.0.0.1:4010/')).toEqual({ ok: true, value: { environment: 'custom', baseUrl: 'http://127.0.0.1:4010' } });
  });

  it('suggests the scheme when a host and port is typed without one', () => {
    for (const typed of ['localhost:4010', '127.0.0.1:4010', 'api.example.com']) {
      const error = errorOf(validateEnvironment(typed));
      expect(error).toContain(`http://${typed}`);
      expect(error).not.toMatch(/uses \w+:/);
    }
  });

  it('names the choices for an unknown word, with a base-URL example rather than a webhook one', () => {
    const error = errorOf(validateEnvironment('staging'));
    expect(error).toMatch(/"staging"/);
    expect(error).toMatch(/sandbox.*production/);
    expect(error).toContain('http://127.0.0.1:4010');
    expect(error).not.toContain('webhook');
  });

  it('still refuses other schemes', () => {
    expect(errorOf(validateEnvironment('ftp://example.com'))).toMatch(/only http:\/\/ and https:\/\//);
  });
});

describe('parseHttpUrl and validateWebhookUrl', () => {
  it('suggest the scheme for a scheme-less host', () => {
    expect(errorOf(parseHttpUrl('shop.example.com/webhook'))).toContain('https://shop.example.com/webhook');
    expect(errorOf(validateWebhookUrl('localhost:3000/hook'))).toContain('http://localhost:3000/hook');
  });

  it('keep the webhook example for text that is no URL at all', () => {
    expect(errorOf(parseHttpUrl('not a url'))).toMatch(/not an absolute URL/);
  });
});
