import test from 'ava';
import { DEMO, tokenFor } from './helpers.js';
import { customers, fresh, group, join, makeDeal, openPaidGroup, order, orderIdOf, pay, startGroupApp, adminAuth } from './group-fixtures.js';

const MIN = 60_000;

test.serial('500 parallel joins on an open group of 3 hold exactly 2 seats and the rest answer GROUP_FULL', async (t) => {
  const { app } = await startGroupApp(t);
  const [leader] = await customers(app, 'lead', 1);
  const crowd = await customers(app, 'crowd', 500);
  const { groupId } = await openPaidGroup(app, leader, 'D002');
  t.is((await group(app, groupId)).status, 'open');

  const results = await Promise.all(crowd.map((c) => join(app, c, groupId)));
  const won = results.filter((r) => r.status === 201);
  const lost = results.filter((r) => r.status !== 201);
  t.is(won.length, 2);
  t.true(lost.every((r) => r.status === 409 && r.body.error.code === 'GROUP_FULL'), JSON.stringify(lost.find((r) => r.body.error?.code !== 'GROUP_FULL')?.body));

  const g = await group(app, groupId);
  t.is(Object.keys(g.seats).length, 3);
  t.is(g.seatsLeft, 0);
  t.is(Object.values(g.seats).filter((s) => s.status === 'held').length, 2);
  t.is(g.paidCount, 1);
  // Every seat has its order, and only the winners got orders at all.
  const orders = await app.core.m.Order.find({ groupId }).lean();
  t.is(orders.length, 3);
  t.deepEqual(Object.values(g.seats).map((s) => s.orderId).sort(), orders.map((o) => o._id).sort());
  // No group anywhere holds more seats than its size.
  for (const any of await app.core.m.Group.find().lean()) {
    t.true(Object.keys(any.seats as object).length <= any.size);
    t.true(any.seatsLeft >= 0);
  }
  // The deal's stock cap counted the three seats only.
  t.is((await app.api.get('/api/v1/deals/D002')).body.deal.sold, 3);
});

test.serial('a join after expiry, on a full group, or twice by the same user answers 409 with a clear code', async (t) => {
  const { app } = await startGroupApp(t);
  const [leader, a, b, c] = await customers(app, 'j', 4);
  const deal = await makeDeal(app, { groupSize: 2, perUserLimit: 3 });
  const { groupId } = await openPaidGroup(app, leader, deal.id);

  const first = await join(app, a, groupId);
  t.is(first.status, 201);
  const again = await join(app, a, groupId);
  t.is(again.status, 409);
  t.is(again.body.error.code, 'ALREADY_JOINED');
  t.is(again.body.error.details.orderId, orderIdOf(first), 'a lost answer can be recovered: the 409 names the order to pay');
  const full = await join(app, b, groupId);
  t.is(full.status, 409);
  t.is(full.body.error.code, 'GROUP_FULL');
  const leaderJoins = await join(app, leader, groupId);
  t.is(leaderJoins.body.error.code, 'ALREADY_JOINED');

  const other = await openPaidGroup(app, leader, deal.id);
  app.clock.advance(31 * MIN);
  const late = await join(app, await fresh(app, c), other.groupId);
  t.is(late.status, 409);
  t.is(late.body.error.code, 'GROUP_EXPIRED');
  t.is((await group(app, other.groupId)).seatsLeft, 1, 'a refused join changes nothing');

  const missing = await join(app, await fresh(app, c), 'g_AAAAAAAAAAAAAAAAAAAAAA');
  t.is(missing.status, 404);
  const injected = await app.api.post(`/api/v1/groups/${groupId}/join`).set('Authorization', (await fresh(app, c)).auth).send({ shareId: { $gt: '' } });
  t.is(injected.status, 400);
});

test.serial('a newMembersOnly deal refuses a member with earlier orders (422) and takes a new one', async (t) => {
  const { app } = await startGroupApp(t);
  const [leader, newbie, veteran] = await customers(app, 'n', 3);
  const deal = await makeDeal(app, { groupSize: 3, newMembersOnly: true });
  await app.core.services.order.create({ userId: veteran.id, storeId: 'S001', items: [{ productId: 'P0002', qty: 1 }] });
  const { groupId } = await openPaidGroup(app, leader, deal.id);

  const refused = await join(app, veteran, groupId);
  t.is(refused.status, 422);
  t.is(refused.body.error.code, 'NEW_MEMBERS_ONLY');
  t.is((await group(app, groupId)).seatsLeft, 2);
  const opens = await app.api.post('/api/v1/groups').set('Authorization', veteran.auth).send({ dealId: deal.id, storeId: 'S001' });
  t.is(opens.status, 422);
  t.is(opens.body.error.code, 'NEW_MEMBERS_ONLY');

  t.is((await join(app, newbie, groupId)).status, 201);
});

test.serial('the per-user limit and an inactive deal refuse with their own codes', async (t) => {
  const { app } = await startGroupApp(t);
  const [leader, u] = await customers(app, 'lim', 2);
  const deal = await makeDeal(app, { groupSize: 2, perUserLimit: 1 });
  const g1 = await openPaidGroup(app, leader, deal.id);
  const g2 = await openPaidGroup(app, (await customers(app, 'lim2-', 1))[0], deal.id);
  t.is((await join(app, u, g1.groupId)).status, 201);
  const second = await join(app, u, g2.groupId);
  t.is(second.status, 422);
  t.is(second.body.error.code, 'PER_USER_LIMIT');
  t.is((await group(app, g2.groupId)).seatsLeft, 1, 'the seat taken before the limit check is given back');

  const admin = await adminAuth(app);
  const off = await app.api.patch(`/api/v1/admin/deals/${deal.id}`).set('Authorization', admin).send({ active: false });
  t.is(off.status, 200);
  t.false(off.body.deal.available);
  const closed = await app.api.post('/api/v1/groups').set('Authorization', u.auth).send({ dealId: deal.id, storeId: 'S001' });
  t.is(closed.status, 409);
  t.is(closed.body.error.code, 'DEAL_NOT_ACTIVE');
});

test.serial('an unpaid hold past 5 minutes frees its seat, cancels its order, and the seat can be taken again', async (t) => {
  const { app } = await startGroupApp(t);
  const [leader, slow, quick] = await customers(app, 'h', 3);
  const { groupId, orderId: leaderOrder } = await openPaidGroup(app, leader, 'D001');
  const held = await join(app, slow, groupId);
  t.is(held.status, 201);
  t.is((await join(app, quick, groupId)).body.error.code, 'GROUP_FULL');

  app.clock.advance(4 * MIN);
  await app.core.services.groupbuy.sweep.run(app.clock.now());
  t.is((await group(app, groupId)).seatsLeft, 0, 'a hold within 5 minutes stays');

  app.clock.advance(2 * MIN);
  await app.core.services.groupbuy.sweep.run(app.clock.now());
  const g = await group(app, groupId);
  t.is(g.seatsLeft, 1);
  t.is(Object.values(g.seats).filter((s) => s.status === 'held').length, 0);
  t.is((await order(app, orderIdOf(held))).status, 'cancelled');

  const taken = await join(app, await fresh(app, quick), groupId);
  t.is(taken.status, 201);
  await pay(app, orderIdOf(taken));
  const done = await group(app, groupId);
  t.is(done.status, 'succeeded');
  t.is((await order(app, leaderOrder)).status, 'awaiting_pickup');
  t.is((await order(app, orderIdOf(taken))).status, 'awaiting_pickup');
  // A payment that arrives for the lapsed hold is refunded, never seated.
  await pay(app, orderIdOf(held));
  t.is((await order(app, orderIdOf(held))).status, 'refunding');
  t.is(Object.keys((await group(app, groupId)).seats).length, 2);
});

test.serial('a group that expires short of members refunds every paid member exactly once, even with racing sweeps and duplicate refund notifications', async (t) => {
  const { app, refunds } = await startGroupApp(t);
  const [leader, payer, idler] = await customers(app, 'x', 3);
  const deal = await makeDeal(app, { groupSize: 4, durationMinutes: 30 });
  const { groupId, orderId: leaderOrder } = await openPaidGroup(app, leader, deal.id);
  const paid = await join(app, payer, groupId);
  await pay(app, orderIdOf(paid));
  const unpaid = await join(app, idler, groupId);
  t.is(unpaid.status, 201);
  t.is((await order(app, leaderOrder)).status, 'grouping');

  app.clock.advance(31 * MIN);
  const now = app.clock.now();
  await Promise.all([app.core.services.groupbuy.sweep.run(now), app.core.services.groupbuy.sweep.run(now), app.core.services.groupbuy.sweep.run(now)]);

  const g = await group(app, groupId) as unknown as { status: string; outbox: { type: string; userId: string }[] };
  t.is(g.status, 'failed');
  const failed = g.outbox.filter((e) => e.type === 'GroupFailed');
  t.deepEqual(failed.map((e) => e.userId).sort(), [leader.id, payer.id].sort());

  const paidOrders = [leaderOrder, orderIdOf(paid)];
  for (const id of paidOrders) t.is((await order(app, id)).status, 'refunding');
  t.is((await order(app, orderIdOf(unpaid))).status, 'cancelled');
  // One refund number per paid order (the host refunds a number at most once), none for the unpaid.
  const numbers = new Map<string, Set<string>>();
  for (const r of refunds) numbers.set(r.orderId, (numbers.get(r.orderId) ?? new Set()).add(r.outRefundNo));
  t.deepEqual([...numbers.keys()].sort(), [...paidOrders].sort());
  for (const set of numbers.values()) t.is(set.size, 1);

  // The host's refund notification arrives three times at once for each order.
  await Promise.all(paidOrders.flatMap((id) => [1, 2, 3].map(() => app.core.services.payment.completeRefund(id, { type: 'host', id: 'pay' }))));
  for (const id of paidOrders) {
    const o = await order(app, id);
    t.is(o.status, 'refunded');
    t.is(o.history.filter((h) => h.to === 'refunded').length, 1);
    t.is(o.outbox.filter((e) => e.type === 'RefundCompleted').length, 1);
  }
  // A later sweep asks for nothing more; the deal's cap and the users' limits are given back.
  await app.core.services.groupbuy.sweep.run(app.clock.now());
  for (const set of numbers.values()) t.is(set.size, 1);
  t.is((await app.api.get(`/api/v1/deals/${deal.id}`)).body.deal.sold, 0);
  // Every member's per-user seat of the deal is free again (each order's limit key is its own id).
  const members = await app.core.m.Order.find({ groupId }).lean();
  t.is(members.length, 3);
  t.true(members.every((o) => o.limitKey === o._id));
});

test.serial('a group that fills succeeds once, emits one GroupSucceeded per member, and moves every order to pickup', async (t) => {
  const { app } = await startGroupApp(t);
  const [leader, a, b] = await customers(app, 's', 3);
  const { groupId, orderId: leaderOrder } = await openPaidGroup(app, leader, 'D002');
  const ja = await join(app, a, groupId);
  const jb = await join(app, b, groupId);
  // Both members pay at once, and each payment notification is delivered twice.
  await Promise.all([pay(app, orderIdOf(ja)), pay(app, orderIdOf(jb)), pay(app, orderIdOf(ja)), pay(app, orderIdOf(jb))]);
  await Promise.all([app.core.services.groupbuy.sweep.run(app.clock.now()), app.core.services.groupbuy.sweep.run(app.clock.now())]);

  const g = (await group(app, groupId)) as unknown as { status: string; paidCount: number; outbox: { type: string; key: string; userId: string }[] };
  t.is(g.status, 'succeeded');
  t.is(g.paidCount, 3);
  const events = g.outbox.filter((e) => e.type === 'GroupSucceeded');
  t.is(events.length, 3);
  t.deepEqual(events.map((e) => e.userId).sort(), [leader.id, a.id, b.id].sort());
  t.is(new Set(events.map((e) => e.key)).size, 3);
  for (const id of [leaderOrder, orderIdOf(ja), orderIdOf(jb)]) {
    const o = await order(app, id);
    t.is(o.status, 'awaiting_pickup');
    t.is(o.history.filter((h) => h.to === 'awaiting_pickup').length, 1);
  }
  // The leader paid the leader price.
  t.is((await order(app, leaderOrder)).amountCents, (await app.core.m.Deal.findById('D002').lean())!.groupPriceCents - (await app.core.m.Deal.findById('D002').lean())!.leaderDiscountCents);
});

test.serial('a pending group is not joinable and fails when its leader does not pay', async (t) => {
  const { app } = await startGroupApp(t);
  const [leader, other] = await customers(app, 'p', 2);
  const res = await app.api.post('/api/v1/groups').set('Authorization', leader.auth).send({ dealId: 'D001', storeId: 'S001' });
  t.is(res.status, 201);
  t.regex(res.body.groupId, /^g_[A-Za-z0-9_-]{22}$/);
  t.is(typeof res.body.payment.prepayId, 'string');
  const early = await join(app, other, res.body.groupId);
  t.is(early.status, 409);
  t.is(early.body.error.code, 'GROUP_NOT_OPEN');
  app.clock.advance(6 * MIN);
  await app.core.services.groupbuy.sweep.run(app.clock.now());
  t.is((await group(app, res.body.groupId)).status, 'failed');
  t.is((await order(app, orderIdOf(res))).status, 'cancelled');
});

test.serial('the deal admin API validates its input and needs the admin role; GET /deals/:id is public', async (t) => {
  const { app } = await startGroupApp(t);
  const admin = await adminAuth(app);
  const customer = `Bearer ${await tokenFor(app, { id: DEMO.alice })}`;
  const base = { productId: 'P0001', storeIds: ['S001'], title: 't', groupSize: 3, groupPriceCents: 500, soloPriceCents: 900, durationMinutes: 60, startAt: '2026-01-01T00:00:00Z', endAt: '2031-01-01T00:00:00Z', stockCap: 10 };
  t.is((await app.api.post('/api/v1/admin/deals').set('Authorization', customer).send(base)).status, 403);
  t.is((await app.api.post('/api/v1/admin/deals').set('Authorization', admin).send({ ...base, groupSize: 11 })).status, 400);
  t.is((await app.api.post('/api/v1/admin/deals').set('Authorization', admin).send({ ...base, groupSize: 1 })).status, 400);
  t.is((await app.api.post('/api/v1/admin/deals').set('Authorization', admin).send({ ...base, groupPriceCents: 1000 })).status, 400);
  t.is((await app.api.post('/api/v1/admin/deals').set('Authorization', admin).send({ ...base, endAt: '2025-01-01T00:00:00Z' })).status, 400);
  t.is((await app.api.post('/api/v1/admin/deals').set('Authorization', admin).send({ ...base, stockCap: { $gt: 0 } })).status, 400);
  const made = await app.api.post('/api/v1/admin/deals').set('Authorization', admin).send({ ...base, id: 'D900' });
  t.is(made.status, 201);
  t.is(made.body.deal.id, 'D900');
  const patched = await app.api.patch('/api/v1/admin/deals/D900').set('Authorization', admin).send({ groupSize: 4, leaderDiscountCents: 100 });
  t.is(patched.status, 200);
  t.is(patched.body.deal.leaderPriceCents, 400);
  t.is((await app.api.patch('/api/v1/admin/deals/D900').set('Authorization', admin).send({ soloPriceCents: 100 })).status, 422);
  const got = await app.api.get('/api/v1/deals/D001');
  t.is(got.status, 200);
  t.is(got.body.deal.groupSize, 2);
  t.true(got.body.deal.available);
  t.is((await app.api.get('/api/v1/deals/D999')).status, 404);
});

test.serial('a deal holds its units per group: a cap of two groups refuses a third with DEAL_SOLD_OUT, and a failed group gives its units back', async (t) => {
  const { app } = await startGroupApp(t);
  const [l1, l2, l3, a] = await customers(app, 'cap', 4);
  const deal = await makeDeal(app, { groupSize: 3, stockCap: 6, durationMinutes: 30 });
  const first = await openPaidGroup(app, l1, deal.id);
  await openPaidGroup(app, l2, deal.id);
  t.is((await app.api.get(`/api/v1/deals/${deal.id}`)).body.deal.sold, 6);
  t.false((await app.api.get(`/api/v1/deals/${deal.id}`)).body.deal.available);
  const refused = await app.api.post('/api/v1/groups').set('Authorization', l3.auth).send({ dealId: deal.id, storeId: 'S001' });
  t.is(refused.status, 409);
  t.is(refused.body.error.code, 'DEAL_SOLD_OUT');
  // Joining a group never touches the cap: its seats were set aside when it opened.
  t.is((await join(app, a, first.groupId)).status, 201);
  const lower = await app.api.patch(`/api/v1/admin/deals/${deal.id}`).set('Authorization', await adminAuth(app)).send({ stockCap: 5 });
  t.is(lower.status, 409);
  t.is(lower.body.error.code, 'DEAL_CAP_BELOW_SOLD');
  // Both groups expire short of members: their units come back once, whatever the sweeps.
  app.clock.advance(31 * MIN);
  await Promise.all([app.core.services.groupbuy.sweep.run(app.clock.now()), app.core.services.groupbuy.sweep.run(app.clock.now())]);
  t.is((await app.api.get(`/api/v1/deals/${deal.id}`)).body.deal.sold, 0);
  const again = await app.api.post('/api/v1/groups').set('Authorization', (await fresh(app, l3)).auth).send({ dealId: deal.id, storeId: 'S001' });
  t.is(again.status, 201, JSON.stringify(again.body));
});
