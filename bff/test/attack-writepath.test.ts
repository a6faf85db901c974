import test from 'ava';
import { customers, makeDeal, startGroupApp } from './group-fixtures.js';
import { clerk, insertOrder, smallWorld } from './voucher-fixtures.js';
import { startTestApp, tokenFor } from './helpers.js';

/**
 * Issue 18, the holes of the write path, each written as the attack that found it (in parallel where
 * the attack was parallel). They were closed by the write-path rework (issue 12: one guarded update
 * per invariant); these tests keep them closed.
 */

test.serial('hole 1: 200 parallel opens on a deal capped at 150 groups open at most 150 and never oversell the cap', async (t) => {
  const { app } = await startGroupApp(t);
  // Room for exactly 150 groups of 2.
  const deal = await makeDeal(app, { groupSize: 2, stockCap: 300 });
  const crowd = await customers(app, 'cap', 200);
  const res = await Promise.all(crowd.map((c) => app.api.post('/api/v1/groups').set('Authorization', c.auth).send({ dealId: deal.id, storeId: 'S001' })));
  const won = res.filter((r) => r.status === 201);
  const lost = res.filter((r) => r.status !== 201);
  t.is(won.length, 150);
  t.true(lost.every((r) => r.status === 409 && r.body.error.code === 'DEAL_SOLD_OUT'), JSON.stringify(lost.find((r) => r.body.error?.code !== 'DEAL_SOLD_OUT')?.body));
  const d = await app.core.m.Deal.findById(deal.id).lean();
  t.is(d!.sold, 300);
  t.is(Object.keys(d!.holds ?? {}).length, 150);
  t.is(await app.core.m.Order.countDocuments({ dealId: deal.id }), 150);
  t.is(await app.core.m.Group.countDocuments({ dealId: deal.id }), 150);
});

test.serial('hole 2: a new member opening a new-members-only deal 5 times in parallel gets one order', async (t) => {
  const { app } = await startGroupApp(t);
  const deal = await makeDeal(app, { groupSize: 2, newMembersOnly: true, perUserLimit: 5 });
  const other = await makeDeal(app, { groupSize: 2, newMembersOnly: true, perUserLimit: 5 });
  const [newbie] = await customers(app, 'newbie', 1);
  const open = (dealId: string) => app.api.post('/api/v1/groups').set('Authorization', newbie.auth).send({ dealId, storeId: 'S001' });
  const res = await Promise.all([deal.id, deal.id, deal.id, other.id, other.id].map(open));
  t.is(res.filter((r) => r.status === 201).length, 1);
  t.true(res.filter((r) => r.status !== 201).every((r) => r.status === 422 && r.body.error.code === 'NEW_MEMBERS_ONLY'), JSON.stringify(res.map((r) => r.body.error?.code)));
  t.is(await app.core.m.Order.countDocuments({ userId: newbie.id }), 1);
  // The losers' deal units went back to the cap: only the winner's group holds any.
  const held = (await app.core.m.Deal.find({ _id: { $in: [deal.id, other.id] } }).lean()).reduce((n, d) => n + d.sold, 0);
  t.is(held, 2);
});

test('hole 8: 40 parallel genuine redeems by one clerk do not lock the clerk out of the next genuine voucher', async (t) => {
  const app = await startTestApp(t, { env: { VOUCHER_BAD_ATTEMPTS_PER_MIN: '10' } });
  await smallWorld(app);
  app.clock.advance(60_000 - (app.clock.now().getTime() % 60_000) + 500);
  const c = await clerk(app, 'u_attack_clerk', ['S001'], '店员');
  const vouchers = await Promise.all(
    Array.from({ length: 41 }, async () => {
      const id = await insertOrder(app);
      return (await app.core.services.voucher.forOrder({ _id: id, status: 'awaiting_pickup' }))!;
    }),
  );
  const REDEEM = '/api/v1/clerk/vouchers/redeem';
  const res = await Promise.all(vouchers.slice(0, 40).map((v) => app.api.post(REDEEM).set('Authorization', c.auth).send({ code: v.code })));
  t.deepEqual([...new Set(res.map((r) => r.status))], [200]);
  // Replays of those same genuine vouchers are not failures either.
  const replays = await Promise.all(vouchers.slice(0, 20).map((v) => app.api.post(REDEEM).set('Authorization', c.auth).send({ code: v.code })));
  t.deepEqual([...new Set(replays.map((r) => r.status))], [409]);
  t.is((await app.api.post(REDEEM).set('Authorization', c.auth).send({ code: vouchers[40].code })).status, 200);
});

test.serial('hole 11: replaying the Idempotency-Key of a cancelled order answers 409 and no new payment', async (t) => {
  const { app } = await startGroupApp(t);
  const auth = `Bearer ${await tokenFor(app, { id: 'u_demo-alice' })}`;
  const place = () => app.api.post('/api/v1/orders').set('Authorization', auth).set('Idempotency-Key', 'attack-cancelled-0001').send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 1 }] });
  const first = await place();
  t.is(first.status, 201);
  t.is((await app.api.post(`/api/v1/orders/${first.body.order.id}/cancel`).set('Authorization', auth)).status, 200);
  const replays = await Promise.all(Array.from({ length: 10 }, place));
  for (const r of replays) {
    t.is(r.status, 409);
    t.is(r.body.error.code, 'ORDER_STATE');
    t.is(r.body.payment, undefined);
  }
  t.is(await app.core.m.Order.countDocuments({ userId: 'u_demo-alice' }), 1);
});
