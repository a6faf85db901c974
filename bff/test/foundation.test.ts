import test from 'ava';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, ConfigError } from '../src/config.js';
import { startTestApp, testMongoUrl, uniqueDbName } from './helpers.js';

const bffDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function runServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import=tsx', 'src/server.ts'], {
    cwd: bffDir,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /BFF (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    void exited.then(() => reject(new Error(`server exited: ${out}`)));
  });
  listening.catch(() => {}); // awaited only by tests that expect the server to start
  return { child, exited, listening, output: () => out };
}

test('a bad env value is refused at start-up with the name of the variable', async (t) => {
  const srv = runServer({ PORT: 'not-a-port', MONGO_URL: testMongoUrl() });
  const code = await srv.exited;
  t.is(code, 1);
  t.regex(srv.output(), /PORT/);
  t.notRegex(srv.output(), /BFF http/);
});

test('loadConfig names every bad variable and freezes the result', (t) => {
  const err = t.throws(() => loadConfig({ PORT: '-1', JWT_SECRET: 'short' }), { instanceOf: ConfigError });
  t.deepEqual([...(err as ConfigError).variables].sort(), ['JWT_SECRET', 'PORT']);
  const ok = loadConfig({ PORT: '9999' });
  t.is(ok.PORT, 9999);
  t.true(Object.isFrozen(ok));
});

test('production refuses to start with the development JWT secret', (t) => {
  const err = t.throws(() => loadConfig({ NODE_ENV: 'production' }), { instanceOf: ConfigError });
  t.true((err as ConfigError).variables.includes('JWT_SECRET'));
});

test('an unknown route answers 404 in the error format with a request id', async (t) => {
  const { api } = await startTestApp(t);
  const res = await api.get('/api/v1/no-such-thing');
  t.is(res.status, 404);
  t.is(res.body.error.code, 'ROUTE_NOT_FOUND');
  t.is(typeof res.body.error.message, 'string');
  t.regex(res.headers['x-request-id'], /^[0-9a-f-]{36}$/);
});

test('a sane X-Request-Id is kept and echoed', async (t) => {
  const { api } = await startTestApp(t);
  const res = await api.get('/api/v1/healthz').set('X-Request-Id', 'abc-123');
  t.is(res.headers['x-request-id'], 'abc-123');
});

test('malformed JSON answers 400 MALFORMED_JSON', async (t) => {
  const { api } = await startTestApp(t);
  const res = await api.post('/api/v1/stores').set('Content-Type', 'application/json').send('{"lat": 31.2,');
  t.is(res.status, 400);
  t.is(res.body.error.code, 'MALFORMED_JSON');
});

test('stores are listed nearest first with distances', async (t) => {
  const { api } = await startTestApp(t, { seed: true });
  const res = await api.get('/api/v1/stores').query({ lat: 31.23, lng: 121.47 });
  t.is(res.status, 200);
  const stores = res.body.stores as { id: string; distanceM: number; city: string }[];
  t.true(stores.length >= 10);
  t.is(stores[0].city, '上海');
  for (let i = 1; i < stores.length; i++) t.true(stores[i - 1].distanceM <= stores[i].distanceM);
  // At a store's own coordinates, that store is the nearest.
  const hz = await api.get('/api/v1/stores').query({ lat: 30.2594, lng: 120.1302, limit: 3 });
  t.is(hz.body.stores[0].city, '杭州');
  t.is(hz.body.stores[0].distanceM, 0);
  t.is(hz.body.stores.length, 3);
});

test('invalid coordinates answer 400 and name the field', async (t) => {
  const { api } = await startTestApp(t);
  for (const q of [{ lat: 91, lng: 0 }, { lat: 'x', lng: 1 }, { lng: 1 }, { lat: 1, lng: 1, extra: 1 }]) {
    const res = await api.get('/api/v1/stores').query(q);
    t.is(res.status, 400, JSON.stringify(q));
    t.is(res.body.error.code, 'VALIDATION_FAILED');
  }
});

test('SIGTERM during a slow request lets that request complete, then the server exits 0', async (t) => {
  const srv = runServer({ PORT: '0', MONGO_URL: testMongoUrl(), DB_NAME: uniqueDbName(), ALLOW_TEST_CLOCK: '1', NODE_ENV: 'test' });
  const base = await srv.listening;
  const slow = fetch(`${base}/api/v1/internal/sleep?ms=1500`, { headers: { 'X-Internal-Token': 'linli-dev-internal-token' } });
  await new Promise((r) => setTimeout(r, 300));
  srv.child.kill('SIGTERM');
  const res = await slow;
  t.is(res.status, 200);
  t.deepEqual(await res.json(), { slept: 1500 });
  t.is(await srv.exited, 0);
  await t.throwsAsync(fetch(`${base}/api/v1/healthz`));
});
