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
