import test from 'ava';
import { startTestApp, DEMO } from './helpers.js';
import { newOrderId } from '../src/modules/order/order.service.js';
import { clerk, insertOrder, orderDoc, smallWorld } from './voucher-fixtures.js';

const DAY = 86_400_000;

async function start(t: Parameters<typeof startTestApp>[0], env?: Record<string, string>) {
  const app = await startTestApp(t, { env });
  await smallWorld(app);
  return app;
}

test('the queue lists the clerk store orders, today first, with items and customer nicknames', async (t) => {
  const app = await start(t);
  const c = await clerk(app, 'u_clerk_q', ['S001']);
  const now = app.clock.now().getTime();
  const old = await insertOrder(app, { createdAt: new Date(now - 3 * DAY), userId: DEMO.bob });
  const yesterday = await insertOrder(app, { createdAt: new Date(now - DAY) });
  const today1 = await insertOrder(app, { createdAt: new Date(now - 60_000), userId: DEMO.bob });
  const today2 = await insertOrder(app, { createdAt: new Date(now - 1000) });
  await insertOrder(app, { storeId: 'S002' });
  await insertOrder(app, { status: 'pending_payment' });
  const unknownUser = await insertOrder(app, { createdAt: new Date(now - 2 * DAY), userId: 'u_gone' });

  const res = await app.api.get('/api/v1/clerk/orders').set('Authorization', c.auth);
  t.is(res.status, 200, JSON.stringify(res.body));
  t.deepEqual(
    res.body.orders.map((o: { id: string }) => o.id),
    [today2, today1, yesterday, unknownUser, old],
  );
  t.deepEqual(
    res.body.orders.map((o: { today: boolean }) => o.today),
    [true, true, false, false, false],
  );
  const first = res.body.orders[0];
  t.like(first, { storeId: 'S001', status: 'awaiting_pickup', amountCents: 2380, customer: { id: DEMO.alice, nickname: '爱丽丝' }, readyAt: null });
  t.is(first.items.length, 2);
  t.like(first.items[0], { productId: 'P0001', title: '红富士苹果', qty: 2, unitPriceCents: 590 });
  t.is(res.body.orders[1].customer.nickname, '小鲍');
  t.is(res.body.orders[3].customer.nickname, null);
  t.is(res.body.nextCursor, null);

  // Other statuses on request; pages follow the cursor without gaps or repeats.
  const picked = await insertOrder(app, { status: 'picked_up' });
  const done = await app.api.get('/api/v1/clerk/orders').query({ status: 'picked_up', storeId: 'S001' }).set('Authorization', c.auth);
  t.deepEqual(done.body.orders.map((o: { id: string }) => o.id), [picked]);
  // Unpaid orders are not the store's business yet.
  t.is((await app.api.get('/api/v1/clerk/orders').query({ status: 'pending_payment' }).set('Authorization', c.auth)).status, 400);
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await app.api.get('/api/v1/clerk/orders').query({ limit: 2, ...(cursor ? { cursor } : {}) }).set('Authorization', c.auth);
    t.is(page.status, 200);
    seen.push(...page.body.orders.map((o: { id: string }) => o.id));
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor);
  t.deepEqual(seen, [today2, today1, yesterday, unknownUser, old]);
});

test('the queue is scoped to the clerk stores and validates its query', async (t) => {
  const app = await start(t);
  const c = await clerk(app, 'u_clerk_q2', ['S002']);
  const multi = await clerk(app, 'u_clerk_multi', ['S001', 'S002']);
  await insertOrder(app, { storeId: 'S001' });
  const s2 = await insertOrder(app, { storeId: 'S002' });

  const foreign = await app.api.get('/api/v1/clerk/orders').query({ storeId: 'S001' }).set('Authorization', c.auth);
  t.is(foreign.status, 403);
  t.is(foreign.body.error.code, 'WRONG_STORE');
  const own = await app.api.get('/api/v1/clerk/orders').set('Authorization', c.auth);
  t.deepEqual(own.body.orders.map((o: { id: string }) => o.id), [s2]);
  t.is((await app.api.get('/api/v1/clerk/orders').set('Authorization', multi.auth)).status, 400);
  t.is((await app.api.get('/api/v1/clerk/orders').query({ storeId: 'S002' }).set('Authorization', multi.auth)).body.orders.length, 1);
  for (const q of [{ status: 'nope' }, { storeId: { $gt: '' } }, { cursor: '!!' }, { cursor: 'Zm9v' }, { limit: 0 }, { extra: 1 }]) {
    const res = await app.api.get('/api/v1/clerk/orders').query(q).set('Authorization', c.auth);
    t.is(res.status, 400, JSON.stringify(q));
  }
});

test('an order is marked ready once: 100 parallel calls, one success, one OrderReady message', async (t) => {
  const app = await start(t);
  const clerks = await Promise.all(Array.from({ length: 4 }, (_, i) => clerk(app, `u_clerk_r${i}`, ['S001'])));
  const id = await insertOrder(app);
  const res = await Promise.all(Array.from({ length: 100 }, (_, i) => app.api.post(`/api/v1/clerk/orders/${id}/ready`).set('Authorization', clerks[i % 4].auth)));
  const ok = res.filter((r) => r.status === 200);
  t.is(ok.length, 1);
  t.is(res.filter((r) => r.status === 409 && r.body.error.code === 'ALREADY_READY').length, 99);
  const o = await orderDoc(app, id);
  t.is(o!.readyAt!.toISOString(), ok[0].body.readyAt);
  t.is(o!.status, 'awaiting_pickup');
  const ready = o!.outbox.filter((e) => e.type === 'OrderReady');
  t.is(ready.length, 1);
  t.like(ready[0], { key: `OrderReady:${id}:${DEMO.alice}`, userId: DEMO.alice, data: { orderId: id, storeName: '邻里S001店' } });
  t.true(ready[0].page.includes(id));
  // Later calls too.
  const again = await app.api.post(`/api/v1/clerk/orders/${id}/ready`).set('Authorization', clerks[0].auth);
  t.is(again.status, 409);
  t.like(again.body.error, { code: 'ALREADY_READY', details: { readyAt: ok[0].body.readyAt } });
});

test('mark ready refuses other stores, other statuses, unknown and malformed ids', async (t) => {
  const app = await start(t);
  const c = await clerk(app, 'u_clerk_r', ['S001']);
  const s2 = await insertOrder(app, { storeId: 'S002' });
  const foreign = await app.api.post(`/api/v1/clerk/orders/${s2}/ready`).set('Authorization', c.auth);
  t.is(foreign.status, 403);
  t.is(foreign.body.error.code, 'WRONG_STORE');
  t.is((await orderDoc(app, s2))!.readyAt, null);
  for (const status of ['pending_payment', 'picked_up', 'refunded', 'cancelled'] as const) {
    const id = await insertOrder(app, { status });
    const res = await app.api.post(`/api/v1/clerk/orders/${id}/ready`).set('Authorization', c.auth);
    t.is(res.status, 409);
    t.like(res.body.error, { code: 'ORDER_NOT_AWAITING_PICKUP', details: { status } });
    t.is((await orderDoc(app, id))!.outbox.length, 0);
  }
  t.is((await app.api.post(`/api/v1/clerk/orders/${newOrderId()}/ready`).set('Authorization', c.auth)).status, 404);
  t.is((await app.api.post('/api/v1/clerk/orders/a.b/ready').set('Authorization', c.auth)).status, 400);
});

test('the audit lists every redemption attempt that touched the store, newest first, without codes', async (t) => {
  const app = await start(t);
  const c1 = await clerk(app, 'u_clerk_a1', ['S001']);
  const c2 = await clerk(app, 'u_clerk_a2', ['S002']);
  const id = await insertOrder(app);
  const v = (await app.core.services.voucher.forOrder({ _id: id, status: 'awaiting_pickup' }))!;
  const redeem = (auth: string, code: string) => app.api.post('/api/v1/clerk/vouchers/redeem').set('Authorization', auth).send({ code });

  t.is((await redeem(c1.auth, '123412341234')).status, 400);
  app.clock.advance(1000);
  t.is((await redeem(c2.auth, v.code)).status, 403);
  app.clock.advance(1000);
  t.is((await redeem(c2.auth, 'LV1.junk')).status, 400);
  app.clock.advance(1000);
  t.is((await redeem(c1.auth, v.shortCode)).status, 200);
  app.clock.advance(1000);
  t.is((await redeem(c1.auth, v.code)).status, 409);

  const c1now = await clerk(app, c1.id, c1.storeIds);
  const res = await app.api.get('/api/v1/clerk/audit').set('Authorization', c1now.auth);
  t.is(res.status, 200, JSON.stringify(res.body));
  t.deepEqual(
    res.body.attempts.map((a: { outcome: string; clerkId: string }) => [a.outcome, a.clerkId]),
    [
      ['already_redeemed', c1.id],
      ['redeemed', c1.id],
      ['wrong_store', c2.id],
      ['invalid', c1.id],
    ],
  );
  t.like(res.body.attempts[1], { storeId: 'S001', orderId: id });
  t.is(res.body.attempts[3].storeId, null);
  const body = JSON.stringify(res.body);
  t.false(body.includes(v.shortCode));
  t.false(body.includes(v.code.split('.')[5]));
  t.false(body.includes('123412341234'));

  // S002 sees its clerk's attempts (the foreign voucher and the unreadable code), not S001's own.
  const s2 = await app.api.get('/api/v1/clerk/audit').set('Authorization', (await clerk(app, c2.id, c2.storeIds)).auth);
  t.deepEqual(s2.body.attempts.map((a: { outcome: string }) => a.outcome), ['invalid', 'wrong_store']);
  // A customer cannot read it; a clerk cannot read another store's.
  t.is((await app.api.get('/api/v1/clerk/audit').query({ storeId: 'S002' }).set('Authorization', c1now.auth)).status, 403);

  // Pages follow the cursor.
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await app.api.get('/api/v1/clerk/audit').query({ limit: 3, ...(cursor ? { cursor } : {}) }).set('Authorization', c1now.auth);
    seen.push(...page.body.attempts.map((a: { id: string }) => a.id));
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor);
  t.deepEqual(seen, res.body.attempts.map((a: { id: string }) => a.id));
});
