import test from 'ava';
import { randomBytes } from 'node:crypto';
import { connectDb } from '@linli/bff/common/db';
import { seed } from '../src/seed/seed.js';
import { generateChain } from '../src/seed/generate.js';

test('the generated chain is deterministic and believable', (t) => {
  const a = generateChain();
  const b = generateChain();
  t.deepEqual(a.inventory.slice(0, 50), b.inventory.slice(0, 50));
  t.deepEqual(a.memberCards.slice(-20), b.memberCards.slice(-20));
  t.true(a.stores.length >= 30);
  t.deepEqual([...new Set(a.stores.map((s) => s.city))].sort(), ['上海', '杭州']);
  t.true(a.products.length >= 300);
  t.true(a.categories.length >= 10);
  t.true(a.memberCards.length >= 1000);
  t.true(a.products.every((p) => /[\u4e00-\u9fa5]/.test(p.title) && p.image.startsWith('data:image/svg+xml')));
  t.is(new Set(a.memberCards.map((c) => c._id)).size, a.memberCards.length);
  for (const openid of ['demo-alice', 'demo-bob', 'demo-carol', 'demo-clerk', 'demo-admin']) {
    t.truthy(a.users.find((u) => u.openid === openid), openid);
  }
  t.deepEqual(a.users.find((u) => u.openid === 'demo-clerk')?.clerkStoreIds, ['S001']);
});

test('seeding twice leaves the same counts and keeps live changes', async (t) => {
  const conn = await connectDb(process.env.MONGO_URL!, `t_seed_${randomBytes(4).toString('hex')}`);
  t.teardown(async () => {
    await conn.dropDatabase();
    await conn.close();
  });
  const first = await seed(conn);
  t.true(first.inventory.inserted > 0);
  const inv = conn.collection('inventory');
  await inv.updateOne({ _id: 'S001:P0001' as never }, { $set: { stock: 7 } });
  const second = await seed(conn);
  for (const [name, r] of Object.entries(second)) {
    t.is(r.inserted, 0, name);
    t.is(r.total, first[name].total, name);
  }
  t.is((await inv.findOne({ _id: 'S001:P0001' as never }))?.stock, 7);
});
