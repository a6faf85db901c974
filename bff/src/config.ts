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

/** Every setting the BFF reads, with defaults that make the demo work on a fresh clone. */
export const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port.default(8700),
    MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL').default('mongodb://127.0.0.1:27117/'),
    DB_NAME: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'letters, digits, _ and - only').default('linli'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').default(DEV_SECRET),
    INTERNAL_TOKEN: z.string().min(16, 'must be at least 16 characters').default('linli-dev-internal-token'),
    MOCK_HOST_URL: z.string().url().default('http://127.0.0.1:8701'),
    APP_ID: z.string().min(1).default('wx0linli0demo0app'),
    APP_SECRET: z.string().min(1).default('linli-demo-app-secret'),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
    /** Time budget of each part of GET /home; a later part is left out and named in `partial`. */
    HOME_PART_BUDGET_MS: z.coerce.number().int().min(1).max(10_000).default(300),
    /** How old a catalog version read may be when reused (changes made by this instance are seen at once); 0 reads them on every request. */
    CATALOG_STALENESS_MS: z.coerce.number().int().min(0).max(60_000).default(100),
    /** Payments (Pay API v3): merchant id, the 32-byte API v3 key, and where the host sends notifications. */
    PAY_PROVIDER: z.enum(['mock-host']).default('mock-host'),
    PAY_MCH_ID: z.string().min(1).default('1900000109'),
    PAY_API_V3_KEY: z.string().length(32, 'must be exactly 32 characters').default('linliDevApiV3Key0123456789abcdef'),
    PAY_NOTIFY_URL: z.string().url().default('http://127.0.0.1:8700/api/v1/pay/notify'),
    /** PEM of the platform public key; when absent it is fetched from the host by serial and cached. */
    PAY_PLATFORM_PUBLIC_KEY: z.string().optional(),
    PAY_TIMESTAMP_WINDOW_S: z.coerce.number().int().min(1).default(300),
    /** HMAC key of the rotating member code shown at the till. */
    MEMBER_CODE_SECRET: z.string().min(32, 'must be at least 32 characters').default('linli-dev-member-code-key-change-me-0123456789'),
    /** Pickup-voucher signing keys as a JSON map kid → secret; old kids stay to verify until their codes expire. */
    VOUCHER_KEYS: z.string().default(DEV_VOUCHER_KEYS).transform(parseVoucherKeys),
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
  if (!r.success) {
    const vars = [...new Set(r.error.issues.map((i) => String(i.path[0])))];
    const lines = r.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(vars, `Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(r.data);
}
