import test from 'ava';
import { DEMO, startTestApp, tokenFor } from './helpers.js';

type Store = { id: string; lat: number; lng: number; distanceM: number };

test('home at the coordinates of each known store chooses that store, with 3 nearby stores nearest first', async (t) => {
  const app = await startTestApp(t, { seed: true });
  const stores = await app.core.m.Store.find({ active: true }).lean();
  t.true(stores.length >= 30);
  for (const s of stores) {
    const res = await app.api.get('/api/v1/home').query({ lat: s.lat, lng: s.lng });
    t.is(res.status, 200);
    t.is(res.body.store.id, s._id);
    t.is(res.body.store.distanceM, 0);
    const nearby = res.body.nearby as Store[];
    t.is(nearby.length, 3);
    t.false(nearby.some((n) => n.id === s._id));
    for (let i = 1; i < nearby.length; i++) t.true(nearby[i - 1].distanceM <= nearby[i].distanceM);
  }
  // A point in West Lake district, Hangzhou, is served by the West Lake store, not a Shanghai one.
  const hz = await app.api.get('/api/v1/home').query({ lat: 30.26, lng: 120.131 });
  t.regex(hz.body.store.name, /西湖/);
  t.true(hz.body.store.distanceM < 200);
});

// Tests that are not about the budget warm the caches and give parts time (the test machine is shared).
const ROOMY = { HOME_PART_BUDGET_MS: '5000' };

test('home answers every part in one round trip', async (t) => {
  const app = await startTestApp(t, { seed: true, env: ROOMY });
  await app.core.services.catalog.warm();
  const alice = await tokenFor(app, { id: DEMO.alice });
  const res = await app.api.get('/api/v1/home').query({ storeId: 'S001' }).set('Authorization', `Bearer ${alice}`);
  t.is(res.status, 200);
  t.deepEqual(res.body.partial, []);
  t.is(res.body.store.id, 'S001');
  t.is(res.body.nearby.length, 3);
  t.true(res.body.categories.length >= 10);
  t.is(res.body.products.items.length, 20);
  t.truthy(res.body.products.nextCursor);
  t.true(res.body.deals.length > 0);
  t.true(res.body.deals.every((d: { openGroups: number }) => d.openGroups === 0));
  t.truthy(res.body.member);
  // Anonymous: no member part, and it is not "partial" either.
  const anon = await app.api.get('/api/v1/home').query({ storeId: 'S001' });
  t.is(anon.body.member, undefined);
  t.deepEqual(anon.body.partial, []);
  // The first page continues with /products.
  const next = await app.api.get('/api/v1/products').query({ storeId: 'S001', cursor: res.body.products.nextCursor });
  t.is(next.status, 200);
  t.false(next.body.items.some((i: { id: string }) => res.body.products.items.some((h: { id: string }) => h.id === i.id)));
});

test('a forced slow member part yields 200 with partial ["member"] within the budget', async (t) => {
  const memberSummary = () => new Promise<never>((resolve) => setTimeout(() => resolve({ cardNo: 'late' } as never), 6000));
  const app = await startTestApp(t, { seed: true, env: { HOME_PART_BUDGET_MS: '1000' }, overrides: { memberSummary } });
  const alice = await tokenFor(app, { id: DEMO.alice });
  await app.core.services.catalog.warm();
  const started = Date.now();
  const res = await app.api.get('/api/v1/home').query({ storeId: 'S001' }).set('Authorization', `Bearer ${alice}`);
  const ms = Date.now() - started;
  t.is(res.status, 200);
  t.deepEqual(res.body.partial, ['member']);
  t.is(res.body.member, undefined);
  t.is(res.body.products.items.length, 20);
  t.true(res.body.deals.length > 0);
  t.true(ms < 5000, `answered in ${ms} ms, before the member part would have`);
});

test('a failing part is left out and named, the rest still answers 200', async (t) => {
  const openGroupCounts = async (): Promise<never> => {
    throw new Error('groups collection unavailable');
  };
  const app = await startTestApp(t, { seed: true, env: ROOMY, overrides: { openGroupCounts } });
  await app.core.services.catalog.warm();
  const res = await app.api.get('/api/v1/home').query({ lat: 31.2317, lng: 121.4846 });
  t.is(res.status, 200);
  t.deepEqual(res.body.partial, ['deals']);
  t.is(res.body.deals, undefined);
  t.is(res.body.products.items.length, 20);
});

test('invalid lat/lng or storeId answers 400; an unknown store 404', async (t) => {
  const app = await startTestApp(t, { seed: true });
  const bad = [
    { lat: 91, lng: 121 },
    { lat: 31, lng: 181 },
    { lat: 'abc', lng: 121 },
    { lat: 31 },
    { lng: 121 },
    {},
    { storeId: 'shop1' },
    { storeId: 'S001', lat: 31, lng: 121 },
    { storeId: { $ne: 'x' } },
    { storeId: 'S001', extra: '1' },
  ];
  for (const q of bad) {
    const res = await app.api.get('/api/v1/home').query(q);
    t.is(res.status, 400, JSON.stringify(q));
    t.is(res.body.error.code, 'VALIDATION_FAILED');
  }
  const unknown = await app.api.get('/api/v1/home').query({ storeId: 'S999' });
  t.is(unknown.status, 404);
  t.is(unknown.body.error.code, 'STORE_NOT_FOUND');
});

test('an unchanged home answers 304 to If-None-Match; a stock change gives a new ETag at once', async (t) => {
  const app = await startTestApp(t, { seed: true, env: ROOMY });
  await app.core.services.catalog.warm();
  const first = await app.api.get('/api/v1/home').query({ storeId: 'S001' });
  const etag = first.headers.etag;
  t.regex(etag, /^"[A-Za-z0-9_-]+"$/);
  const again = await app.api.get('/api/v1/home').query({ storeId: 'S001' }).set('If-None-Match', etag);
  t.is(again.status, 304);
  t.is(again.text, '');

  const pid = first.body.products.items[0].id;
  const stock = first.body.products.items[0].stock;
  t.true(await app.core.services.catalog.takeStock('S001', pid, 1));
  const changed = await app.api.get('/api/v1/home').query({ storeId: 'S001' }).set('If-None-Match', etag);
  t.is(changed.status, 200);
  t.not(changed.headers.etag, etag);
  t.is(changed.body.products.items[0].stock, stock - 1);

  // /products carries an ETag too.
  const p1 = await app.api.get('/api/v1/products').query({ storeId: 'S001' });
  t.is((await app.api.get('/api/v1/products').query({ storeId: 'S001' }).set('If-None-Match', p1.headers.etag)).status, 304);
});

test('a warm home request reads only the small version table, whatever the load', async (t) => {
  const app = await startTestApp(t, { seed: true, env: ROOMY });
  await app.core.services.catalog.warm();
  await app.api.get('/api/v1/home').query({ storeId: 'S001' });
  const reads = new Map<string, number>();
  app.core.conn.set('debug', (collection: string) => reads.set(collection, (reads.get(collection) ?? 0) + 1));
  const results = await Promise.all(Array.from({ length: 200 }, () => app.api.get('/api/v1/home').query({ storeId: 'S001' })));
  app.core.conn.set('debug', false);
  t.true(results.every((r) => r.status === 200));
  for (const c of ['products', 'inventory', 'categories', 'deals', 'stores']) t.is(reads.get(c) ?? 0, 0, c);
  // Version reads are coalesced: concurrent requests share reads that started after they arrived.
  t.true((reads.get('catalog_meta') ?? 0) < 200, `catalog_meta reads: ${reads.get('catalog_meta')}`);
});
