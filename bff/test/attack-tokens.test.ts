import test from 'ava';
import jwt from 'jsonwebtoken';
import { loginAs, seedSome, startTestAppWithHost } from './helpers.js';

/** Issue 18, hole 10: access tokens survived logout, and a signed token of a user that does not exist could place an order. */

const ORDER = { storeId: 'S001', items: [{ productId: 'P0001', qty: 1 }] };

test('hole 10: an access token used after logout answers 401, on reads and writes, also when sent in parallel', async (t) => {
  const { app, mock } = await startTestAppWithHost(t, { seed: true });
  const alice = await loginAs(app, mock, 'demo-alice');
  const phone = await loginAs(app, mock, 'demo-alice'); // a second device
  t.is((await app.api.get('/api/v1/me').set('Authorization', alice.auth)).status, 200);

  t.is((await app.api.post('/api/v1/auth/logout').send({ refreshToken: alice.refreshToken })).status, 204);
  const after = await Promise.all([
    ...Array.from({ length: 20 }, () => app.api.get('/api/v1/me').set('Authorization', alice.auth)),
    ...Array.from({ length: 20 }, () => app.api.post('/api/v1/orders').set('Authorization', alice.auth).send(ORDER)),
  ]);
  t.deepEqual([...new Set(after.map((r) => r.status))], [401]);
  t.deepEqual([...new Set(after.map((r) => r.body.error.code))], ['TOKEN_REVOKED']);
  t.is(await app.core.m.Order.countDocuments({ userId: alice.user.id }), 0);
  // The logged-out session cannot refresh; the other device refreshes once and goes on.
  t.is((await app.api.post('/api/v1/auth/refresh').send({ refreshToken: alice.refreshToken })).status, 401);
  t.is((await app.api.get('/api/v1/me').set('Authorization', phone.auth)).status, 401);
  const renewed = await app.api.post('/api/v1/auth/refresh').send({ refreshToken: phone.refreshToken });
  t.is(renewed.status, 200);
  t.is((await app.api.get('/api/v1/me').set('Authorization', `Bearer ${renewed.body.accessToken}`)).status, 200);
});

test('hole 10: a replayed refresh token also ends the access tokens of the stolen session', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users']);
  const bob = await loginAs(app, mock, 'demo-bob');
  const first = await app.api.post('/api/v1/auth/refresh').send({ refreshToken: bob.refreshToken });
  t.is(first.status, 200);
  const thief = `Bearer ${first.body.accessToken}`;
  t.is((await app.api.get('/api/v1/me').set('Authorization', thief)).status, 200);
  t.is((await app.api.post('/api/v1/auth/refresh').send({ refreshToken: bob.refreshToken })).body.error.code, 'REFRESH_TOKEN_REUSED');
  t.is((await app.api.get('/api/v1/me').set('Authorization', thief)).status, 401);
});

test('hole 10: a correctly signed token of a user that does not exist answers 401 and places no order', async (t) => {
  const { app } = await startTestAppWithHost(t, { seed: true });
  const now = Math.floor(app.clock.now().getTime() / 1000);
  const ghost = jwt.sign({ roles: ['customer', 'admin'], storeIds: ['S001'], typ: 'access', iat: now, exp: now + 600 }, app.config.JWT_SECRET, {
    algorithm: 'HS256',
    subject: 'u_nobody-at-all',
    issuer: 'linli-bff',
  });
  const res = await Promise.all(Array.from({ length: 10 }, () => app.api.post('/api/v1/orders').set('Authorization', `Bearer ${ghost}`).send(ORDER)));
  t.deepEqual([...new Set(res.map((r) => r.status))], [401]);
  t.is(res[0].body.error.code, 'TOKEN_INVALID');
  t.is((await app.api.get('/api/v1/deals/D001').set('Authorization', `Bearer ${ghost}`)).status, 401);
  t.is(await app.core.m.Order.countDocuments({ userId: 'u_nobody-at-all' }), 0);
});

test('hole 10: checking tokens stays cheap: 200 parallel reads by one user cost a handful of user reads, not 200', async (t) => {
  const { app, mock } = await startTestAppWithHost(t, { seed: true });
  const carol = await loginAs(app, mock, 'demo-carol');
  let reads = 0;
  const User = app.core.m.User;
  const original = User.findById.bind(User);
  (User as unknown as { findById: typeof User.findById }).findById = ((...args: Parameters<typeof User.findById>) => {
    if (args[1] && typeof args[1] === 'object' && 'tokenVersion' in (args[1] as object)) reads++;
    return original(...args);
  }) as typeof User.findById;
  t.teardown(() => {
    (User as unknown as { findById: typeof User.findById }).findById = original;
  });
  const res = await Promise.all(Array.from({ length: 200 }, () => app.api.get('/api/v1/deals/D001').set('Authorization', carol.auth)));
  t.deepEqual([...new Set(res.map((r) => r.status))], [200]);
  t.true(reads <= 20, `${reads} token-version reads`);
});
