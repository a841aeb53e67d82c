/** The stored shape of one profile (everything optional: a profile may be half set up). */
export interface Profile {
  environment?: string;
  baseUrl?: string;
  cashierId?: string;
  apiKey?: string;
  secretKey?: string;
  webhookKey?: string;
  webhookUrl?: string;
  signatureVersion?: 'v1' | 'v2';
  /** V1 only: the merchant's EC private key (Base64 PKCS#8 DER) that signs requests. */
  v1PrivateKey?: string;
  /** V1 only: BlockATM's EC public key (Base64 SPKI DER) that verifies webhooks. */
  v1PublicKey?: string;
}

export type ProfileField = keyof Profile;
export const SECRET_FIELDS: readonly ProfileField[] = ['apiKey', 'secretKey', 'webhookKey', 'v1PrivateKey'];

export const ENVIRONMENTS = {
  sandbox: 'https://backstage-b2b-pre.ufcfan.org',
  production: 'https://open.blockatm.net',
} as const;
export type NamedEnvironment = keyof typeof ENVIRONMENTS;

/** Environment variables that set each field (PRODUCT.md). */
export const ENV_VARS: Readonly<Partial<Record<ProfileField, string>>> = {
  environment: 'CASHIER_CHECK_ENV',
  baseUrl: 'CASHIER_CHECK_BASE_URL',
  cashierId: 'CASHIER_CHECK_CASHIER_ID',
  apiKey: 'CASHIER_CHECK_API_KEY',
  secretKey: 'CASHIER_CHECK_SECRET_KEY',
  webhookKey: 'CASHIER_CHECK_WEBHOOK_KEY',
  webhookUrl: 'CASHIER_CHECK_WEBHOOK_URL',
  signatureVersion: 'CASHIER_CHECK_SIGNATURE_VERSION',
  v1PrivateKey: 'CASHIER_CHECK_V1_PRIVATE_KEY',
  v1PublicKey: 'CASHIER_CHECK_V1_PUBLIC_KEY',
};

export type Source = 'flag' | 'env' | 'profile' | 'default';

export interface Settings extends Profile {
  profileName: string;
  environment: string;
  baseUrl: string;
  signatureVersion: 'v1' | 'v2';
  /** Where each set field came from, so errors can say which one to fix. */
  sources: Partial<Record<ProfileField, Source>>;
}

export const DEFAULT_PROFILE = 'default';

/**
 * The one settings resolver: flags, then environment, then the stored profile, then defaults.
 * Pure: callers hand it plain objects.
 */
export function resolveSettings(input: {
  flags?: Profile;
  env?: Record<string, string | undefined>;
  profile?: Profile;
  profileName?: string;
}): Settings {
  const layers: [Source, Profile][] = [
    ['flag', input.flags ?? {}],
    ['env', profileFromEnv(input.env ?? {})],
    ['profile', input.profile ?? {}],
  ];
  const sources: Partial<Record<ProfileField, Source>> = {};
  const merged: Profile = {};
  const fields = Object.keys(ENV_VARS) as ProfileField[];
  for (const field of fields) {
    for (const [source, layer] of layers) {
      const value = layer[field];
      if (value !== undefined && value !== '') {
        (merged as Record<string, string>)[field] = value;
        sources[field] = source;
        break;
      }
    }
  }
  // A base URL given at a higher layer than the environment wins, and vice versa.
  const environment = merged.environment ?? (merged.baseUrl ? 'custom' : 'sandbox');
  const named = ENVIRONMENTS[environment as NamedEnvironment];
  const baseUrlFirst = rank(sources.baseUrl) < rank(sources.environment);
  const baseUrl = (baseUrlFirst || !named ? merged.baseUrl : named) ?? named ?? ENVIRONMENTS.sandbox;
  if (!sources.environment) sources.environment = merged.baseUrl ? sources.baseUrl : 'default';
  if (!sources.baseUrl) sources.baseUrl = 'default';
  if (!sources.signatureVersion) sources.signatureVersion = 'default';
  return {
    ...merged,
    profileName: input.profileName ?? DEFAULT_PROFILE,
    environment: baseUrlFirst && named ? environmentOf(baseUrl) : environment,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    signatureVersion: merged.signatureVersion === 'v1' ? 'v1' : 'v2',
    sources,
  };
}

function rank(source: Source | undefined): number {
  return source === undefined ? 9 : ['flag', 'env', 'profile', 'default'].indexOf(source);
}

/** The named environment a base URL belongs to, or `custom`. */
export function environmentOf(baseUrl: string): string {
  const clean = baseUrl.replace(/\/+$/, '');
  for (const [name, url] of Object.entries(ENVIRONMENTS)) if (url === clean) return name;
  return 'custom';
}

export function profileFromEnv(env: Record<string, string | undefined>): Profile {
  const profile: Profile = {};
  for (const [field, name] of Object.entries(ENV_VARS) as [ProfileField, string][]) {
    const value = env[name];
    if (value !== undefined && value !== '') (profile as Record<string, string>)[field] = value;
  }
  // CASHIER_CHECK_ENV may hold a URL, since PRODUCT.md pairs it with CASHIER_CHECK_BASE_URL.
  if (profile.environment && /^https?:\/\//i.test(profile.environment)) {
    profile.baseUrl ??= profile.environment;
    profile.environment = 'custom';
  }
  return profile;
}

/** Shows a secret as its first 4 and last 4 characters. */
export function maskSecret(secret: string | undefined): string {
  if (secret === undefined || secret === '') return '(not set)';
  if (secret.length <= 12) return '*'.repeat(Math.max(4, secret.length));
  return `${secret.slice(0, 4)}…${secret.slice(-4)}`;
}

export function isProduction(settings: Pick<Settings, 'baseUrl'>): boolean {
  return environmentOf(settings.baseUrl) === 'production';
}
