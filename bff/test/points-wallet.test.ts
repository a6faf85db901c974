import test from 'ava';
import { DEMO, loginAs, seedSome, startTestAppWithHost, waitFor } from './helpers.js';
import { PointsService } from '../src/modules/promotions/points.service.js';

/**
 * The spendable-points counter (`points_wallets`) against the ledger, which is the truth: every way
 * points are booked moves the counter too, and a process that dies between the two is repaired by
 * the sweep once the wallet has been quiet for a while (never while a change may be in flight).
 */

type App = Awaited<ReturnType<typeof startTestAppWithHost>>['app'];

const ledgerPoints = async (app: App, userId: string) => (await app.core.services.member.balance(userId)).points;
const counter = async (app: App, userId: string) => (await app.core.m.PointsWallet.findById(userId).lean())?.balance;
const sweep = (app: App) => app.api.post('/api/v1/internal/sweep').set('X-Internal-Token', 'linli-dev-internal-token');

test('an offline card’s opening balance and a till receipt are spendable online at once: the counter follows every booking', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users', 'memberCards']);
  const alice = await loginAs(app, mock, 'demo-alice');
  const clerk = await loginAs(app, mock, 'demo-clerk');
  // Alice's counter exists before she binds her card (a checkout with points created it).
  t.is(await app.core.services.promotions.points.balance(DEMO.alice), 0);

  const bound = await app.api.post('/api/v1/member/phone').set('Authorization', alice.auth).send({ code: mock.phoneCode('demo-alice', '13800000001') });
  t.is(bound.status, 200);
  const opening = bound.body.member.points as number;
  t.true(opening > 0, 'the seeded card has points');
  t.is((await app.api.get('/api/v1/points/balance').set('Authorization', alice.auth)).body.balance, opening);

  const code = (await app.api.get('/api/v1/member/code').set('Authorization', alice.auth)).body.code as string;
  const body = { storeId: 'S001', receiptNo: 'R-WALLET-1', amount: 12_345 };
  const preview = await app.api.post('/api/v1/clerk/members/scan/preview').set('Authorization', clerk.auth).send({ ...body, memberCode: code });
  t.is(preview.status, 200, JSON.stringify(preview.body));
  const scan = await app.api.post('/api/v1/clerk/members/scan').set('Authorization', clerk.auth).send({ ...body, confirmToken: preview.body.confirmToken });
  t.is(scan.status, 200, JSON.stringify(scan.body));
  t.is((await app.api.get('/api/v1/points/balance').set('Authorization', alice.auth)).body.balance, opening + 123);
  t.is(await counter(app, DEMO.alice), await ledgerPoints(app, DEMO.alice));
});

/**
 * A second process on the same database that dies while writing a ledger entry: the counter write
 * before it landed, the entry never does (its insert hangs for ever, as a killed process's would).
 */
function dyingProcess(app: App) {
  const m = app.core.m;
  const PointsEntry = Object.create(m.PointsEntry) as typeof m.PointsEntry;
  let died = 0;
  PointsEntry.create = (() => {
    died++;
    return new Promise(() => {});
  }) as never;
  const points = new PointsService({ models: { ...m, PointsEntry }, clock: app.clock });
  return { points, died: () => died };
}

test('a process that dies between the counter and the ledger entry: the sweep sets the counter to the ledger once the wallet is quiet, not before', async (t) => {
  const { app } = await startTestAppWithHost(t, { seed: true });
  const member = app.core.services.member;
  await member.credit(DEMO.bob, 'test_grant', 'wallet-crash-bob', 500);
  await member.credit(DEMO.carol, 'test_grant', 'wallet-crash-carol', 300);
  t.is(await app.core.services.promotions.points.balance(DEMO.bob), 500);
  t.is(await app.core.services.promotions.points.balance(DEMO.carol), 300);
  // Bob's spend of 120 and Carol's earned points (an order of ¥80.00) each die after the counter.
  const dying = dyingProcess(app);
  void dying.points.spend(DEMO.bob, 'o_crash_spend', 120);
  void dying.points.earn(DEMO.carol, 'o_crash_earn', 8_000);
  await waitFor('both to die', async () => dying.died() === 2);
  t.is(await counter(app, DEMO.bob), 380, 'the spend took the counter and died');
  t.is(await counter(app, DEMO.carol), 380, 'the earn moved the counter and died');
  t.is(await ledgerPoints(app, DEMO.bob), 500);
  t.is(await ledgerPoints(app, DEMO.carol), 300);

  // Within the quiet period the change could still be in flight: the sweep leaves both alone.
  app.clock.advance(4 * 60_000);
  t.is((await sweep(app)).body.walletsRepaired, 0);
  t.is(await counter(app, DEMO.bob), 380);
  // Past it, three overlapping passes set each counter to its ledger once.
  app.clock.advance(2 * 60_000);
  const passes = await Promise.all([sweep(app), sweep(app), sweep(app)]);
  t.true(passes.every((r) => r.status === 200), JSON.stringify(passes.map((r) => r.body)));
  t.is(passes.reduce((n, r) => n + r.body.walletsRepaired, 0), 2);
  t.is(await counter(app, DEMO.bob), 500);
  t.is(await counter(app, DEMO.carol), 300);
  t.is(await app.core.m.PointsWallet.countDocuments({ dirtyAt: { $exists: true } }), 0, 'checked wallets are clean');
  // Bob can spend what the ledger says he has.
  await app.core.services.promotions.points.spend(DEMO.bob, 'o_after_repair', 500);
  t.is(await counter(app, DEMO.bob), 0);
  t.is(await ledgerPoints(app, DEMO.bob), 0);
});

test('300 racing spends, give-backs, credits and earnings, retried, with sweeps running: no counter goes below zero and every counter ends equal to its ledger', async (t) => {
  const { app } = await startTestAppWithHost(t, { seed: true });
  const member = app.core.services.member;
  const points = app.core.services.promotions.points;
  const users = [DEMO.alice, DEMO.bob, DEMO.carol];
  for (const u of users) await member.credit(u, 'test_grant', `wallet-race-${u}`, 1_000);
  for (const u of users) await points.balance(u);
  const ops = Array.from({ length: 300 }, (_, i) => {
    const u = users[i % 3];
    const order = `o_race_${i % 60}`; // each order id is used five times: retries of the same change
    if (i % 25 === 24) return sweep(app).then((r) => r.body.walletsRepaired as number);
    switch (i % 5) {
      case 0:
        return points.spend(u, `${order}_${u}`, 37).catch((e: Error) => e.name);
      case 1:
        return points.giveBack(u, `${order}_${u}`, 37);
      case 2:
        return member.credit(u, 'test_grant', `race-${i % 30}-${u}`, 11);
      case 3:
        return points.earn(u, `${order}_${u}`, 2_500);
      default:
        return points.spend(u, `${order}_b_${u}`, 5).catch((e: Error) => e.name);
    }
  });
  const results = await Promise.all(ops);
  t.deepEqual(results.filter((_, i) => i % 25 === 24), Array.from({ length: 12 }, () => 0), 'a sweep within the quiet period repairs nothing');
  for (const u of users) {
    const c = (await counter(app, u))!;
    t.true(c >= 0, `${u}: ${c}`);
    t.is(c, await ledgerPoints(app, u), `${u}: counter equals ledger`);
  }
  // Nothing was wrong, so the check past the quiet period repairs nothing and cleans every wallet.
  app.clock.advance(6 * 60_000);
  t.is((await sweep(app)).body.walletsRepaired, 0);
  t.is(await app.core.m.PointsWallet.countDocuments({ dirtyAt: { $exists: true } }), 0);
});
