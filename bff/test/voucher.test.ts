import test from 'ava';
import http from 'node:http';
import supertest from 'supertest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/common/logger.js';
import { signVoucherCode, verifyVoucherCode } from '../src/modules/voucher/voucher.codec.js';
import { DEMO, startTestApp, tokenFor, type TestApp } from './helpers.js';
import { clerk, insertOrder, orderDoc, smallWorld } from './voucher-fixtures.js';

async function start(t: Parameters<typeof startTestApp>[0], env?: Record<string, string>) {
  const app = await startTestApp(t, { env });
  await smallWorld(app);
  return app;
}

const REDEEM = '/api/v1/clerk/vouchers/redeem';
const K1 = 'k1-secret-0123456789-0123456789-0123456789';
const K2 = 'k2-secret-9876543210-9876543210-9876543210';

async function issued(app: TestApp, storeId = 'S001') {
  const id = await insertOrder(app, { storeId });
  const v = await app.core.services.voucher.forOrder({ _id: id, status: 'awaiting_pickup' });
  if (!v) throw new Error('no voucher');
  return { id, ...v };
}

/** A second BFF instance on the same database, as after a redeploy with other settings. */
async function instanceOn(t: Parameters<typeof startTestApp>[0], app: TestApp, env: Record<string, string>) {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', MONGO_URL: app.config.MONGO_URL, DB_NAME: app.dbName, ...env });
  const { app: koa, core } = await createApp(config, { conn: app.core.conn, clock: app.clock, logger: createLogger('silent') });
  const server = http.createServer(koa.callback());
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  return { api: supertest(server), core, token: (u: Parameters<typeof tokenFor>[1]) => tokenFor({ ...app, config, core } as TestApp, u) };
}

test('an order awaiting pickup gets one voucher: signed code, 12-digit short code, QR data URI, expiry', async (t) => {
  const app = await start(t);
  const id = await insertOrder(app);
  const all = await Promise.all(Array.from({ length: 20 }, () => app.core.services.voucher.ensureFor(id)));
  t.is(new Set(all.map((v) => v!.code)).size, 1);
  t.is(await app.core.m.Voucher.countDocuments({ _id: id }), 1);

  const v = await app.core.services.voucher.forOrder({ _id: id, status: 'awaiting_pickup' });
  t.truthy(v);
  t.regex(v!.shortCode, /^\d{12}$/);
  t.regex(v!.code, new RegExp(`^LV1\\.dev1\\.${id}\\.S001\\.\\d+\\.[A-Za-z0-9_-]{43}$`));
  t.true(v!.qr.startsWith('data:image/png;base64,'));
  const days = (Date.parse(v!.expiresAt) - app.clock.now().getTime()) / 86_400_000;
  t.true(days > 6.9 && days <= 7);
  // The same voucher every time the order is shown.
  t.deepEqual(await app.core.services.voucher.forOrder({ _id: id, status: 'awaiting_pickup' }), v);
});

test('an order that does not await pickup gets no voucher', async (t) => {
  const app = await start(t);
  for (const status of ['pending_payment', 'paid', 'grouping', 'cancelled'] as const) {
    const id = await insertOrder(app, { status });
    t.is(await app.core.services.voucher.ensureFor(id), null);
    t.is(await app.core.services.voucher.forOrder({ _id: id, status }), null);
  }
  t.is(await app.core.services.voucher.ensureFor('o_missing'), null);
  t.is(await app.core.m.Voucher.countDocuments({}), 0);
});

test('codes and short codes of different orders share nothing guessable', async (t) => {
  const app = await start(t);
  const vs = await Promise.all(Array.from({ length: 40 }, () => issued(app)));
  t.is(new Set(vs.map((v) => v.shortCode)).size, 40);
  const macs = vs.map((v) => v.code.split('.')[5]);
  t.is(new Set(macs).size, 40);
  // Short codes are not sequential: sorted neighbours are far apart.
  const sorted = vs.map((v) => Number(v.shortCode)).sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) t.true(sorted[i] - sorted[i - 1] > 1000);
});

test('a clerk of the store redeems by QR code or by short code; the order is picked up with history', async (t) => {
  const app = await start(t);
  const c = await clerk(app, 'u_clerk_a', ['S001'], '店员小李');
  const a = await issued(app);
  const res = await app.api.post(REDEEM).set('Authorization', c.auth).send({ code: a.code });
  t.is(res.status, 200, JSON.stringify(res.body));
  t.is(res.body.order.id, a.id);
  t.is(res.body.order.status, 'picked_up');
  t.is(res.body.order.customerNickname, '爱丽丝');
  t.is(res.body.order.items.length, 2);
  const o = await orderDoc(app, a.id);
  t.is(o!.status, 'picked_up');
  t.truthy(o!.pickedUpAt);
  t.like(o!.history.at(-1), { from: 'awaiting_pickup', to: 'picked_up', actor: { type: 'clerk', id: 'u_clerk_a' } });

  const b = await issued(app);
  const typed = `${b.shortCode.slice(0, 4)} ${b.shortCode.slice(4, 8)}-${b.shortCode.slice(8)}`;
  const res2 = await app.api.post(REDEEM).set('Authorization', c.auth).send({ code: typed });
  t.is(res2.status, 200, JSON.stringify(res2.body));
  t.is((await orderDoc(app, b.id))!.status, 'picked_up');
  // Once picked up, the order shows no voucher.
  t.is(await app.core.services.voucher.forOrder({ _id: b.id, status: 'picked_up' }), null);
});

test('the same voucher redeemed 50 times in parallel by clerks of its store succeeds exactly once', async (t) => {
  const app = await start(t);
  const clerks = await Promise.all(Array.from({ length: 5 }, (_, i) => clerk(app, `u_clerk_${i}`, ['S001'], `店员${i}`)));
  const v = await issued(app);
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) => app.api.post(REDEEM).set('Authorization', clerks[i % 5].auth).send({ code: i % 2 ? v.code : v.shortCode })),
  );
  const ok = results.filter((r) => r.status === 200);
  t.is(ok.length, 1);
  const replays = results.filter((r) => r.status === 409);
  t.is(replays.length, 49);
  const winner = (await orderDoc(app, v.id))!.history.filter((h: { to: string }) => h.to === 'picked_up');
  t.is(winner.length, 1);
  for (const r of replays) {
    t.is(r.body.error.code, 'VOUCHER_ALREADY_REDEEMED');
    t.is(r.body.error.details.redeemedById, winner[0].actor.id);
    t.regex(r.body.error.details.redeemedBy, /^店员\d$/);
    t.is(r.body.error.details.redeemedAt, (await orderDoc(app, v.id))!.pickedUpAt!.toISOString());
  }
  const audit = await app.core.m.VoucherAudit.find({ orderId: v.id }).lean();
  t.is(audit.length, 50);
  t.is(audit.filter((a) => a.outcome === 'redeemed').length, 1);
  t.is(audit.filter((a) => a.outcome === 'already_redeemed').length, 49);
  for (const a of audit) t.false(a.codeFingerprint.includes(v.shortCode) || v.code.includes(a.codeFingerprint));
});

test('a later replay answers 409 with when and by whom, and changes nothing', async (t) => {
  const app = await start(t);
  const c = await clerk(app, 'u_clerk_w', ['S001'], '店员小王');
  const v = await issued(app);
  t.is((await app.api.post(REDEEM).set('Authorization', c.auth).send({ code: v.code })).status, 200);
  const before = await orderDoc(app, v.id);
  app.clock.advance(3_600_000);
  const later = await clerk(app, 'u_clerk_w2', ['S001']);
  const res = await app.api.post(REDEEM).set('Authorization', later.auth).send({ code: v.shortCode });
  t.is(res.status, 409);
  t.like(res.body.error, { code: 'VOUCHER_ALREADY_REDEEMED', details: { orderId: v.id, redeemedBy: '店员小王', redeemedAt: before!.pickedUpAt!.toISOString() } });
  t.deepEqual(await orderDoc(app, v.id), before);
});

test('a clerk of S002 cannot redeem an S001 voucher', async (t) => {
  const app = await start(t);
  const other = await clerk(app, 'u_clerk_s2', ['S002']);
  const v = await issued(app, 'S001');
  for (const code of [v.code, v.shortCode]) {
    const res = await app.api.post(REDEEM).set('Authorization', other.auth).send({ code });
    t.is(res.status, 403);
    t.is(res.body.error.code, 'WRONG_STORE');
  }
  t.is((await orderDoc(app, v.id))!.status, 'awaiting_pickup');
  t.is(await app.core.m.VoucherAudit.countDocuments({ clerkId: 'u_clerk_s2', outcome: 'wrong_store', storeId: 'S001' }), 2);
});

test('a customer cannot call the clerk routes, and nobody can without a token', async (t) => {
  const app = await start(t);
  const v = await issued(app);
  const customer = `Bearer ${await tokenFor(app, { id: DEMO.alice, roles: ['customer'], storeIds: ['S001'] })}`;
  const calls = [
    () => app.api.post(REDEEM).send({ code: v.code }),
    () => app.api.get('/api/v1/clerk/orders').query({ storeId: 'S001' }),
    () => app.api.post(`/api/v1/clerk/orders/${v.id}/ready`),
    () => app.api.get('/api/v1/clerk/audit').query({ storeId: 'S001' }),
  ];
  for (const call of calls) {
    t.is((await call()).status, 401);
    const res = await call().set('Authorization', customer);
    t.is(res.status, 403);
    t.is(res.body.error.code, 'ROLE_REQUIRED');
  }
  const o = await orderDoc(app, v.id);
  t.is(o!.status, 'awaiting_pickup');
  t.is(o!.readyAt, null);
});

test('a voucher of a cancelled or refunded order cannot be redeemed', async (t) => {
  const app = await start(t);
  const c = await clerk(app, 'u_clerk_c', ['S001']);
  for (const status of ['refunding', 'refunded', 'cancelled'] as const) {
    const v = await issued(app);
    await app.core.m.Order.updateOne({ _id: v.id }, { $set: { status } });
    for (const code of [v.code, v.shortCode]) {
      const res = await app.api.post(REDEEM).set('Authorization', c.auth).send({ code });
      t.is(res.status, 409);
      t.like(res.body.error, { code: 'ORDER_NOT_REDEEMABLE', details: { status } });
    }
    t.is((await orderDoc(app, v.id))!.status, status);
  }
});

test('an expired voucher answers 410 and stays unredeemed', async (t) => {
  const app = await start(t, { VOUCHER_TTL_HOURS: '2' });
  const c = await clerk(app, 'u_clerk_e', ['S001']);
  const v = await issued(app);
  app.clock.advance(2 * 3_600_000 + 1000);
  const auth = (await clerk(app, c.id, c.storeIds)).auth;
  for (const code of [v.code, v.shortCode]) {
    const res = await app.api.post(REDEEM).set('Authorization', auth).send({ code });
    t.is(res.status, 410);
    t.is(res.body.error.code, 'VOUCHER_EXPIRED');
  }
  t.is((await orderDoc(app, v.id))!.status, 'awaiting_pickup');
});

test('forged, tampered and injected codes answer 400', async (t) => {
  const app = await start(t);
  const c = await clerk(app, 'u_clerk_f', ['S001']);
  const v = await issued(app);
  const [, kid, orderId, storeId, exp, mac] = v.code.split('.');
  const bad = [
    `LV1.${kid}.${orderId}.${storeId}.${Number(exp) + 86400}.${mac}`,
    `LV1.${kid}.${orderId}.S002.${exp}.${mac}`,
    `LV1.${kid}.${orderId}.${storeId}.${exp}.${signVoucherCode({ kid, orderId, storeId, exp: Number(exp) }, 'a-guessed-secret-that-is-long-enough-0000').split('.')[5]}`,
    `LV1.nokey.${orderId}.${storeId}.${exp}.${mac}`,
    `LV2.${kid}.${orderId}.${storeId}.${exp}.${mac}`,
    `${v.code}.x`,
    v.code.slice(0, -1),
    '000000000000',
  ];
  for (const code of bad) {
    const res = await app.api.post(REDEEM).set('Authorization', c.auth).send({ code });
    t.is(res.status, 400, code);
    t.is(res.body.error.code, 'VOUCHER_INVALID');
  }
  for (const body of [{ code: { $gt: '' } }, {}, { code: v.code, extra: 1 }, { code: 'x'.repeat(300) }]) {
    const res = await app.api.post(REDEEM).set('Authorization', c.auth).send(body);
    t.is(res.status, 400);
    t.is(res.body.error.code, 'VALIDATION_FAILED');
  }
  t.is((await orderDoc(app, v.id))!.status, 'awaiting_pickup');
  t.is(await app.core.m.VoucherAudit.countDocuments({ outcome: 'invalid' }), bad.length);
});

test('10,000 random or mutated codes redeem nothing', async (t) => {
  const app = await start(t, { VOUCHER_BAD_ATTEMPTS_PER_MIN: '1000000' });
  const s1 = await Promise.all(Array.from({ length: 10 }, () => issued(app, 'S001')));
  const s2 = await Promise.all(Array.from({ length: 10 }, () => issued(app, 'S002')));
  const real = s1[0];
  const codes: string[] = [];
  // Every single-bit flip of every character of a real code.
  for (let i = 0; i < real.code.length; i++) {
    for (let b = 0; b < 7; b++) codes.push(real.code.slice(0, i) + String.fromCharCode(real.code.charCodeAt(i) ^ (1 << b)) + real.code.slice(i + 1));
  }
  // Other stores' genuine codes with the store, the order or the expiry changed.
  for (const o of s2) {
    const p = o.code.split('.');
    codes.push([p[0], p[1], p[2], 'S001', p[4], p[5]].join('.'));
    codes.push([p[0], p[1], real.id, p[3], p[4], p[5]].join('.'));
    codes.push([p[0], p[1], p[2], 'S001', String(Number(p[4]) + 1), p[5]].join('.'));
    codes.push([p[0], p[1], s1[1].id, 'S001', p[4], p[5]].join('.'));
  }
  // Splices: the signature of one voucher on the claims of another.
  for (const a of s1) for (const b of s1) if (a !== b) codes.push([...a.code.split('.').slice(0, 5), b.code.split('.')[5]].join('.'));
  // Short codes of neighbouring numbers.
  const issuedShort = new Set([...s1, ...s2].map((v) => v.shortCode));
  for (const v of s1) {
    for (let d = 1; codes.length < 8000 && d <= 250; d++) {
      for (const n of [Number(v.shortCode) + d, Number(v.shortCode) - d]) {
        const sc = String(n).padStart(12, '0');
        if (n >= 0 && n < 1e12 && !issuedShort.has(sc)) codes.push(sc);
      }
    }
  }
  // Random short codes and random QR-shaped codes.
  const rnd = (n: number) => Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[Math.floor(Math.random() * 64)]).join('');
  while (codes.length < 10_000) {
    codes.push(codes.length % 2 ? String(Math.floor(Math.random() * 1e12)).padStart(12, '0') : `LV1.dev1.${real.id}.S001.${real.code.split('.')[4]}.${rnd(43)}`);
  }
  t.is(codes.length, 10_000);

  // All 10,000 through the reading redeem uses; 1,000 of them through a whole redeem (700 at the
  // service level, 300 over HTTP), with audit and rate limiting.
  const inspected = await Promise.allSettled(codes.map((code) => app.core.services.voucher.inspect(code)));
  const accepted = inspected.filter((r) => r.status === 'fulfilled');
  t.is(accepted.length, 0, JSON.stringify(accepted.slice(0, 3)));
  for (const r of inspected) t.is(((r as PromiseRejectedResult).reason as { code?: string }).code, 'VOUCHER_INVALID');

  const clerks = await Promise.all(['S001', 'S002'].map((s, i) => clerk(app, `u_fuzz_${i}`, [s])));
  const whole = codes.filter((_, i) => i % 10 === 0);
  const byHttp = whole.filter((_, i) => i % 10 < 3);
  const byService = whole.filter((_, i) => i % 10 >= 3);
  const statuses = new Map<number, number>();
  const count = (s: number) => statuses.set(s, (statuses.get(s) ?? 0) + 1);
  const users = clerks.map((c) => ({ id: c.id, roles: c.roles, storeIds: c.storeIds }));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < byService.length) {
        const code = byService[next++];
        try {
          await app.core.services.voucher.redeem(users[next % 2], code);
          count(200);
        } catch (err) {
          count((err as { status?: number }).status ?? 500);
        }
      }
    }),
  );
  const res = await Promise.all(byHttp.map((code, i) => app.api.post(REDEEM).set('Authorization', clerks[i % 2].auth).send({ code })));
  for (const r of res) count(r.status);
  t.is(byHttp.length, 300);
  t.is(byService.length, 700);

  t.is(statuses.get(200), undefined, JSON.stringify([...statuses]));
  t.is(statuses.get(500), undefined);
  t.deepEqual([...statuses], [[400, 1000]]);
  const moved = await app.core.m.Order.countDocuments({ status: { $ne: 'awaiting_pickup' } });
  t.is(moved, 0);
  t.is(await app.core.m.VoucherAudit.countDocuments({ outcome: 'invalid' }), 1000);
  t.is(await app.core.m.VoucherAudit.countDocuments({ outcome: 'redeemed' }), 0);
  // The real codes still work afterwards.
  t.is((await app.api.post(REDEEM).set('Authorization', clerks[0].auth).send({ code: real.code })).status, 200);
});

test('repeated bad attempts by one clerk are rate limited across parallel requests, per clerk', async (t) => {
  const app = await start(t, { VOUCHER_BAD_ATTEMPTS_PER_MIN: '5' });
  // Start just after a minute begins, so the burst stays inside one window.
  app.clock.advance(60_000 - (app.clock.now().getTime() % 60_000) + 500);
  const c = await clerk(app, 'u_clerk_r', ['S001']);
  const other = await clerk(app, 'u_clerk_r2', ['S001']);
  const v = await issued(app);
  const res = await Promise.all(Array.from({ length: 40 }, (_, i) => app.api.post(REDEEM).set('Authorization', c.auth).send({ code: String(100000000000 + i) })));
  t.is(res.filter((r) => r.status === 400).length, 5);
  t.is(res.filter((r) => r.status === 429).length, 35);
  t.is(res.find((r) => r.status === 429)!.body.error.code, 'RATE_LIMITED');
  // Locked out for this minute, even with a good code; another clerk is not.
  t.is((await app.api.post(REDEEM).set('Authorization', c.auth).send({ code: v.code })).status, 429);
  t.is(await app.core.m.VoucherAudit.countDocuments({ clerkId: c.id, outcome: 'rate_limited' }), 36);
  t.is((await app.api.post(REDEEM).set('Authorization', other.auth).send({ code: v.code })).status, 200);
  // A new minute, a new window.
  app.clock.advance(60_000);
  t.is((await app.api.post(REDEEM).set('Authorization', c.auth).send({ code: '999999999999' })).status, 400);
  t.is((await app.core.m.VoucherFailure.findById(`${c.id}:${Math.floor(app.clock.now().getTime() / 60_000)}`).lean())?.n, 1);
  // Good attempts and replays do not use up the allowance.
  for (let i = 0; i < 8; i++) t.is((await app.api.post(REDEEM).set('Authorization', other.auth).send({ code: v.code })).status, 409);
});

test('40 parallel genuine redemptions by one clerk all succeed, and the next genuine one too', async (t) => {
  const app = await start(t, { VOUCHER_BAD_ATTEMPTS_PER_MIN: '10' });
  app.clock.advance(60_000 - (app.clock.now().getTime() % 60_000) + 500);
  const c = await clerk(app, 'u_clerk_busy', ['S001']);
  const vouchers = await Promise.all(Array.from({ length: 41 }, () => issued(app)));
  const res = await Promise.all(vouchers.slice(0, 40).map((v) => app.api.post(REDEEM).set('Authorization', c.auth).send({ code: v.code })));
  t.deepEqual([...new Set(res.map((r) => r.status))], [200]);
  t.is((await app.api.post(REDEEM).set('Authorization', c.auth).send({ code: vouchers[40].code })).status, 200);
  t.is(await app.core.m.VoucherFailure.countDocuments({}), 0);
});

test('after a key rotation, vouchers signed with the old key verify until they expire', async (t) => {
  const app = await start(t, { VOUCHER_KEYS: JSON.stringify({ k1: K1 }), VOUCHER_ACTIVE_KID: 'k1', VOUCHER_TTL_HOURS: '48' });
  const oldA = await issued(app);
  const oldB = await issued(app);
  const oldC = await issued(app);
  t.is(oldA.code.split('.')[1], 'k1');

  // Redeploy with a new active key; the old one stays in the map.
  const rotated = await instanceOn(t, app, { VOUCHER_KEYS: JSON.stringify({ k1: K1, k2: K2 }), VOUCHER_ACTIVE_KID: 'k2', VOUCHER_TTL_HOURS: '48' });
  const auth = `Bearer ${await rotated.token({ id: 'u_clerk_k', roles: ['clerk'], storeIds: ['S001'] })}`;
  const fresh = await rotated.core.services.voucher.forOrder({ _id: await insertOrder(app), status: 'awaiting_pickup' });
  t.is(fresh!.code.split('.')[1], 'k2');
  t.is(verifyVoucherCode(fresh!.code, { k1: K1 }), null);
  // Old vouchers keep their code and still redeem.
  t.is((await rotated.core.services.voucher.forOrder({ _id: oldA.id, status: 'awaiting_pickup' }))!.code, oldA.code);
  t.is((await rotated.api.post(REDEEM).set('Authorization', auth).send({ code: oldA.code })).status, 200);
  t.is((await rotated.api.post(REDEEM).set('Authorization', auth).send({ code: fresh!.code })).status, 200);
  // Until they expire.
  app.clock.advance(48 * 3_600_000);
  const lateAuth = `Bearer ${await rotated.token({ id: 'u_clerk_k', roles: ['clerk'], storeIds: ['S001'] })}`;
  const late = await rotated.api.post(REDEEM).set('Authorization', lateAuth).send({ code: oldB.code });
  t.is(late.status, 410);

  // Once the old key is dropped from the map, its codes are no longer accepted, and the order's
  // voucher is re-signed with the active key when shown.
  app.clock.advance(-48 * 3_600_000);
  const dropped = await instanceOn(t, app, { VOUCHER_KEYS: JSON.stringify({ k2: K2 }), VOUCHER_ACTIVE_KID: 'k2', VOUCHER_TTL_HOURS: '48' });
  const auth2 = `Bearer ${await dropped.token({ id: 'u_clerk_k', roles: ['clerk'], storeIds: ['S001'] })}`;
  t.is((await dropped.api.post(REDEEM).set('Authorization', auth2).send({ code: oldC.code })).status, 400);
  const resigned = await dropped.core.services.voucher.forOrder({ _id: oldC.id, status: 'awaiting_pickup' });
  t.is(resigned!.code.split('.')[1], 'k2');
  t.is(resigned!.shortCode, oldC.shortCode);
  t.is(resigned!.expiresAt, oldC.expiresAt);
  t.is((await dropped.api.post(REDEEM).set('Authorization', auth2).send({ code: resigned!.code })).status, 200);
});

test('voucher settings are checked at start-up', (t) => {
  t.throws(() => loadConfig({ VOUCHER_KEYS: 'not json' }), { message: /VOUCHER_KEYS/ });
  t.throws(() => loadConfig({ VOUCHER_KEYS: JSON.stringify({ k1: 'short' }) }), { message: /VOUCHER_KEYS/ });
  t.throws(() => loadConfig({ VOUCHER_KEYS: JSON.stringify({ k1: K1 }), VOUCHER_ACTIVE_KID: 'k9' }), { message: /VOUCHER_ACTIVE_KID/ });
  t.throws(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }), { message: /VOUCHER_KEYS/ });
  t.deepEqual(loadConfig({ VOUCHER_KEYS: JSON.stringify({ k1: K1, k2: K2 }), VOUCHER_ACTIVE_KID: 'k2' }).VOUCHER_KEYS, { k1: K1, k2: K2 });
});

test('the owner sees the voucher on GET /orders/:id while it awaits pickup, and not after redemption', async (t) => {
  const app = await start(t);
  const id = await insertOrder(app);
  const alice = `Bearer ${await tokenFor(app, { id: DEMO.alice })}`;
  const first = await app.api.get(`/api/v1/orders/${id}`).set('Authorization', alice);
  t.is(first.status, 200, JSON.stringify(first.body));
  const v = first.body.order.voucher;
  t.regex(v.shortCode, /^\d{12}$/);
  t.true(v.qr.startsWith('data:image/png;base64,'));
  t.is((await app.api.get(`/api/v1/orders/${id}`).set('Authorization', alice)).body.order.voucher.code, v.code);
  const c = await clerk(app, 'u_clerk_o', ['S001']);
  t.is((await app.api.post(REDEEM).set('Authorization', c.auth).send({ code: v.code })).status, 200);
  const after = await app.api.get(`/api/v1/orders/${id}`).set('Authorization', alice);
  t.is(after.body.order.status, 'picked_up');
  t.is(after.body.order.voucher, null);
});
