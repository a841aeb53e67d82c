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

/** How each field is named in the dashboard and in messages, so errors speak the user's words. */
export const FIELD_LABELS: Readonly<Record<ProfileField, string>> = {
  environment: 'environment',
  baseUrl: 'base URL',
  cashierId: 'Cashier Desk ID',
  apiKey: 'API key',
  secretKey: 'secret key',
  webhookKey: 'Webhook key',
  webhookUrl: 'Webhook URL',
  signatureVersion: 'signature version',
  v1PrivateKey: 'V1 private key',
  v1PublicKey: 'V1 BlockATM public key',
};
export const PROFILE_FIELDS: readonly ProfileField[] = [
  'environment',
  'baseUrl',
  'cashierId',
  'apiKey',
  'secretKey',
  'webhookKey',
  'webhookUrl',
  'signatureVersion',
  'v1PrivateKey',
  'v1PublicKey',
];
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
 * Pure: callers hand it plain objects. Values are taken as given; `checkSettings` validates them.
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
  for (const field of PROFILE_FIELDS) {
    if (field === 'environment' || field === 'baseUrl') continue;
    for (const [source, layer] of layers) {
      const value = layer[field];
      if (typeof value === 'string' && value !== '') {
        (merged as Record<string, string>)[field] = value;
        sources[field] = source;
        break;
      }
    }
  }
  const target = resolveTarget(layers);
  sources.environment = target.source;
  sources.baseUrl = target.source;
  sources.signatureVersion ??= 'default';
  return {
    ...merged,
    profileName: input.profileName ?? DEFAULT_PROFILE,
    environment: target.environment,
    baseUrl: target.baseUrl,
    signatureVersion: merged.signatureVersion?.trim().toLowerCase() === 'v1' ? 'v1' : 'v2',
    sources,
  };
}

/**
 * Where API calls go. The highest layer that names an environment or a base URL decides; within
 * one layer an explicit base URL wins over a name, being the more specific of the two. A name
 * the tool does not know is kept as given (with the sandbox URL) for `checkSettings` to reject.
 */
function resolveTarget(layers: [Source, Profile][]): { environment: string; baseUrl: string; source: Source } {
  for (const [source, layer] of layers) {
    const baseUrl = layer.baseUrl?.trim();
    if (baseUrl) {
      const clean = baseUrl.replace(/\/+$/, '');
      return { environment: environmentOf(clean), baseUrl: clean, source };
    }
    const name = layer.environment?.trim().toLowerCase();
    if (name && name !== 'custom') {
      const known = namedEnvironment(name);
      return known ? { environment: known, baseUrl: ENVIRONMENTS[known], source } : { environment: layer.environment!.trim(), baseUrl: ENVIRONMENTS.sandbox, source };
    }
    if (name === 'custom') return { environment: 'custom', baseUrl: '', source };
  }
  return { environment: 'sandbox', baseUrl: ENVIRONMENTS.sandbox, source: 'default' };
}

/** `sandbox`, `production` (or `prod`), or undefined for anything else. */
export function namedEnvironment(name: string): NamedEnvironment | undefined {
  const text = name.trim().toLowerCase();
  if (text === 'prod') return 'production';
  return Object.hasOwn(ENVIRONMENTS, text) ? (text as NamedEnvironment) : undefined;
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
  if (profile.environment && /^https?:\/\//i.test(profile.environment.trim())) {
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

/** A profile fit to print: secrets (and the long V1 public key) shown as first 4 and last 4. */
export function maskProfile(profile: Profile): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const field of PROFILE_FIELDS) {
    const value = profile[field];
    if (value === undefined || value === '') continue;
    shown[field] = SECRET_FIELDS.includes(field) || field === 'v1PublicKey' ? maskSecret(value) : value;
  }
  return shown;
}
