import test from 'ava';
import { customers, join, makeDeal, openPaidGroup, pay, startGroupApp } from './group-fixtures.js';

/** Issue 18, hole 6: one user could hold 31 unpaid orders and reserve a product's whole stock for 15 minutes. */

const ORDERS = '/api/v1/orders';

test.serial('hole 6: 40 parallel orders by one user leave at most 5 unpaid, the rest answer 409 TOO_MANY_UNPAID_ORDERS and hold no stock', async (t) => {
  const { app } = await startGroupApp(t);
  await app.core.m.Inventory.updateOne({ _id: 'S001:P0001' }, { $set: { stock: 1000 } });
  const [hoarder, honest] = await customers(app, 'hoard', 2);
  const res = await Promise.all(Array.from({ length: 40 }, () => app.api.post(ORDERS).set('Authorization', hoarder.auth).send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 20 }] })));
  const won = res.filter((r) => r.status === 201);
  t.is(won.length, 5);
  const lost = res.filter((r) => r.status !== 201);
  t.true(lost.every((r) => r.status === 409 && r.body.error.code === 'TOO_MANY_UNPAID_ORDERS'), JSON.stringify(lost.map((r) => r.body.error?.code)));
  t.is(await app.core.m.Order.countDocuments({ userId: hoarder.id, status: 'pending_payment' }), 5);
  // Only the 5 orders' units left the shelf: 5 × 20 of 1000.
  const row = await app.core.m.Inventory.findById('S001:P0001').lean();
  t.is(row!.stock, 1000 - 100);
  // Another customer is not affected.
  t.is((await app.api.post(ORDERS).set('Authorization', honest.auth).send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 1 }] })).status, 201);
  // Paying or cancelling one frees its slot at once.
  await pay(app, won[0].body.order.id);
  t.is((await app.api.post(`${ORDERS}/${won[1].body.order.id}/cancel`).set('Authorization', hoarder.auth)).status, 200);
  const again = await Promise.all(Array.from({ length: 10 }, () => app.api.post(ORDERS).set('Authorization', hoarder.auth).send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 1 }] })));
  t.is(again.filter((r) => r.status === 201).length, 2);
});

test.serial('hole 6: one order cannot hold more than 40 units', async (t) => {
  const { app } = await startGroupApp(t);
  const [c] = await customers(app, 'bulk', 1);
  const before = (await app.core.m.Inventory.findById('S001:P0001').lean())!.stock;
  const big = await app.api.post(ORDERS).set('Authorization', c.auth).send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 30 }, { productId: 'P0002', qty: 11 }] });
  t.is(big.status, 422);
  t.is(big.body.error.code, 'ORDER_TOO_LARGE');
  t.is(big.body.error.details.maxUnits, 40);
  t.is((await app.core.m.Inventory.findById('S001:P0001').lean())!.stock, before);
  t.is((await app.api.post(ORDERS).set('Authorization', c.auth).send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 40 }] })).status, 201);
});

test.serial('hole 6: unpaid group seats count too: a user opening 20 groups in parallel holds at most 5 and the deal cap gets the rest back', async (t) => {
  const { app } = await startGroupApp(t);
  const deal = await makeDeal(app, { groupSize: 2, perUserLimit: 50, stockCap: 1000 });
  const [c] = await customers(app, 'seats', 1);
  const res = await Promise.all(Array.from({ length: 20 }, () => app.api.post('/api/v1/groups').set('Authorization', c.auth).send({ dealId: deal.id, storeId: 'S001' })));
  t.is(res.filter((r) => r.status === 201).length, 5);
  t.true(res.filter((r) => r.status !== 201).every((r) => r.body.error.code === 'TOO_MANY_UNPAID_ORDERS'));
  t.is((await app.core.m.Deal.findById(deal.id).lean())!.sold, 5 * 2);
  t.is(await app.core.m.Group.countDocuments({ dealId: deal.id }), 5);
});

test.serial('hole 6: a join tries an unpaid slot without reading them first: a user at the cap joining 8 groups in parallel gets 409 TOO_MANY_UNPAID_ORDERS and every seat back', async (t) => {
  const { app } = await startGroupApp(t);
  const deal = await makeDeal(app, { groupSize: 3, perUserLimit: 50, stockCap: 1000 });
  const [c, leader] = await customers(app, 'joincap', 2);
  const groups = [];
  for (let i = 0; i < 11; i++) groups.push((await openPaidGroup(app, leader, deal.id)).groupId);
  // Three joins hold three slots; then eight in parallel race for the last two.
  for (const g of groups.slice(0, 3)) t.is((await join(app, c, g)).status, 201);
  const res = await Promise.all(groups.slice(3).map((g) => join(app, c, g)));
  t.is(res.filter((r) => r.status === 201).length, 2, JSON.stringify(res.map((r) => r.body.error?.code ?? r.status)));
  t.true(res.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.error.code === 'TOO_MANY_UNPAID_ORDERS'), JSON.stringify(res.map((r) => r.body.error?.code)));
  t.is(await app.core.m.Order.countDocuments({ userId: c.id, status: 'pending_payment' }), 5);
  // A refused join held its seat only while its order was tried: the seat is free again.
  const docs = await app.core.m.Group.find({ _id: { $in: groups } }).lean();
  t.is(docs.filter((g) => g.seats[c.id]).length, 5);
  t.true(docs.every((g) => g.seatsLeft === (g.seats[c.id] ? 1 : 2)), JSON.stringify(docs.map((g) => g.seatsLeft)));
});

test.serial('hole 6: an Idempotency-Key retry of an unpaid order still answers it when the user is at the cap', async (t) => {
  const { app } = await startGroupApp(t);
  const [c] = await customers(app, 'retry', 1);
  const place = (key: string) => app.api.post(ORDERS).set('Authorization', c.auth).set('Idempotency-Key', key).send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 1 }] });
  const first = await Promise.all(Array.from({ length: 5 }, (_, i) => place(`hoard-retry-key-${i}`)));
  t.deepEqual([...new Set(first.map((r) => r.status))], [201]);
  const retry = await place('hoard-retry-key-0');
  t.is(retry.status, 201);
  t.is(retry.body.order.id, first[0].body.order.id);
  t.is((await place('hoard-retry-key-new')).body.error.code, 'TOO_MANY_UNPAID_ORDERS');
});
