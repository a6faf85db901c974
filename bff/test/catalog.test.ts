import test from 'ava';
import { DEMO, startTestApp, tokenFor } from './helpers.js';

type Item = { id: string; priceCents: number; memberPriceCents: number; stock: number; available: boolean; title: string; categoryId: string };

test('a store page lists products with that store price, member price, stock and availability', async (t) => {
  const app = await startTestApp(t, { seed: true });
  const res = await app.api.get('/api/v1/products').query({ storeId: 'S001', limit: 5 });
  t.is(res.status, 200);
  t.is(res.body.storeId, 'S001');
  t.is(res.body.items.length, 5);
  t.truthy(res.body.nextCursor);
  const rows = await app.core.m.Inventory.find({ storeId: 'S001', productId: { $in: res.body.items.map((i: Item) => i.id) } }).lean();
  for (const it of res.body.items as Item[]) {
    const row = rows.find((r) => r.productId === it.id)!;
    t.is(it.priceCents, row.priceCents);
    t.is(it.memberPriceCents, row.memberPriceCents);
    t.is(it.stock, row.stock);
    t.is(it.available, row.stock > 0);
  }
  // Another store has its own prices for the same products.
  const other = await app.api.get('/api/v1/products').query({ storeId: 'S002', limit: 5 });
  t.deepEqual(other.body.items.map((i: Item) => i.id), res.body.items.map((i: Item) => i.id));
});

test('pagination returns every product exactly once while products are inserted and stock changes between pages', async (t) => {
  const app = await startTestApp(t, { seed: true });
  const admin = await tokenFor(app, { id: DEMO.admin, roles: ['customer', 'admin'] });
  const expected = new Set((await app.core.m.Inventory.find({ storeId: 'S001', active: true }, { productId: 1 }).lean()).map((r) => r.productId));
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await app.api.get('/api/v1/products').query({ storeId: 'S001', limit: 25, ...(cursor ? { cursor } : {}) });
    t.is(res.status, 200);
    seen.push(...res.body.items.map((i: Item) => i.id));
    cursor = res.body.nextCursor ?? undefined;
    pages++;
    if (pages <= 4) {
      const created = await app.api
        .post('/api/v1/admin/products')
        .set('Authorization', `Bearer ${admin}`)
        .send({ title: `新品 测试${pages}号`, categoryId: 'fruit', unit: '份', basePriceCents: 990, stock: 10, storeIds: ['S001'] });
      t.is(created.status, 201, JSON.stringify(created.body));
      expected.add(created.body.product.id);
      // Stock of an item already seen and of one still ahead both change.
      await app.core.services.catalog.takeStock('S001', seen[0], 1);
      await app.core.services.catalog.takeStock('S001', 'P0300', 1);
    }
  } while (cursor);
  t.is(seen.length, new Set(seen).size, 'no product twice');
  t.deepEqual([...seen].sort(), [...expected].sort(), 'every product, including those added meanwhile');
});

test('category filter and keyword search are case- and width-insensitive over Chinese titles', async (t) => {
  const app = await startTestApp(t, { seed: true });
  const fruit = await app.api.get('/api/v1/products').query({ storeId: 'S001', category: 'fruit', limit: 50 });
  t.is(fruit.status, 200);
  t.is(fruit.body.items.length, 30);
  t.true(fruit.body.items.every((i: Item) => i.categoryId === 'fruit'));

  const kg = await app.api.get('/api/v1/products').query({ storeId: 'S001', q: '苹果', limit: 50 });
  t.true(kg.body.items.length >= 3);
  t.true(kg.body.items.every((i: Item) => i.title.includes('苹果')));

  // Full-width, upper-case "１ＫＧ" finds the titles written "1kg".
  const wide = await app.api.get('/api/v1/products').query({ storeId: 'S001', q: '苹果 １ＫＧ' });
  t.deepEqual(wide.body.items.map((i: Item) => i.title), ['红富士苹果 1kg']);

  // Regex metacharacters are plain text, not a pattern.
  for (const q of ['.*', '(', '[a-z]+', '\\']) {
    const res = await app.api.get('/api/v1/products').query({ storeId: 'S001', q });
    t.is(res.status, 200, q);
    t.is(res.body.items.length, 0, q);
  }
});

test('an invalid cursor, storeId, category or limit answers 400', async (t) => {
  const app = await startTestApp(t, { seed: true });
  const bad = [
    { storeId: 'S001', cursor: 'not a cursor!' },
    { storeId: 'S001', cursor: Buffer.from('-5').toString('base64url') },
    { storeId: 'S001', cursor: Buffer.from('{"$gt":""}').toString('base64url') },
    { storeId: 'S001', cursor: 'MDAx' }, // "001": not the canonical form
    { storeId: 'bad' },
    { storeId: { $gt: '' } },
    {},
    { storeId: 'S001', category: 'Fruit!' },
    { storeId: 'S001', limit: 0 },
    { storeId: 'S001', extra: 1 },
  ];
  for (const q of bad) {
    const res = await app.api.get('/api/v1/products').query(q);
    t.is(res.status, 400, JSON.stringify(q));
    t.regex(res.body.error.code, /^(VALIDATION_FAILED|INVALID_CURSOR)$/);
  }
  const unknown = await app.api.get('/api/v1/products').query({ storeId: 'S999' });
  t.is(unknown.status, 404);
  t.is(unknown.body.error.code, 'STORE_NOT_FOUND');
});

test('a product answers with its price at the store and its active group deals with open group counts', async (t) => {
  const app = await startTestApp(t, { seed: true });
  const res = await app.api.get('/api/v1/products/P0010').query({ storeId: 'S001' });
  t.is(res.status, 200);
  t.is(res.body.product.id, 'P0010');
  const deal = (await app.core.m.Deal.find({ productId: 'P0010', storeIds: 'S001' }).lean()).map((d) => d._id);
  t.deepEqual(res.body.deals.map((d: { id: string }) => d.id), deal);
  t.true(res.body.deals.length > 0);
  for (const d of res.body.deals) t.is(typeof d.openGroups, 'number');

  // A deal that has ended is not shown.
  app.clock.advance(10 * 365 * 24 * 3600 * 1000);
  const later = await app.api.get('/api/v1/products/P0010').query({ storeId: 'S001' });
  t.deepEqual(later.body.deals, []);

  t.is((await app.api.get('/api/v1/products/P9999').query({ storeId: 'S001' })).status, 404);
  t.is((await app.api.get('/api/v1/products/xx').query({ storeId: 'S001' })).status, 400);
  t.is((await app.api.get('/api/v1/products/P0010')).status, 400);
});

test('a stock or price change is visible on the next request, through the admin API and through takeStock', async (t) => {
  const app = await startTestApp(t, { seed: true });
  const admin = await tokenFor(app, { id: DEMO.admin, roles: ['customer', 'admin'] });
  const first = async () => (await app.api.get('/api/v1/products').query({ storeId: 'S001', limit: 1 })).body.items[0] as Item;
  const before = await first();
  await first(); // warm cache

  const patched = await app.api
    .patch(`/api/v1/admin/inventory/S001/${before.id}`)
    .set('Authorization', `Bearer ${admin}`)
    .send({ priceCents: before.priceCents + 100, stockDelta: -before.stock });
  t.is(patched.status, 200, JSON.stringify(patched.body));
  const after = await first();
  t.is(after.priceCents, before.priceCents + 100);
  t.is(after.stock, 0);
  t.false(after.available);

  await app.api.patch(`/api/v1/admin/inventory/S001/${before.id}`).set('Authorization', `Bearer ${admin}`).send({ stockDelta: 7 });
  t.true(await app.core.services.catalog.takeStock('S001', before.id, 2));
  t.false(await app.core.services.catalog.takeStock('S001', before.id, 6), 'never below zero');
  t.is((await first()).stock, 5);
  const detail = await app.api.get(`/api/v1/products/${before.id}`).query({ storeId: 'S001' });
  t.is(detail.body.product.stock, 5);
});

test('the admin inventory API requires the admin role and validates its body', async (t) => {
  const app = await startTestApp(t, { seed: true });
  const alice = await tokenFor(app, { id: DEMO.alice });
  const admin = await tokenFor(app, { id: DEMO.admin, roles: ['customer', 'admin'] });
  t.is((await app.api.patch('/api/v1/admin/inventory/S001/P0001').send({ stockDelta: 1 })).status, 401);
  t.is((await app.api.patch('/api/v1/admin/inventory/S001/P0001').set('Authorization', `Bearer ${alice}`).send({ stockDelta: 1 })).status, 403);
  for (const body of [{}, { stock: 1 }, { stockDelta: 1.5 }, { stockDelta: { $gt: 0 } }, { priceCents: 1.5 }, { other: 1 }]) {
    const res = await app.api.patch('/api/v1/admin/inventory/S001/P0001').set('Authorization', `Bearer ${admin}`).send(body);
    t.is(res.status, 400, JSON.stringify(body));
  }
  const above = await app.api.patch('/api/v1/admin/inventory/S001/P0001').set('Authorization', `Bearer ${admin}`).send({ memberPriceCents: 99_999_999 });
  t.is(above.status, 422);
  t.is((await app.api.patch('/api/v1/admin/inventory/S001/P9999').set('Authorization', `Bearer ${admin}`).send({ stockDelta: 1 })).status, 404);
});
