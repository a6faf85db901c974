import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { buildAll } from '../build.js';
import { FUNCTIONS_ROOT, functionNames } from '../functions.js';
import type { LoginResult } from '../login/index.js';
import { invoke, makeContext, timerEvent } from '../runner.js';

test('login answers the identity the host attached to the call', async (t) => {
  const r = await invoke<LoginResult>('login', { userInfo: { openId: 'someone-else' } }, { openid: 'demo-bob', unionid: 'union-bob', source: 'wx_client' });
  t.deepEqual(r, { openid: 'demo-bob', appid: 'wx0linli0demo0app', unionid: 'union-bob', env: 'linli-local', source: 'wx_client' });
});

test('login refuses a call that carries no user, such as a timer', async (t) => {
  await t.throwsAsync(invoke('login', { Type: 'Timer', TriggerName: 'x', Time: '', Message: '' }), { message: /no OPENID/ });
  await t.throwsAsync(invoke('login', {}, { openid: null }), { message: /no OPENID/ });
});

test('the runner gives a realistic context and each timer function its trigger event', (t) => {
  const ctx = makeContext('login', {}, { env: { BFF_URL: 'http://x:1', INTERNAL_TOKEN: 'a=b' } });
  t.like(ctx, { FUNCTION_NAME: 'login', OPENID: 'demo-alice', APPID: 'wx0linli0demo0app', SOURCE: 'wx_devtools', function_name: 'login', time_limit_in_ms: 60_000 });
  t.is(ctx.environ, 'BFF_URL=http://x:1;INTERNAL_TOKEN=a=b');
  t.true(ctx.getRemainingTimeInMillis() > 59_000);
  t.like(timerEvent('sweeper'), { Type: 'Timer', TriggerName: 'everyMinute' });
  t.like(timerEvent('dispatch-messages'), { Type: 'Timer', TriggerName: 'everyMinute' });
  t.is(timerEvent('login'), undefined);
  t.deepEqual(functionNames(), ['dispatch-messages', 'login', 'sweeper']);
  t.like(makeContext('sweeper', timerEvent('sweeper')), { SOURCE: 'wx_trigger', OPENID: undefined });
});

test('every function has a config.json, and the timers fire every minute', (t) => {
  for (const name of ['sweeper', 'dispatch-messages']) {
    const config = JSON.parse(readFileSync(path.join(FUNCTIONS_ROOT, name, 'config.json'), 'utf8'));
    t.deepEqual(config.triggers, [{ name: 'everyMinute', type: 'timer', config: '0 */1 * * * * *' }], name);
  }
});

test('the build emits CommonJS bundles the runtime loads, and they run like the source', async (t) => {
  const files = await buildAll();
  t.deepEqual(files.map((f) => path.relative(FUNCTIONS_ROOT, f)).sort(), ['dispatch-messages/dist/index.js', 'login/dist/index.js', 'sweeper/dist/index.js']);
  for (const f of files) {
    const dir = path.dirname(f);
    const src = readFileSync(f, 'utf8');
    t.regex(src, /module\.exports/);
    t.notRegex(src, /^import /m, 'no ESM imports left in the bundle');
    t.like(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')), { main: 'index.js', type: 'commonjs' });
    t.true(existsSync(path.join(dir, 'config.json')));
  }
  const r = await invoke<LoginResult>('login', {}, { dist: true, openid: 'demo-carol' });
  t.is(r.openid, 'demo-carol');
});
