import test from 'ava';
import { randomBytes } from 'node:crypto';
import { connectDb } from '@linli/bff/common/db';
import { seed } from '../src/seed/seed.js';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PRODUCT_IMAGES_DIR } from '@linli/bff/modules/assets/static-files';
import { generateChain } from '../src/seed/generate.js';
import { CATEGORIES } from '../src/seed/data.js';
import { buildPictures } from '../src/seed/pictures.js';
import committedManifest from '../src/seed/pictures.json' with { type: 'json' };

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
  t.true(a.products.every((p) => /[\u4e00-\u9fa5]/.test(p.title) && /^\/static\/products\/[0-9a-f]{16}\.svg$/.test(p.image)));
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

// The rules a shopper would check on the shelf, for every item at every store.
const chain = generateChain();
const price = new Map(chain.inventory.map((r) => [r._id, r]));
/** Each item with its products, smallest spec first (products are item × spec in catalog order). */
const items = (() => {
  let i = 0;
  return CATEGORIES.flatMap((c) => c.items.map((item) => ({ item, specs: c.specs, products: c.specs.map(() => chain.products[i++]) })));
})();
const isShopPrice = (cents: number) => /[89]0$/.test(String(cents)) || (cents < 1000 && /50$/.test(String(cents)));

test('every price is a shop price: ends in .80 or .90 (or .50 under ¥10)', (t) => {
  const bad = [...chain.products.map((p) => [p._id, p.basePriceCents] as const), ...chain.inventory.map((r) => [r._id, r.priceCents] as const)].filter(([, c]) => !isShopPrice(c));
  t.deepEqual(bad, []);
});

test('at every store a larger spec costs more in all, less per unit, and two of a thing 1.7–1.95 times one', (t) => {
  let checked = 0;
  for (const s of chain.stores) {
    for (const { item, specs, products } of items) {
      const cents = products.map((p) => price.get(`${s._id}:${p._id}`)!.priceCents);
      for (let i = 1; i < specs.length; i += 1) {
        t.true(cents[i] > cents[i - 1], `${s._id} ${item.name}: ${specs[i].name} ${cents[i]} > ${specs[i - 1].name} ${cents[i - 1]}`);
        for (let j = 0; j < i; j += 1) {
          const [a, b] = [specs[j].qty, specs[i].qty];
          if (a === undefined || b === undefined) continue;
          // Per unit at least 2 % cheaper: cents[i] / b < 0.98 * cents[j] / a.
          t.true(cents[i] * a < 0.98 * cents[j] * b, `${s._id} ${item.name}: ${specs[i].name} per unit below ${specs[j].name}`);
        }
        if (specs[0].qty === 1 && specs[i].qty === 2) {
          const ratio = cents[i] / cents[0];
          t.true(ratio >= 1.7 && ratio < 1.95, `${s._id} ${item.name}: ${specs[i].name} is ${ratio.toFixed(2)} × ${specs[0].name}`);
        }
      }
      checked += 1;
    }
  }
  t.is(checked, chain.stores.length * 120);
});

test('the banana of the issue: 1kg costs 1.8–1.9 times 500g, not a quarter of it', (t) => {
  const banana = items.find((x) => x.item.name === '海南香蕉')!;
  const [g500, kg1] = banana.products.map((p) => p.basePriceCents);
  t.is(banana.products[0].title, '海南香蕉 500g');
  t.true(kg1 / g500 >= 1.8 && kg1 / g500 <= 1.95, `${kg1} / ${g500}`);
});

test('member prices are a few percent below the shelf; store prices stay near the chain price', (t) => {
  const base = new Map(chain.products.map((p) => [p._id, p.basePriceCents]));
  for (const r of chain.inventory) {
    if (!(r.memberPriceCents < r.priceCents && r.memberPriceCents >= 0.9 * r.priceCents)) t.fail(`${r._id}: member ${r.memberPriceCents} vs shelf ${r.priceCents}`);
    const spread = r.priceCents / base.get(r.productId)! - 1;
    if (Math.abs(spread) > 0.12) t.fail(`${r._id}: ${r.priceCents} is ${(spread * 100).toFixed(1)} % off the chain price`);
  }
  // Stores do differ, though: not one price list copied everywhere.
  t.true(new Set(chain.inventory.filter((r) => r.productId === 'P0100').map((r) => r.priceCents)).size > 1);
});

test('a deal sells solo at the shelf price of every store it runs in, the group below the member price', (t) => {
  t.true(chain.deals.length >= 8);
  for (const d of chain.deals) {
    for (const storeId of d.storeIds) {
      const row = price.get(`${storeId}:${d.productId}`)!;
      t.is(d.soloPriceCents, row.priceCents, `${d._id} at ${storeId}`);
      t.true(d.groupPriceCents < row.memberPriceCents, `${d._id}: group ${d.groupPriceCents} < member ${row.memberPriceCents}`);
    }
    t.true(d.groupPriceCents < d.soloPriceCents && d.groupPriceCents >= 0.7 * d.soloPriceCents, `${d._id}: group about a fifth off`);
    t.true(isShopPrice(d.groupPriceCents), `${d._id}: ${d.groupPriceCents}`);
    t.true(d.groupPriceCents - d.leaderDiscountCents > 0, `${d._id}: the leader still pays something`);
  }
});

test('the committed pictures are what the picture script makes, one small file per item', (t) => {
  const { files, manifest } = buildPictures();
  t.deepEqual(committedManifest, manifest, 'mock/src/seed/pictures.json is stale: run npm run pictures -w mock');
  const onDisk = readdirSync(PRODUCT_IMAGES_DIR).filter((f) => f.endsWith('.svg')).sort();
  t.deepEqual(onDisk, [...files.keys()].sort(), 'bff/static/products differs from the script: run npm run pictures -w mock');
  for (const [name, svg] of files) {
    const bytes = readFileSync(path.join(PRODUCT_IMAGES_DIR, name));
    t.is(bytes.toString('utf8'), svg, name);
    t.true(bytes.length <= 8 * 1024, `${name}: ${bytes.length} B`);
  }
  t.is(Object.keys(manifest).length, 120);
  // A stand-in picture carries the whole name, never a cut one.
  for (const c of CATEGORIES) {
    for (const item of c.items) {
      const svg = files.get(manifest[item.name])!;
      t.is(svg.includes(`>${item.name}</text>`), !item.exact, item.name);
    }
  }
});
