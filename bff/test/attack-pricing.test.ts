import test from 'ava';
import { adminAuth, customers, makeDeal, startGroupApp } from './group-fixtures.js';

/** Issue 18, hole 13: a 0-cent product or deal could be created, and a failed group open left a group document behind. */

test.serial('hole 13: a 0-cent product, store price or deal cannot be created', async (t) => {
  const { app } = await startGroupApp(t);
  const admin = await adminAuth(app);
  const product = (basePriceCents: number) =>
    app.api.post('/api/v1/admin/products').set('Authorization', admin).send({ title: '零元商品', categoryId: 'fruit', unit: '份', basePriceCents, stock: 10, storeIds: ['S001'] });
  const zero = await product(0);
  t.is(zero.status, 400);
  t.is(zero.body.error.code, 'VALIDATION_FAILED');
  t.is((await product(1)).status, 201, 'one cent is a price');
  for (const body of [{ priceCents: 0 }, { memberPriceCents: 0 }]) {
    const r = await app.api.patch('/api/v1/admin/inventory/S001/P0001').set('Authorization', admin).send(body);
    t.is(r.status, 400, JSON.stringify(body));
  }
  const deals = await app.core.m.Deal.countDocuments({});
  for (const over of [{ groupPriceCents: 0 }, { soloPriceCents: 0, groupPriceCents: 0 }, { groupPriceCents: 500, leaderDiscountCents: 500 }]) {
    await t.throwsAsync(makeDeal(app, over), { message: /deal create failed: 400/ }, JSON.stringify(over));
  }
  t.is(await app.core.m.Deal.countDocuments({}), deals);
  // Nor can a deal be patched down to a free leader seat.
  const deal = await makeDeal(app, { groupPriceCents: 500, leaderDiscountCents: 100 });
  const patched = await app.api.patch(`/api/v1/admin/deals/${deal.id}`).set('Authorization', admin).send({ leaderDiscountCents: 500 });
  t.is(patched.status, 422);
  t.is(patched.body.error.code, 'DEAL_INVALID');
  t.is((await app.api.patch(`/api/v1/admin/deals/${deal.id}`).set('Authorization', admin).send({ groupPriceCents: 0 })).status, 400);
});

test.serial('hole 13: 20 parallel opens of a deal with room for one group leave one group and no failed group documents', async (t) => {
  const { app } = await startGroupApp(t);
  const deal = await makeDeal(app, { groupSize: 2, stockCap: 2 });
  const crowd = await customers(app, 'soldout', 20);
  const res = await Promise.all(crowd.map((c) => app.api.post('/api/v1/groups').set('Authorization', c.auth).send({ dealId: deal.id, storeId: 'S001' })));
  t.is(res.filter((r) => r.status === 201).length, 1);
  t.true(res.filter((r) => r.status !== 201).every((r) => r.body.error.code === 'DEAL_SOLD_OUT'));
  t.is(await app.core.m.Group.countDocuments({ dealId: deal.id }), 1);
  t.is(await app.core.m.Group.countDocuments({ status: 'failed' }), 0);
  t.is(await app.core.m.Order.countDocuments({ dealId: deal.id }), 1);
});

test.serial('hole 13: a group open whose order cannot be made (product gone from the shelf) leaves no group and gives the cap back', async (t) => {
  const { app } = await startGroupApp(t);
  const deal = await makeDeal(app, { groupSize: 2, stockCap: 10 });
  await app.api.patch('/api/v1/admin/inventory/S001/P0001').set('Authorization', await adminAuth(app)).send({ active: false });
  const [c] = await customers(app, 'gone', 1);
  const r = await app.api.post('/api/v1/groups').set('Authorization', c.auth).send({ dealId: deal.id, storeId: 'S001' });
  t.is(r.status, 404);
  t.is(await app.core.m.Group.countDocuments({ dealId: deal.id }), 0);
  const d = await app.core.m.Deal.findById(deal.id).lean();
  t.is(d!.sold, 0);
  t.deepEqual(d!.holds ?? {}, {});
});
