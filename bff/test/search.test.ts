import test from 'ava';
import { startTestApp } from './helpers.js';

interface Item {
  id: string;
  title: string;
  categoryId: string;
  priceCents: number;
  memberPriceCents: number;
  stock: number;
  available: boolean;
}

test('search: q matches a title or a category name at the chosen store, with that store\'s prices, in pages', async (t) => {
  const app = await startTestApp(t, { seed: true });
  const all = async (query: Record<string, string | number>) => {
    const items: Item[] = [];
    let cursor: string | undefined;
    do {
      const res = await app.api.get('/api/v1/products').query({ ...query, ...(cursor ? { cursor } : {}), limit: 7 });
      t.is(res.status, 200, JSON.stringify(res.body));
      items.push(...res.body.items);
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    return items;
  };

  // 水果 is in no title of the seed's fruit but in the category's name 新鲜水果: every fruit, once.
  const fruit = await all({ storeId: 'S001', q: '水果' });
  const byCategory = await all({ storeId: 'S001', category: 'fruit' });
  t.true(fruit.length >= byCategory.length && byCategory.length > 0);
  t.deepEqual(new Set(byCategory.map((i) => i.id)), new Set(fruit.filter((i) => i.categoryId === 'fruit').map((i) => i.id)));
  t.is(new Set(fruit.map((i) => i.id)).size, fruit.length, 'no product twice across pages');

  // A name: the store's own price, member price and stock come with it (the screen needs nothing else).
  const apples = await all({ storeId: 'S002', q: '苹果' });
  t.true(apples.length > 0);
  t.true(apples.every((i) => i.title.includes('苹果') || i.categoryId === 'fruit'));
  const row = (await app.core.m.Inventory.findById(`S002:${apples[0].id}`).lean())!;
  t.is(apples[0].priceCents, row.priceCents);
  t.is(apples[0].memberPriceCents, row.memberPriceCents);
  t.is(apples[0].stock, row.stock);

  // Taken off this store's shelf: not found here.
  await app.core.m.Inventory.updateOne({ _id: `S002:${apples[0].id}` }, { $set: { active: false } });
  const { bumpInventory } = await import('../src/modules/catalog/catalog.service.js');
  await bumpInventory(app.core.m.CatalogMeta, 'S002', [apples[0].id]);
  t.false((await all({ storeId: 'S002', q: '苹果' })).some((i) => i.id === apples[0].id));
  t.true((await all({ storeId: 'S001', q: '苹果' })).some((i) => i.id === apples[0].id));

  // Nonsense finds nothing (the screen's empty state); too long or empty is a 400.
  const none = await app.api.get('/api/v1/products').query({ storeId: 'S001', q: '量子纠缠xyzzy' });
  t.is(none.status, 200);
  t.deepEqual(none.body.items, []);
  t.is(none.body.nextCursor, null);
  for (const q of ['x'.repeat(41), '   ']) {
    const bad = await app.api.get('/api/v1/products').query({ storeId: 'S001', q });
    t.is(bad.status, 400, q);
    t.is(bad.body.error.code, 'VALIDATION_FAILED');
  }
});
