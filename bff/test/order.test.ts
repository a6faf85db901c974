import test from 'ava';
import { DEMO, startPayStack } from './helpers.js';

const INV = 'S001:P0001';

async function setStock(m: { Inventory: { updateOne: (f: object, u: object) => Promise<unknown> } }, id: string, stock: number) {
  await m.Inventory.updateOne({ _id: id }, { $set: { stock, active: true } });
}

test.serial('1,000 parallel orders on stock 50: exactly 50 succeed, stock ends at 0, the rest get 409 OUT_OF_STOCK', async (t) => {
  // Three shoppers place all 1,000: lift the per-user cap on unpaid orders, this test is about the shelf.
  const { app, auth } = await startPayStack(t, { env: { MAX_UNPAID_ORDERS: '1000' } });
  await setStock(app.core.m, INV, 50);
  const users = [DEMO.alice, DEMO.bob, DEMO.carol];
  const headers = await Promise.all(users.map(auth));
  const results = await Promise.all(
    Array.from({ length: 1000 }, (_, i) =>
      app.api.post('/api/v1/orders').set('Authorization', headers[i % 3]).send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 1 }] }),
    ),
  );
  const ok = results.filter((r) => r.status === 201);
  const refused = results.filter((r) => r.status === 409);
  const tally: Record<string, number> = {};
  for (const r of results) tally[`${r.status} ${r.body.error?.code ?? ''}`] = (tally[`${r.status} ${r.body.error?.code ?? ''}`] ?? 0) + 1;
  t.log(JSON.stringify(tally));
  t.is(ok.length, 50);
  t.is(refused.length, 950);
  t.true(refused.every((r) => r.body.error.code === 'OUT_OF_STOCK'));
  const inv = await app.core.m.Inventory.findById(INV).lean();
  t.is(inv?.stock, 0);
  t.is(await app.core.m.Order.countDocuments({ 'items.productId': 'P0001' }), 50);
  // The row lists exactly the orders holding its stock, and a sweep leaves live holds alone.
  const holdsOf = async () => Object.keys((await app.core.m.Inventory.collection.findOne({ _id: INV as never }))?.holds ?? {}).sort();
  t.deepEqual(await holdsOf(), ok.map((r) => r.body.order.id as string).sort());
  app.clock.advance(3 * 60_000);
  await app.core.services.sweep.run();
  t.is((await holdsOf()).length, 50);
  t.is((await app.core.m.Inventory.findById(INV).lean())?.stock, 0);
  // Every winner holds a prepay and requestPayment parameters.
  for (const r of ok.slice(0, 5)) {
    t.regex(r.body.payment.package, /^prepay_id=wx/);
    t.is(r.body.payment.signType, 'RSA');
    t.truthy(r.body.payment.paySign);
  }
});

test.serial('prices come from the store catalog, never from the client, and the order records its history', async (t) => {
  const { app, auth } = await startPayStack(t);
  await setStock(app.core.m, INV, 10);
  const inv = await app.core.m.Inventory.findById(INV).lean();
  const res = await app.api
    .post('/api/v1/orders')
    .set('Authorization', await auth(DEMO.alice))
    .send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 3 }] });
  t.is(res.status, 201, JSON.stringify(res.body));
  const o = res.body.order;
  t.regex(o.id, /^o_[a-z2-7]{16}$/);
  t.is(o.status, 'pending_payment');
  t.is(o.items[0].unitPriceCents, inv!.priceCents);
  t.is(o.amountCents, 3 * inv!.priceCents);
  t.is(o.history.length, 1);
  t.is(o.history[0].to, 'pending_payment');
  t.is(new Date(o.payBy).getTime() - new Date(o.createdAt).getTime(), 15 * 60_000);
  t.is((await app.core.m.Inventory.findById(INV).lean())?.stock, 7);

  // A client-supplied price is not even accepted.
  const priced = await app.api
    .post('/api/v1/orders')
    .set('Authorization', await auth(DEMO.alice))
    .send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 1, unitPriceCents: 1 }] });
  t.is(priced.status, 400);
});

test.serial('a member pays the member price', async (t) => {
  const { app } = await startPayStack(t, { overrides: { isMember: async (u: string) => u === DEMO.bob } });
  await setStock(app.core.m, INV, 10);
  const inv = await app.core.m.Inventory.findById(INV).lean();
  const { order } = await app.core.services.order.create({ userId: DEMO.bob, storeId: 'S001', items: [{ productId: 'P0001', qty: 2 }] });
  t.is(order.items[0].unitPriceCents, inv!.memberPriceCents);
  t.is(order.amountCents, 2 * inv!.memberPriceCents);
});

test.serial('operator objects and bad input answer 400 and change nothing', async (t) => {
  const { app, auth } = await startPayStack(t);
  await setStock(app.core.m, INV, 10);
  const h = await auth(DEMO.alice);
  for (const body of [
    { storeId: { $gt: '' }, items: [{ productId: 'P0001', qty: 1 }] },
    { storeId: 'S001', items: [{ productId: { $ne: null }, qty: 1 }] },
    { storeId: 'S001', items: [{ productId: 'P0001', qty: -1 }] },
    { storeId: 'S001', items: [{ productId: 'P0001', qty: 1.5 }] },
    { storeId: 'S001', items: [] },
    { storeId: 'S001', items: [{ productId: 'P0001', qty: 1 }, { productId: 'P0001', qty: 1 }] },
  ]) {
    const res = await app.api.post('/api/v1/orders').set('Authorization', h).send(body);
    t.is(res.status, 400, JSON.stringify(body));
  }
  const noAuth = await app.api.post('/api/v1/orders').send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 1 }] });
  t.is(noAuth.status, 401);
  t.is(await app.core.m.Order.countDocuments({}), 0);
  t.is((await app.core.m.Inventory.findById(INV).lean())?.stock, 10);
});

test.serial('a multi-item order that runs out on a later item gives back what it took', async (t) => {
  const { app, auth } = await startPayStack(t);
  await setStock(app.core.m, 'S001:P0001', 5);
  await setStock(app.core.m, 'S001:P0002', 1);
  const res = await app.api
    .post('/api/v1/orders')
    .set('Authorization', await auth(DEMO.alice))
    .send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 2 }, { productId: 'P0002', qty: 2 }] });
  t.is(res.status, 409);
  t.is(res.body.error.code, 'OUT_OF_STOCK');
  t.is(res.body.error.details.productId, 'P0002');
  t.is((await app.core.m.Inventory.findById('S001:P0001').lean())?.stock, 5);
  t.is((await app.core.m.Inventory.findById('S001:P0002').lean())?.stock, 1);
  t.is(await app.core.m.Order.countDocuments({}), 0);
});

test.serial('the same Idempotency-Key sent 20 times in parallel creates one order', async (t) => {
  const { app, auth } = await startPayStack(t);
  await setStock(app.core.m, INV, 100);
  const h = await auth(DEMO.alice);
  const send = () =>
    app.api.post('/api/v1/orders').set('Authorization', h).set('Idempotency-Key', 'key-0001-abcdef').send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 2 }] });
  const results = await Promise.all(Array.from({ length: 20 }, send));
  t.true(results.every((r) => r.status === 201), JSON.stringify(results.map((r) => [r.status, r.body.error?.code])));
  t.is(new Set(results.map((r) => r.body.order.id)).size, 1);
  t.is(new Set(results.map((r) => r.body.payment.prepayId)).size, 1);
  t.is(await app.core.m.Order.countDocuments({}), 1);
  t.is((await app.core.m.Inventory.findById(INV).lean())?.stock, 98);
  // The same key later still answers that order; another user's same key is their own.
  const later = await send();
  t.is(later.body.order.id, results[0].body.order.id);
  const bob = await app.api
    .post('/api/v1/orders')
    .set('Authorization', await auth(DEMO.bob))
    .set('Idempotency-Key', 'key-0001-abcdef')
    .send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 2 }] });
  t.is(bob.status, 201);
  t.not(bob.body.order.id, results[0].body.order.id);
  // The same key for a different order is refused.
  const other = await app.api
    .post('/api/v1/orders')
    .set('Authorization', h)
    .set('Idempotency-Key', 'key-0001-abcdef')
    .send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 3 }] });
  t.is(other.status, 409);
  t.is(other.body.error.code, 'IDEMPOTENCY_KEY_REUSED');
});

test.serial('orders are listed newest first with a cursor, and only their owner can read them', async (t) => {
  const { app, auth } = await startPayStack(t);
  await setStock(app.core.m, INV, 100);
  const alice = await auth(DEMO.alice);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await app.api.post('/api/v1/orders').set('Authorization', alice).send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 1 }] });
    ids.push(r.body.order.id);
    app.clock.advance(1000);
  }
  const p1 = await app.api.get('/api/v1/orders').query({ limit: 3 }).set('Authorization', alice);
  t.is(p1.status, 200);
  t.deepEqual(p1.body.orders.map((o: { id: string }) => o.id), ids.slice(2).reverse());
  const p2 = await app.api.get('/api/v1/orders').query({ limit: 3, cursor: p1.body.nextCursor }).set('Authorization', alice);
  t.deepEqual(p2.body.orders.map((o: { id: string }) => o.id), ids.slice(0, 2).reverse());
  t.is(p2.body.nextCursor, null);
  const filtered = await app.api.get('/api/v1/orders').query({ status: 'cancelled' }).set('Authorization', alice);
  t.deepEqual(filtered.body.orders, []);

  const mine = await app.api.get(`/api/v1/orders/${ids[0]}`).set('Authorization', alice);
  t.is(mine.status, 200);
  t.is(mine.body.order.history.length, 1);
  const bobs = await app.api.get(`/api/v1/orders/${ids[0]}`).set('Authorization', await auth(DEMO.bob));
  t.is(bobs.status, 404);
  t.is((await app.api.get('/api/v1/orders').set('Authorization', await auth(DEMO.bob))).body.orders.length, 0);
  t.is((await app.api.get('/api/v1/orders/not-an-id').set('Authorization', alice)).status, 400);
});

test.serial('cancelling an unpaid order gives its stock back once; a second cancel is a 409', async (t) => {
  const { app, auth } = await startPayStack(t);
  await setStock(app.core.m, INV, 10);
  const alice = await auth(DEMO.alice);
  const r = await app.api.post('/api/v1/orders').set('Authorization', alice).send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 4 }] });
  t.is((await app.core.m.Inventory.findById(INV).lean())?.stock, 6);
  const id = r.body.order.id;
  const cancels = await Promise.all(Array.from({ length: 10 }, () => app.api.post(`/api/v1/orders/${id}/cancel`).set('Authorization', alice)));
  t.is(cancels.filter((c) => c.status === 200).length, 1);
  t.true(cancels.filter((c) => c.status !== 200).every((c) => c.status === 409 && c.body.error.code === 'ORDER_STATE'));
  t.is((await app.core.m.Inventory.findById(INV).lean())?.stock, 10);
  const o = await app.core.services.order.mustGet(id);
  t.is(o.status, 'cancelled');
  t.is(o.history.length, 2);
  t.deepEqual(o.history[1].actor, { type: 'user', id: DEMO.alice });
  // Releasing again (as a crashed-and-retried sweep would) changes nothing.
  await app.core.m.Order.updateOne({ _id: id }, { $set: { stockReleasedAt: null } });
  await app.core.services.order.releaseStock((await app.core.services.order.get(id))!);
  t.is((await app.core.m.Inventory.findById(INV).lean())?.stock, 10);
  // Someone else cannot cancel it.
  const bob = await app.api.post(`/api/v1/orders/${id}/cancel`).set('Authorization', await auth(DEMO.bob));
  t.is(bob.status, 404);
});
