import test from 'ava';
import { customers, makeDeal, startGroupApp } from './group-fixtures.js';

test('GET /stores/:id answers one store (with its distance from a point), cached a minute; unknown is 404, bad input 400', async (t) => {
  const { app } = await startGroupApp(t);
  const plain = await app.api.get('/api/v1/stores/S001');
  t.is(plain.status, 200, JSON.stringify(plain.body));
  t.like(plain.body.store, { id: 'S001' });
  t.truthy(plain.body.store.address);
  t.truthy(plain.body.store.openHours);
  t.truthy(plain.body.store.phone);
  t.is(plain.body.store.distanceM, undefined);
  t.is(plain.headers['cache-control'], 'public, max-age=60');

  const at = await app.api.get('/api/v1/stores/S001').query({ lat: plain.body.store.lat, lng: plain.body.store.lng });
  t.is(at.body.store.distanceM, 0);
  const far = await app.api.get('/api/v1/stores/S001').query({ lat: plain.body.store.lat + 0.1, lng: plain.body.store.lng });
  t.true(far.body.store.distanceM > 10_000 && far.body.store.distanceM < 12_000, String(far.body.store.distanceM));

  const missing = await app.api.get('/api/v1/stores/S999');
  t.is(missing.status, 404);
  t.is(missing.body.error.code, 'STORE_NOT_FOUND');
  for (const bad of [{ path: '/api/v1/stores/nope' }, { path: '/api/v1/stores/S001', query: { lat: 31 } }, { path: '/api/v1/stores/S001', query: { lat: 'x', lng: 1 } }, { path: '/api/v1/stores/S001', query: { zoom: 3 } }]) {
    const r = await app.api.get(bad.path).query(bad.query ?? {});
    t.is(r.status, 400, JSON.stringify(bad));
    t.is(r.body.error.code, 'VALIDATION_FAILED');
  }
});

test('the group page and the order detail carry the store where the goods are collected', async (t) => {
  const { app } = await startGroupApp(t);
  const [leader] = await customers(app, 'sc', 1);
  const deal = await makeDeal(app);
  const opened = await app.api.post('/api/v1/groups').set('Authorization', leader.auth).send({ dealId: deal.id, storeId: 'S001' });
  t.is(opened.status, 201, JSON.stringify(opened.body));

  const group = await app.api.get(`/api/v1/groups/${opened.body.groupId}`);
  t.is(group.status, 200);
  t.like(group.body.store, { id: 'S001' });
  t.truthy(group.body.store.name);
  t.truthy(group.body.store.address);

  const detail = await app.api.get(`/api/v1/orders/${opened.body.order.id}`).set('Authorization', leader.auth);
  t.is(detail.status, 200);
  t.deepEqual(detail.body.store, group.body.store);
});
