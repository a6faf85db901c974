import { z } from 'zod';

/** Settings of the super-app host emulator. Defaults match the demo's BFF. */
export const MockConfigSchema = z.object({
  MOCK_HOST: z.string().default('127.0.0.1'),
  MOCK_PORT: z.coerce.number().int().min(0).max(65535).default(8701),
  APP_ID: z.string().default('wx0linli0demo0app'),
  APP_SECRET: z.string().default('linli-demo-app-secret'),
  /** Where the host posts payment and refund notifications. */
  NOTIFY_URL: z.string().url().default('http://127.0.0.1:8700/api/v1/pay/notify'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Pay API v3: merchant id and API v3 key shared with the BFF; notification retry back-off. */
  PAY_MCH_ID: z.string().default('1900000109'),
  PAY_API_V3_KEY: z.string().length(32).default('linliDevApiV3Key0123456789abcdef'),
  PAY_NOTIFY_MIN_MS: z.coerce.number().int().min(1).default(1000),
  PAY_NOTIFY_MAX_MS: z.coerce.number().int().min(1).default(60_000),
  PAY_NOTIFY_RETRIES: z.coerce.number().int().min(0).default(15),
  /** How long the host takes to settle a refund before it notifies. */
  PAY_REFUND_DELAY_MS: z.coerce.number().int().min(0).default(200),
});
export type MockConfig = Readonly<z.infer<typeof MockConfigSchema>>;

export function loadMockConfig(env: Record<string, string | undefined> = process.env): MockConfig {
  const picked: Record<string, string> = {};
  for (const k of Object.keys(MockConfigSchema.shape)) if (env[k]) picked[k] = env[k]!;
  const r = MockConfigSchema.safeParse(picked);
  if (!r.success) {
    throw new Error(`Invalid mock host configuration:\n${r.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`).join('\n')}`);
  }
  return Object.freeze(r.data);
}
