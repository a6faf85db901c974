import test from 'ava';
import { customers, pay, startGroupApp } from './group-fixtures.js';

// Two small routes the miniapp needs: the open groups of a deal to join from the product page, and
// payment parameters again for an order the customer left unpaid.

test('GET /deals/:id/groups lists the open groups with seats at a store, and nothing else', async (t) => {
  const { app } = await startGroupApp(t);
  const [leader] = await customers(app, 'lead', 1);
  const empty = await app.api.get('/api/v1/deals/D001/groups').query({ storeId: 'S001' });
  t.is(empty.status, 200);
  t.deepEqual(empty.body.groups, []);

  const opened = await app.api.post('/api/v1/groups').set('Authorization', leader.auth).send({ dealId: 'D001', storeId: 'S001' });
  t.is(opened.status, 201, JSON.stringify(opened.body));
  // Pending (leader not yet paid): not listed.
  t.deepEqual((await app.api.get('/api/v1/deals/D001/groups').query({ storeId: 'S001' })).body.groups, []);
  await pay(app, opened.body.order.id);
  const listed = await app.api.get('/api/v1/deals/D001/groups').query({ storeId: 'S001' });
  t.deepEqual(listed.body.groups.map((g: { id: string }) => g.id), [opened.body.groupId]);
  // Another store's list stays empty.
  t.deepEqual((await app.api.get('/api/v1/deals/D001/groups').query({ storeId: 'S002' })).body.groups, []);
});

test('GET /deals/:id/groups refuses a bad store id or extra query with 400', async (t) => {
  const { app } = await startGroupApp(t);
  for (const q of [{}, { storeId: 'nope' }, { storeId: 'S001', x: '1' }]) {
    const res = await app.api.get('/api/v1/deals/D001/groups').query(q);
    t.is(res.status, 400, JSON.stringify(q));
  }
});

test('POST /orders/:id/pay gives the same payment again for an unpaid order, and 409 once it is paid', async (t) => {
  const { app } = await startGroupApp(t);
  const [c, other] = await customers(app, 'payer', 2);
  const created = await app.api.post('/api/v1/orders').set('Authorization', c.auth).send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 1 }] });
  t.is(created.status, 201, JSON.stringify(created.body));
  const again = await app.api.post(`/api/v1/orders/${created.body.order.id}/pay`).set('Authorization', c.auth);
  t.is(again.status, 200);
  t.is(again.body.payment.prepayId, created.body.payment.prepayId);
  t.is((await app.api.post(`/api/v1/orders/${created.body.order.id}/pay`).set('Authorization', other.auth)).status, 404);
  await pay(app, created.body.order.id);
  const paid = await app.api.post(`/api/v1/orders/${created.body.order.id}/pay`).set('Authorization', c.auth);
  t.is(paid.status, 409);
  t.is(paid.body.error.code, 'ORDER_STATE');
});
