import { describe, expect, it } from 'vitest';
import { checkSettings } from './settings-check.js';
import { ENVIRONMENTS, maskProfile, maskSecret, resolveSettings } from './settings.js';

const SECRET = 'sck_QOoPSlHDSsgXYeNyTP2i0ug1HKLRjHw9Ug7mCc1Q0';

describe('resolveSettings: flags > env > profile > defaults', () => {
  it('takes each field from the highest layer that sets it and records the source', () => {
    const settings = resolveSettings({
      flags: { cashierId: '1' },
      env: { CASHIER_CHECK_CASHIER_ID: '2', CASHIER_CHECK_SECRET_KEY: 'env-secret', CASHIER_CHECK_WEBHOOK_URL: '' },
      profile: { cashierId: '3', secretKey: 'profile-secret', webhookKey: 'profile-webhook', webhookUrl: 'https://p.example/hook' },
      profileName: 'shop',
    });
    expect(settings).toMatchObject({ cashierId: '1', secretKey: 'env-secret', webhookKey: 'profile-webhook', webhookUrl: 'https://p.example/hook', profileName: 'shop' });
    expect(settings.sources).toMatchObject({ cashierId: 'flag', secretKey: 'env', webhookKey: 'profile', webhookUrl: 'profile', signatureVersion: 'default' });
    expect(settings.apiKey).toBeUndefined();
    expect(settings.sources.apiKey).toBeUndefined();
  });

  it('defaults to sandbox, v2 and the profile named default', () => {
    expect(resolveSettings({})).toMatchObject({
      environment: 'sandbox',
      baseUrl: ENVIRONMENTS.sandbox,
      signatureVersion: 'v2',
      profileName: 'default',
      sources: { environment: 'default', baseUrl: 'default', signatureVersion: 'default' },
    });
  });

  it('a named environment at a higher layer beats a stored custom base URL', () => {
    const settings = resolveSettings({ env: { CASHIER_CHECK_ENV: 'production' }, profile: { environment: 'custom', baseUrl: 'http://127.0.0.1:4010' } });
    expect(settings).toMatchObject({ environment: 'production', baseUrl: ENVIRONMENTS.production, sources: { environment: 'env', baseUrl: 'env' } });
  });

  it('a base URL at a higher layer beats a stored named environment', () => {
    const settings = resolveSettings({ env: { CASHIER_CHECK_BASE_URL: 'http://127.0.0.1:4010/' }, profile: { environment: 'production' } });
    expect(settings).toMatchObject({ environment: 'custom', baseUrl: 'http://127.0.0.1:4010', sources: { baseUrl: 'env' } });
  });

  it('within one layer the explicit base URL wins over the name', () => {
    const settings = resolveSettings({ env: { CASHIER_CHECK_ENV: 'sandbox', CASHIER_CHECK_BASE_URL: 'http://127.0.0.1:9' } });
    expect(settings).toMatchObject({ environment: 'custom', baseUrl: 'http://127.0.0.1:9' });
  });

  it('CASHIER_CHECK_ENV may hold a URL; a URL equal to a named host is that environment', () => {
    expect(resolveSettings({ env: { CASHIER_CHECK_ENV: 'http://localhost:3000' } })).toMatchObject({ environment: 'custom', baseUrl: 'http://localhost:3000' });
    expect(resolveSettings({ env: { CASHIER_CHECK_ENV: `${ENVIRONMENTS.production}/` } })).toMatchObject({ environment: 'production', baseUrl: ENVIRONMENTS.production });
  });

  it('a stored custom profile keeps its base URL', () => {
    expect(resolveSettings({ profile: { environment: 'custom', baseUrl: 'https://test-open.blockatm.net' } })).toMatchObject({ environment: 'custom', baseUrl: 'https://test-open.blockatm.net', sources: { environment: 'profile' } });
  });

  it('does not treat Object.prototype names as environments', () => {
    const settings = resolveSettings({ env: { CASHIER_CHECK_ENV: 'toString' } });
    expect(typeof settings.baseUrl).toBe('string');
    expect(settings.environment).toBe('toString');
  });

  it('flags set the signature version over the profile', () => {
    expect(resolveSettings({ flags: { signatureVersion: 'v1' }, profile: { signatureVersion: 'v2' } })).toMatchObject({ signatureVersion: 'v1', sources: { signatureVersion: 'flag' } });
  });
});

describe('checkSettings: the winning values pass the same validators as init', () => {
  it('cleans values and reports nothing for a good set', () => {
    const { settings, problems } = checkSettings({ env: { CASHIER_CHECK_SECRET_KEY: `  ${SECRET}\n`, CASHIER_CHECK_SIGNATURE_VERSION: 'V1' }, profile: { cashierId: ' 91 ' } });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ secretKey: SECRET, cashierId: '91', signatureVersion: 'v1' });
  });

  it('names the env var, flag or profile field a bad value came from, without echoing secrets', () => {
    const { problems } = checkSettings({
      flags: { cashierId: 'abc' },
      env: { CASHIER_CHECK_SECRET_KEY: `"${SECRET}"`, CASHIER_CHECK_API_KEY: 'pk_has space_in_it', CASHIER_CHECK_ENV: 'staging' },
      profile: { webhookUrl: 'ftp://shop.example/hook', v1PrivateKey: 'not base64!' },
      profileName: 'shop',
    });
    const where = Object.fromEntries(problems.map((problem) => [problem.field, problem.where]));
    expect(where).toEqual({
      cashierId: '--cashier-id',
      secretKey: 'CASHIER_CHECK_SECRET_KEY',
      apiKey: 'CASHIER_CHECK_API_KEY',
      environment: 'CASHIER_CHECK_ENV',
      webhookUrl: 'profile "shop" field webhookUrl',
      v1PrivateKey: 'profile "shop" field v1PrivateKey',
    });
    expect(problems.find((p) => p.field === 'secretKey')?.problem).toContain('quotes');
    expect(problems.find((p) => p.field === 'apiKey')?.problem).toContain('whitespace');
    expect(JSON.stringify(problems)).not.toContain(SECRET);
  });

  it('a custom environment needs a base URL', () => {
    const { problems } = checkSettings({ profile: { environment: 'custom' }, profileName: 'x' });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.problem).toContain('no base URL');
  });

  it('an invalid base URL is named by the variable that held it', () => {
    const { problems } = checkSettings({ env: { CASHIER_CHECK_BASE_URL: 'http://' } });
    expect(problems.map((p) => p.where)).toEqual(['CASHIER_CHECK_BASE_URL']);
  });
});

describe('masking', () => {
  it('shows first 4 and last 4 characters of long secrets and nothing of short ones', () => {
    expect(maskSecret(SECRET)).toBe('sck_…c1Q0');
    expect(maskSecret('short-secret')).toBe('************');
    expect(maskSecret(undefined)).toBe('(not set)');
  });

  it('masks every secret field of a profile and leaves the rest readable', () => {
    const masked = maskProfile({ environment: 'sandbox', cashierId: '91', apiKey: 'pk_payment_my3T68cbuIXf1x3QOEbWtFEfcJPxeBr8wTewDVM', secretKey: SECRET, webhookKey: 'whk_0123456789abcdef', v1PrivateKey: 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg' });
    expect(masked).toEqual({ environment: 'sandbox', cashierId: '91', apiKey: 'pk_p…wDVM', secretKey: 'sck_…c1Q0', webhookKey: 'whk_…cdef', v1PrivateKey: 'MIGH…AQQg' });
  });
});
