import test from 'ava';
import { customers, startGroupApp } from './group-fixtures.js';

test('an order and its cancellation show on the next product page and home screen of that store', async (t) => {
  const { app } = await startGroupApp(t);
  const [c] = await customers(app, 'shopper', 1);
  const stockOf = async () => {
    const page = await app.api.get('/api/v1/products').query({ storeId: 'S001' });
    const home = await app.api.get('/api/v1/home').query({ storeId: 'S001' });
    const fromPage = page.body.items.find((p: { id: string }) => p.id === 'P0001');
    const fromHome = home.body.products.items.find((p: { id: string }) => p.id === 'P0001');
    return [fromPage.stock, fromHome.stock];
  };
  const [before] = await stockOf();
  const created = await app.api.post('/api/v1/orders').set('Authorization', c.auth).send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 3 }] });
  t.is(created.status, 201, JSON.stringify(created.body));
  t.deepEqual(await stockOf(), [before - 3, before - 3]);
  const cancelled = await app.api.post(`/api/v1/orders/${created.body.order.id}/cancel`).set('Authorization', c.auth);
  t.is(cancelled.status, 200);
  t.deepEqual(await stockOf(), [before, before]);
});
