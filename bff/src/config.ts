import { z } from 'zod';

const DEV_SECRET = 'linli-dev-secret-change-me-in-production-0123456789';

const DEV_VOUCHER_SECRET = 'linli-dev-voucher-key-change-me-in-production-0123';
const DEV_VOUCHER_KEYS = JSON.stringify({ dev1: DEV_VOUCHER_SECRET });

/** `{"kid":"secret",…}`: kids are short tokens (they appear inside codes), secrets at least 32 characters. */
function parseVoucherKeys(raw: string, ctx: z.RefinementCtx): Record<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object of kid → secret' });
    return z.NEVER;
  }
  const r = z.record(z.string().regex(/^[A-Za-z0-9_-]{1,16}$/), z.string().min(32)).refine((m) => Object.keys(m).length > 0).safeParse(json);
  if (!r.success) {
    ctx.addIssue({ code: 'custom', message: 'must map kids ([A-Za-z0-9_-]{1,16}) to secrets of at least 32 characters' });
    return z.NEVER;
  }
  return r.data;
}

const port = z.coerce.number().int().min(0).max(65535);

/**
 * The built-in development value of every secret (issue 18, hole 12). Outside development and test
 * each must be set, and to something else; with NODE_ENV unset they are only good on a loopback
 * address (a demo on one machine), never where another machine can reach the BFF.
 */
const DEV_SECRETS = {
  JWT_SECRET: DEV_SECRET,
  INTERNAL_TOKEN: 'linli-dev-internal-token',
  APP_SECRET: 'linli-demo-app-secret',
  PAY_API_V3_KEY: 'linliDevApiV3Key0123456789abcdef',
  MEMBER_CODE_SECRET: 'linli-dev-member-code-key-change-me-0123456789',
  VOUCHER_KEYS: DEV_VOUCHER_KEYS,
} as const;
type SecretName = keyof typeof DEV_SECRETS;
const SECRET_NAMES = Object.keys(DEV_SECRETS) as SecretName[];

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Every setting the BFF reads, with defaults that make the demo work on a fresh clone. */
export const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port.default(8700),
    MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL').default('mongodb://127.0.0.1:27117/'),
    DB_NAME: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'letters, digits, _ and - only').default('linli'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_SECRETS.JWT_SECRET),
    INTERNAL_TOKEN: z.string().min(16, 'must be at least 16 characters').default(DEV_SECRETS.INTERNAL_TOKEN),
    MOCK_HOST_URL: z.string().url().default('http://127.0.0.1:8701'),
    APP_ID: z.string().min(1).default('wx0linli0demo0app'),
    APP_SECRET: z.string().min(1).default(DEV_SECRETS.APP_SECRET),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
    /** Time budget of each part of GET /home; a later part is left out and named in `partial`. */
    HOME_PART_BUDGET_MS: z.coerce.number().int().min(1).max(10_000).default(300),
    /** How old a catalog version read may be when reused (changes made by this instance are seen at once); 0 reads them on every request. */
    CATALOG_STALENESS_MS: z.coerce.number().int().min(0).max(60_000).default(100),
    /** Per user: unpaid orders at once, and units in one order (so at most their product of units held unpaid; issue 18, hole 6). */
    MAX_UNPAID_ORDERS: z.coerce.number().int().min(1).max(1000).default(5),
    MAX_ORDER_UNITS: z.coerce.number().int().min(1).max(10_000).default(40),
    /**
     * Reverse proxies in front of the BFF whose `X-Forwarded-For` entries are believed: 0 (the default)
     * takes the client address from the socket and ignores the header, which a client can write; 1
     * takes the address the nearest proxy appended, and so on. It is what the per-IP SMS limit counts,
     * and whether `X-Forwarded-Host`/`-Proto` give the origin of poster links when SHARE_LINK_BASE is unset.
     */
    TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
    /** Card-binding SMS: per phone a minute and a day, per client IP an hour, per account a day (issue 18, hole 5). */
    SMS_PER_PHONE_PER_MIN: z.coerce.number().int().min(1).default(1),
    SMS_PER_PHONE_PER_DAY: z.coerce.number().int().min(1).default(5),
    SMS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(20),
    SMS_PER_ACCOUNT_PER_DAY: z.coerce.number().int().min(1).default(10),
    /** How long a request may take before its first write; later it is refused with 503 REQUEST_TIMEOUT, having changed nothing (issue 18, hole 7). */
    REQUEST_DEADLINE_MS: z.coerce.number().int().min(1).max(600_000).default(20_000),
    /** How old a user's token-version read may be when reused for another request (a logout here is seen at once); 0 reads it on every request. */
    AUTH_CHECK_STALENESS_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    /** Payments (Pay API v3): merchant id, the 32-byte API v3 key, and where the host sends notifications. */
    PAY_PROVIDER: z.enum(['mock-host']).default('mock-host'),
    PAY_MCH_ID: z.string().min(1).default('1900000109'),
    PAY_API_V3_KEY: z.string().length(32, 'must be exactly 32 characters').default(DEV_SECRETS.PAY_API_V3_KEY),
    PAY_NOTIFY_URL: z.string().url().default('http://127.0.0.1:8700/api/v1/pay/notify'),
    /** PEM of the platform public key; when absent it is fetched from the host by serial and cached. */
    PAY_PLATFORM_PUBLIC_KEY: z.string().optional(),
    PAY_TIMESTAMP_WINDOW_S: z.coerce.number().int().min(1).default(300),
    /** HMAC key of the rotating member code shown at the till. */
    MEMBER_CODE_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_SECRETS.MEMBER_CODE_SECRET),
    /** Pickup-voucher signing keys as a JSON map kid → secret; old kids stay to verify until their codes expire. */
    VOUCHER_KEYS: z.string().default(DEV_SECRETS.VOUCHER_KEYS).transform(parseVoucherKeys),
    VOUCHER_ACTIVE_KID: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/, 'letters, digits, _ and - only').default('dev1'),
    VOUCHER_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
    /** Bad redeem attempts (forged, expired, foreign store) one clerk may make per minute. */
    VOUCHER_BAD_ATTEMPTS_PER_MIN: z.coerce.number().int().min(1).default(10),
    /** Folder of the content-hashed product pictures served at /api/v1/static/products/ (default: bff/static/products). */
    PRODUCT_IMAGES_DIR: z.string().min(1).optional(),
    /** Sharing: where the h5 app is served, for links and poster QR codes (default: the origin the request came through). */
    SHARE_LINK_BASE: z.string().url().optional(),
    /** Sharing: CJK font files for posters, colon-separated (default: the system's Noto Sans CJK). */
    POSTER_FONT_FILES: z.string().optional(),
    /** The chain's cap on one till receipt credited with points, in cents (default ¥2,000). */
    POINTS_RECEIPT_CAP_CENTS: z.coerce.number().int().min(100).max(10_000_000).default(200_000),
    ALLOW_TEST_CLOCK: z
      .enum(['0', '1', 'true', 'false'])
      .default('0')
      .transform((v) => v === '1' || v === 'true'),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && c.JWT_SECRET === DEV_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be set in production' });
    }
    if (!(c.VOUCHER_ACTIVE_KID in c.VOUCHER_KEYS)) {
      ctx.addIssue({ code: 'custom', path: ['VOUCHER_ACTIVE_KID'], message: 'must be a kid of VOUCHER_KEYS' });
    }
    if (c.NODE_ENV === 'production' && Object.values(c.VOUCHER_KEYS).includes(DEV_VOUCHER_SECRET)) {
      ctx.addIssue({ code: 'custom', path: ['VOUCHER_KEYS'], message: 'must not hold the development key in production' });
    }
  });

export type Config = Readonly<z.infer<typeof ConfigSchema>>;

/** Thrown when the environment holds a bad value; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly variables: string[], message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once against the schema and freezes the result. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked: Record<string, string | undefined> = {};
  for (const key of Object.keys(ConfigSchema.innerType().shape)) {
    if (env[key] !== undefined && env[key] !== '') picked[key] = env[key];
  }
  const r = ConfigSchema.safeParse(picked);
  const issues = r.success ? [] : r.error.issues.map((i) => ({ name: String(i.path[0]), message: i.message }));
  issues.push(...secretIssues(picked, r.success ? r.data.HOST : (picked.HOST ?? '127.0.0.1')).filter((i) => !issues.some((o) => o.name === i.name)));
  if (!r.success || issues.length > 0) {
    const vars = [...new Set(issues.map((i) => i.name))];
    const lines = issues.map((i) => `  ${i.name}: ${i.message}`);
    throw new ConfigError(vars, `Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(r.data);
}

/**
 * Hole 12: in production every secret is required and must not be its development value; with
 * NODE_ENV unset, the development values refuse a non-loopback HOST (say NODE_ENV=development to
 * mean it). Development and test keep their defaults, so `npm run demo` and the tests need nothing.
 */
function secretIssues(picked: Record<string, string | undefined>, host: string): { name: string; message: string }[] {
  const env = picked.NODE_ENV;
  const usesDefault = (name: SecretName) => picked[name] === undefined || picked[name] === DEV_SECRETS[name];
  if (env === 'production') {
    const out = SECRET_NAMES.filter(usesDefault).map((name) => ({ name, message: 'must be set in production (and not to the development value)' }));
    const keys = picked.VOUCHER_KEYS;
    if (keys && keys.includes(DEV_VOUCHER_SECRET) && !out.some((i) => i.name === 'VOUCHER_KEYS')) {
      out.push({ name: 'VOUCHER_KEYS', message: 'must not hold the development key in production' });
    }
    return out;
  }
  if (env === undefined && !isLoopback(host)) {
    return SECRET_NAMES.filter(usesDefault).map((name) => ({
      name,
      message: `is the development default, which is only allowed on a loopback HOST while NODE_ENV is unset (HOST is ${host}); set it, or NODE_ENV=development`,
    }));
  }
  return [];
}
