import test from 'ava';
import { ConfigError, loadConfig } from '../src/config.js';
import { spawnBff } from './helpers.js';

/** Issue 18, hole 12: built-in development secrets were accepted unless NODE_ENV=production, and some were never checked. */

const SECRETS = ['JWT_SECRET', 'INTERNAL_TOKEN', 'APP_SECRET', 'PAY_API_V3_KEY', 'MEMBER_CODE_SECRET', 'VOUCHER_KEYS'];
const REAL = {
  JWT_SECRET: 'prod-jwt-secret-0123456789-0123456789-0123',
  INTERNAL_TOKEN: 'prod-internal-token-0123456789',
  APP_SECRET: 'prod-app-secret',
  PAY_API_V3_KEY: 'ProdApiV3Key0123456789abcdefABCD',
  MEMBER_CODE_SECRET: 'prod-member-code-secret-0123456789-0123456789',
  VOUCHER_KEYS: JSON.stringify({ p1: 'prod-voucher-key-0123456789-0123456789-0123' }),
  VOUCHER_ACTIVE_KID: 'p1',
};
const variables = (env: Record<string, string>) => {
  const err = (() => {
    try {
      loadConfig(env);
      return null;
    } catch (e) {
      return e;
    }
  })();
  return err instanceof ConfigError ? [...err.variables].sort() : [];
};

test('hole 12: production refuses every missing secret, naming each', (t) => {
  t.deepEqual(variables({ NODE_ENV: 'production' }), [...SECRETS].sort());
  for (const name of SECRETS) {
    const { [name as keyof typeof REAL]: _left, ...rest } = REAL;
    t.deepEqual(variables({ NODE_ENV: 'production', ...rest, ...(name === 'VOUCHER_KEYS' ? { VOUCHER_ACTIVE_KID: 'dev1' } : {}) }), [name], name);
  }
  t.deepEqual(variables({ NODE_ENV: 'production', ...REAL }), []);
});

test('hole 12: production refuses a secret set to its development value', (t) => {
  const dev = loadConfig({ NODE_ENV: 'test' });
  for (const name of ['JWT_SECRET', 'INTERNAL_TOKEN', 'APP_SECRET', 'PAY_API_V3_KEY', 'MEMBER_CODE_SECRET'] as const) {
    t.deepEqual(variables({ NODE_ENV: 'production', ...REAL, [name]: String(dev[name]) }), [name], name);
  }
  const withDevKey = JSON.stringify({ ...dev.VOUCHER_KEYS, p1: 'prod-voucher-key-0123456789-0123456789-0123' });
  t.deepEqual(variables({ NODE_ENV: 'production', ...REAL, VOUCHER_KEYS: withDevKey }), ['VOUCHER_KEYS']);
});

test('hole 12: with NODE_ENV unset, the development secrets refuse a non-loopback address', (t) => {
  t.deepEqual(variables({ HOST: '0.0.0.0' }), [...SECRETS].sort());
  t.deepEqual(variables({ HOST: '10.1.2.3', ...REAL }), []);
  // On this machine only, or said to be development, they still work (npm run demo, the tests).
  for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) t.deepEqual(variables({ HOST: host }), [], host);
  t.deepEqual(variables({ HOST: '0.0.0.0', NODE_ENV: 'development' }), []);
  t.deepEqual(variables({ HOST: '0.0.0.0', NODE_ENV: 'test' }), []);
});

test('hole 12: the BFF process with NODE_ENV unset on 0.0.0.0 and no secrets exits before listening, naming the variables', async (t) => {
  const err = await t.throwsAsync(spawnBff({ NODE_ENV: '', HOST: '0.0.0.0', DB_NAME: 'never_used' }));
  t.regex(err!.message, /exited \(1\) before listening/);
  for (const name of SECRETS) t.regex(err!.message, new RegExp(`${name}: is the development default`));
});
