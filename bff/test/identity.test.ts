import test from 'ava';
import jwt from 'jsonwebtoken';
import { DEMO, loginAs, seedSome, startTestApp, startTestAppWithHost } from './helpers.js';

test('logging in with a host code answers tokens and the user; an unknown openid becomes a new customer', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users']);
  const alice = await loginAs(app, mock, 'demo-alice');
  t.is(alice.user.id, DEMO.alice);
  t.is(alice.user.nickname, '爱丽丝');
  t.deepEqual(alice.user.roles, ['customer']);
  t.regex(alice.refreshToken, /^[A-Za-z0-9_-]{43}$/);

  const before = await app.core.m.User.countDocuments();
  const fresh = await loginAs(app, mock, 'oNewPerson0001');
  t.regex(fresh.user.nickname, /^邻里用户\d{4}$/);
  t.deepEqual(fresh.user.roles, ['customer']);
  const me = await app.api.get('/api/v1/me').set('Authorization', fresh.auth);
  t.is(me.status, 200);
  t.true(me.body.user.avatar.startsWith('data:image/svg+xml'));
  t.is(me.body.user.id, fresh.user.id);
  // A second login of the same person is the same user, not a new one.
  const again = await loginAs(app, mock, 'oNewPerson0001');
  t.is(again.user.id, fresh.user.id);
  t.is(await app.core.m.User.countDocuments(), before + 1);
  t.is((await app.api.get('/api/v1/me')).status, 401);
});

test('a login code works once: reusing it answers 401 LOGIN_CODE_INVALID', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users']);
  const code = mock.loginCode('demo-bob');
  t.is((await app.api.post('/api/v1/auth/login').send({ code })).status, 200);
  const reused = await app.api.post('/api/v1/auth/login').send({ code });
  t.is(reused.status, 401);
  t.is(reused.body.error.code, 'LOGIN_CODE_INVALID');
  const unknown = await app.api.post('/api/v1/auth/login').send({ code: 'not-a-code-the-host-gave' });
  t.is(unknown.status, 401);
});

test('20 parallel logins with one code give exactly one session', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users']);
  const code = mock.loginCode('oRacingLogin');
  const results = await Promise.all(Array.from({ length: 20 }, () => app.api.post('/api/v1/auth/login').send({ code })));
  t.is(results.filter((r) => r.status === 200).length, 1);
  t.true(results.filter((r) => r.status !== 200).every((r) => r.status === 401));
  t.is(await app.core.m.User.countDocuments({ openid: 'oRacingLogin' }), 1);
});

test('forged, expired and wrong-secret access tokens answer 401', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users']);
  const { accessToken } = await loginAs(app, mock, 'demo-alice');
  const me = (token: string) => app.api.get('/api/v1/me').set('Authorization', `Bearer ${token}`);
  t.is((await me(accessToken)).status, 200);

  // Forged: the payload claims admin, the signature is the old one.
  const [header, payload, sig] = accessToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const forged = [header, Buffer.from(JSON.stringify({ ...claims, roles: ['customer', 'admin'] })).toString('base64url'), sig].join('.');
  const f = await me(forged);
  t.is(f.status, 401);
  t.is(f.body.error.code, 'TOKEN_INVALID');
  t.is((await app.api.post('/api/v1/admin/invites').set('Authorization', `Bearer ${forged}`).send({ storeId: 'S001' })).status, 401);

  // Signed with another secret.
  const now = Math.floor(Date.now() / 1000);
  const adminClaims = { roles: ['admin'], storeIds: [], typ: 'access', iat: now, exp: now + 600 };
  const foreign = jwt.sign(adminClaims, 'another-secret-that-is-long-enough-0123456789', { algorithm: 'HS256', subject: DEMO.alice, issuer: 'linli-bff' });
  t.is((await me(foreign)).status, 401);

  // Our own secret, but another HMAC algorithm, another issuer, or no expiry: the algorithm is pinned
  // to HS256 and only our own access tokens count.
  const own = app.config.JWT_SECRET;
  const hs384 = jwt.sign(adminClaims, own, { algorithm: 'HS384', subject: DEMO.alice, issuer: 'linli-bff' });
  t.is((await me(hs384)).status, 401);
  t.is((await me(jwt.sign(adminClaims, own, { algorithm: 'HS256', subject: DEMO.alice, issuer: 'someone-else' }))).status, 401);
  const { exp: _exp, ...forever } = adminClaims;
  t.is((await me(jwt.sign(forever, own, { algorithm: 'HS256', subject: DEMO.alice, issuer: 'linli-bff' }))).status, 401);
  // The same claims signed as we sign are accepted, so the three 401s above are the rule, not the claims.
  t.is((await me(jwt.sign(adminClaims, own, { algorithm: 'HS256', subject: DEMO.alice, issuer: 'linli-bff' }))).status, 200);

  // Unsigned (alg none).
  const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
  t.is((await me(none)).status, 401);

  // Expired: 15 minutes later.
  app.clock.advance(15 * 60 * 1000 + 1000);
  const e = await me(accessToken);
  t.is(e.status, 401);
  t.is(e.body.error.code, 'TOKEN_EXPIRED');
  t.is(e.headers['www-authenticate'], 'Bearer');
});

test('refresh rotates the token; a reused one answers 401 and the newer one stops working too', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users']);
  const first = await loginAs(app, mock, 'demo-carol');
  const refresh = (refreshToken: string) => app.api.post('/api/v1/auth/refresh').send({ refreshToken });

  const second = await refresh(first.refreshToken);
  t.is(second.status, 200);
  t.not(second.body.refreshToken, first.refreshToken);
  t.is(second.body.user.id, DEMO.carol);
  t.is((await app.api.get('/api/v1/me').set('Authorization', `Bearer ${second.body.accessToken}`)).status, 200);

  const third = await refresh(second.body.refreshToken);
  t.is(third.status, 200);

  // The thief replays an old token: 401, and the whole family dies with it.
  const replay = await refresh(first.refreshToken);
  t.is(replay.status, 401);
  t.is(replay.body.error.code, 'REFRESH_TOKEN_REUSED');
  const newest = await refresh(third.body.refreshToken);
  t.is(newest.status, 401);
  t.is(newest.body.error.code, 'REFRESH_TOKEN_REVOKED');

  // Another login is a new family and works.
  const other = await loginAs(app, mock, 'demo-carol');
  t.is((await refresh(other.refreshToken)).status, 200);
  t.is((await refresh('x'.repeat(43))).body.error.code, 'REFRESH_TOKEN_INVALID');
});

test('20 parallel refreshes with one token are reuse: at most one new token is minted and the family ends revoked', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users']);
  const { refreshToken } = await loginAs(app, mock, 'demo-bob');
  const results = await Promise.all(Array.from({ length: 20 }, () => app.api.post('/api/v1/auth/refresh').send({ refreshToken })));
  const winners = results.filter((r) => r.status === 200);
  t.true(winners.length <= 1);
  const codes = results.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body.error.code}`);
  t.is(codes.filter((c) => c === '401 REFRESH_TOKEN_REUSED').length, 19);
  t.true(codes.every((c) => c === '401 REFRESH_TOKEN_REUSED' || c === '401 REFRESH_TOKEN_REVOKED'));
  // Exactly one caller won the use of the token, so at most one successor exists, and it is dead.
  t.is(await app.core.m.RefreshToken.countDocuments({ userId: DEMO.bob, usedAt: { $ne: null } }), 1);
  t.true((await app.core.m.RefreshToken.countDocuments({ userId: DEMO.bob })) <= 2);
  t.truthy((await app.core.m.RefreshFamily.findOne({ userId: DEMO.bob }).lean())?.revokedAt);
  for (const w of winners) t.is((await app.api.post('/api/v1/auth/refresh').send({ refreshToken: w.body.refreshToken })).status, 401);
});

test('refresh tokens expire after 30 days and logout ends the session', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users']);
  const a = await loginAs(app, mock, 'demo-alice');
  const b = await loginAs(app, mock, 'demo-alice');
  t.is((await app.api.post('/api/v1/auth/logout').send({ refreshToken: b.refreshToken })).status, 204);
  t.is((await app.api.post('/api/v1/auth/refresh').send({ refreshToken: b.refreshToken })).body.error.code, 'REFRESH_TOKEN_REVOKED');
  app.clock.advance(30 * 24 * 3600 * 1000 + 1000);
  const expired = await app.api.post('/api/v1/auth/refresh').send({ refreshToken: a.refreshToken });
  t.is(expired.status, 401);
  t.is(expired.body.error.code, 'REFRESH_TOKEN_EXPIRED');
});

test('NoSQL-injection bodies on login and refresh answer 400 and change nothing', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users']);
  await loginAs(app, mock, 'demo-alice');
  const users = await app.core.m.User.countDocuments();
  const tokens = await app.core.m.RefreshToken.countDocuments();
  const used = await app.core.m.RefreshToken.countDocuments({ usedAt: { $ne: null } });
  for (const [path, body] of [
    ['/api/v1/auth/login', { code: { $gt: '' } }],
    ['/api/v1/auth/login', { code: 'abc', extra: 1 }],
    ['/api/v1/auth/refresh', { refreshToken: { $ne: null } }],
    ['/api/v1/auth/refresh', { refreshToken: ['a'] }],
  ] as const) {
    const res = await app.api.post(path).send(body);
    t.is(res.status, 400, JSON.stringify(body));
    t.is(res.body.error.code, 'VALIDATION_FAILED');
  }
  t.is(await app.core.m.User.countDocuments(), users);
  t.is(await app.core.m.RefreshToken.countDocuments(), tokens);
  t.is(await app.core.m.RefreshToken.countDocuments({ usedAt: { $ne: null } }), used);
});

test('an admin invite makes a customer the clerk of its store, once, with a new token carrying the role', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users']);
  const admin = await loginAs(app, mock, 'demo-admin');
  const bob = await loginAs(app, mock, 'demo-bob');
  const carol = await loginAs(app, mock, 'demo-carol');

  const denied = await app.api.post('/api/v1/admin/invites').set('Authorization', bob.auth).send({ storeId: 'S002' });
  t.is(denied.status, 403);
  t.is(denied.body.error.code, 'ROLE_REQUIRED');
  t.is((await app.api.post('/api/v1/admin/invites').set('Authorization', admin.auth).send({ storeId: 'S999' })).status, 404);
  t.is((await app.api.post('/api/v1/admin/invites').set('Authorization', admin.auth).send({ storeId: { $ne: null } })).status, 400);

  const inv = await app.api.post('/api/v1/admin/invites').set('Authorization', admin.auth).send({ storeId: 'S002' });
  t.is(inv.status, 201);
  t.regex(inv.body.code, /^[A-HJ-NP-Z2-9]{10}$/);
  t.is(inv.body.storeId, 'S002');

  const redeemed = await app.api.post(`/api/v1/clerk/invites/${inv.body.code}/redeem`).set('Authorization', bob.auth);
  t.is(redeemed.status, 200);
  t.deepEqual(redeemed.body.user.roles.sort(), ['clerk', 'customer']);
  t.deepEqual(redeemed.body.user.clerkStoreIds, ['S002']);
  const claims = JSON.parse(Buffer.from(redeemed.body.accessToken.split('.')[1], 'base64url').toString());
  t.deepEqual(claims.storeIds, ['S002']);
  t.true(claims.roles.includes('clerk'));
  // Retrying the same redeem is harmless; anyone else is refused.
  t.is((await app.api.post(`/api/v1/clerk/invites/${inv.body.code}/redeem`).set('Authorization', bob.auth)).status, 200);
  const late = await app.api.post(`/api/v1/clerk/invites/${inv.body.code}/redeem`).set('Authorization', carol.auth);
  t.is(late.status, 409);
  t.is(late.body.error.code, 'INVITE_ALREADY_REDEEMED');
  t.deepEqual((await app.core.m.User.findById(DEMO.carol).lean())?.roles, ['customer']);

  // Refreshing also reads the roles as they are now.
  const refreshed = await app.api.post('/api/v1/auth/refresh').send({ refreshToken: bob.refreshToken });
  t.deepEqual(refreshed.body.user.clerkStoreIds, ['S002']);

  t.is((await app.api.post('/api/v1/clerk/invites/ABCDEFGHJK/redeem').set('Authorization', carol.auth)).status, 404);
  t.is((await app.api.post('/api/v1/clerk/invites/%24gt/redeem').set('Authorization', carol.auth)).status, 400);
  const old = await app.api.post('/api/v1/admin/invites').set('Authorization', admin.auth).send({ storeId: 'S003' });
  app.clock.advance(7 * 24 * 3600 * 1000 + 1000);
  const carolNow = await loginAs(app, mock, 'demo-carol');
  const expired = await app.api.post(`/api/v1/clerk/invites/${old.body.code}/redeem`).set('Authorization', carolNow.auth);
  t.is(expired.status, 422);
  t.is(expired.body.error.code, 'INVITE_EXPIRED');
});

test('30 users racing to redeem one invite make exactly one clerk', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users']);
  const admin = await loginAs(app, mock, 'demo-admin');
  const users = await Promise.all(Array.from({ length: 30 }, (_, i) => loginAs(app, mock, `oInviteRacer${i}`)));
  const { body } = await app.api.post('/api/v1/admin/invites').set('Authorization', admin.auth).send({ storeId: 'S001' });
  const results = await Promise.all(users.map((u) => app.api.post(`/api/v1/clerk/invites/${body.code}/redeem`).set('Authorization', u.auth)));
  t.is(results.filter((r) => r.status === 200).length, 1);
  t.is(results.filter((r) => r.status === 409 && r.body.error.code === 'INVITE_ALREADY_REDEEMED').length, 29);
  t.is(await app.core.m.User.countDocuments({ openid: /^oInviteRacer/, roles: 'clerk' }), 1);
});

test('the host access token is fetched once, shared by parallel callers, and renewed before it expires', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  const host = app.core.services.host;
  const tokens = await Promise.all(Array.from({ length: 10 }, () => host.accessToken()));
  t.is(new Set(tokens).size, 1);
  t.is(mock.host.parts.token.issued, 1);
  app.clock.advance((7200 - 5 * 60 - 10) * 1000);
  t.is(await host.accessToken(), tokens[0]);
  t.is(mock.host.parts.token.issued, 1);
  app.clock.advance(20 * 1000);
  const renewed = await host.accessToken();
  t.not(renewed, tokens[0]);
  t.is(mock.host.parts.token.issued, 2);
  t.true(mock.host.parts.token.verify(renewed));

  // The host forgets the token early (its clock ran ahead): the call gets a new token once and succeeds.
  mock.advance(7200 * 1000);
  t.false(mock.host.parts.token.verify(renewed));
  t.deepEqual(await host.getPhoneNumber(mock.phoneCode('oSomeone', '13900000000')), { phone: '13900000000', countryCode: '86' });
  t.is(mock.host.parts.token.issued, 3);
  await t.throwsAsync(host.getPhoneNumber('no-such-code'), { message: /phone code/ });
});

test('when the host cannot be reached, login answers 502 HOST_UNAVAILABLE', async (t) => {
  // Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
  const app = await startTestApp(t, { env: { MOCK_HOST_URL: 'http://127.0.0.1:9' } });
  const res = await app.api.post('/api/v1/auth/login').send({ code: 'abc' });
  t.is(res.status, 502);
  t.is(res.body.error.code, 'HOST_UNAVAILABLE');
});
