import test from 'ava';
import { DEMO, startPayStack, waitFor } from './helpers.js';
import { newOrderId } from '../src/modules/order/order.service.js';

const INV = 'S001:P0001';
type Stack = Awaited<ReturnType<typeof startPayStack>>;
const TOKEN = 'linli-dev-internal-token';

const stockOf = async (s: Stack, id = INV) => (await s.app.core.m.Inventory.findById(id).lean())?.stock;
const sweep = (s: Stack) => s.app.api.post('/api/v1/internal/sweep').set('X-Internal-Token', TOKEN);

async function order(s: Stack, qty: number) {
  const res = await s.app.api
    .post('/api/v1/orders')
    .set('Authorization', await s.auth(DEMO.alice))
    .send({ storeId: 'S001', items: [{ productId: 'P0001', qty }] });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body as { order: { id: string; amountCents: number }; payment: { prepayId: string } };
}


test.serial('unpaid orders past 15 minutes are cancelled by two racing sweeps and their stock comes back once', async (t) => {
  const s = await startPayStack(t);
  await s.app.core.m.Inventory.updateOne({ _id: INV }, { $set: { stock: 10 } });
  const old = await Promise.all([order(s, 2), order(s, 2), order(s, 1)]);
  t.is(await stockOf(s), 5);
  s.advance(10 * 60_000);
  const fresh = await order(s, 1);
  t.is((await sweep(s)).body.expiredCancelled, 0);
  s.advance(6 * 60_000);

  t.is((await s.app.api.post('/api/v1/internal/sweep')).status, 401);
  const [a, b] = await Promise.all([sweep(s), sweep(s)]);
  t.is(a.status, 200);
  t.is(b.status, 200);
  t.is(a.body.expiredCancelled + b.body.expiredCancelled, 3);
  t.is(await stockOf(s), 9);
  for (const { order: o } of old) {
    const doc = (await s.app.core.services.order.get(o.id))!;
    t.is(doc.status, 'cancelled');
    t.is(doc.history.filter((h) => h.to === 'cancelled').length, 1);
    t.deepEqual(doc.history[1].actor, { type: 'system', id: 'sweep' });
    t.truthy(doc.stockReleasedAt);
  }
  t.is((await s.app.core.services.order.get(fresh.order.id))!.status, 'pending_payment');
  // More sweeps change nothing.
  await Promise.all([sweep(s), sweep(s)]);
  t.is(await stockOf(s), 9);
});

test.serial('an expired order the host reports as paid is applied, not cancelled', async (t) => {
  const s = await startPayStack(t);
  await s.app.core.m.Inventory.updateOne({ _id: INV }, { $set: { stock: 10 } });
  const { order: o, payment } = await order(s, 1);
  s.pay.notifier.faults = { duplicate: 0, delayMs: 60_000, reorder: false, failFirst: 0 }; // the notification is late
  t.true(s.pay.confirm(payment.prepayId).ok);
  s.advance(16 * 60_000);
  const res = await sweep(s);
  t.is(res.body.paidOnQuery, 1);
  t.is(res.body.expiredCancelled, 0);
  const doc = (await s.app.core.services.order.get(o.id))!;
  t.is(doc.status, 'awaiting_pickup');
  t.is(await stockOf(s), 9);
});

test.serial('stock held by a request that crashed before saving its order comes back exactly once; a saved one keeps it', async (t) => {
  const s = await startPayStack(t);
  const { m } = s.app.core;
  const stock = s.app.core.services.stock;
  await m.Inventory.updateOne({ _id: INV }, { $set: { stock: 10 } });
  // Crash: stock taken for an order that was never inserted.
  const lost = newOrderId();
  t.true((await stock.take('S001', [{ productId: 'P0001', qty: 3 }], lost)).ok);
  // An order placed normally holds its stock too.
  const { order: placed } = await order(s, 2);
  t.is(await stockOf(s), 10 - 3 - 2);

  const early = await sweep(s);
  t.is(early.body.holdsReclaimed, 0); // too fresh: could be a slow request
  s.advance(3 * 60_000);
  const [a, b] = await Promise.all([sweep(s), sweep(s)]);
  t.is(a.body.holdsReclaimed + b.body.holdsReclaimed, 1);
  t.is(await stockOf(s), 10 - 2);
  const row = await m.Inventory.collection.findOne({ _id: INV as never });
  t.deepEqual(Object.keys(row?.holds ?? {}), [placed.id], 'only the live order still holds the row');
  // The dead request's id is fenced: had it woken up, it could not save its order now.
  const fenced = await s.app.core.services.order.get(lost);
  t.true(fenced?.abandoned);
  t.is(fenced?.status, 'cancelled');
  await t.throwsAsync(() => m.Order.collection.insertOne({ ...fenced!, abandoned: false } as never), { message: /E11000/ });
  // And giving its stock back again gives nothing.
  t.is(await stock.giveBack('S001', [{ productId: 'P0001', qty: 3 }], lost), 0);
  await sweep(s);
  t.is(await stockOf(s), 8);
  // A fenced order is nobody's: it does not show in the customer's list.
  const list = await s.app.api.get('/api/v1/orders').set('Authorization', await s.auth(DEMO.alice));
  t.false((list.body.orders as { id: string }[]).some((o) => o.id === lost));
});

test.serial('a payment recorded but not applied, and a refund never sent, are finished by the sweep', async (t) => {
  const s = await startPayStack(t);
  const { m } = s.app.core;
  await m.Inventory.updateOne({ _id: INV }, { $set: { stock: 10 } });
  const first = await order(s, 1);
  // The BFF recorded the host's payment, then died before applying it (and the host gave up).
  await m.Payment.create({ _id: '4200000000000000000000000042', orderId: first.order.id, amountCents: first.order.amountCents, paidAt: s.app.clock.now(), state: 'received', receivedAt: s.app.clock.now() });
  // A second order: paid at the host, moved to refunding, but the refund request never left.
  const second = await order(s, 2);
  s.pay.confirm(second.payment.prepayId);
  await waitFor('paid', () => s.app.core.services.order.get(second.order.id).then((o) => o?.status === 'awaiting_pickup'));
  await s.pay.notifier.settled();
  await s.app.core.services.order.transition(await s.app.core.services.order.mustGet(second.order.id), 'awaiting_pickup', 'refunding', { type: 'system', id: 'test' }, 'refund', {
    set: { 'refund.outRefundNo': `${second.order.id}-R1`, 'refund.status': 'requested', 'refund.requestedAt': s.app.clock.now(), 'refund.reason': 'test' },
  });
  s.advance(2 * 60_000);
  const res = await sweep(s);
  t.is(res.status, 200);
  t.is(res.body.paymentsSettled, 1);
  t.is(res.body.refundsRetried, 1);
  t.is((await s.app.core.services.order.get(first.order.id))?.status, 'awaiting_pickup');
  t.is((await m.Payment.findById('4200000000000000000000000042').lean())?.state, 'applied');
  await waitFor('refunded', () => s.app.core.services.order.get(second.order.id).then((o) => o?.status === 'refunded' && o.stockReleasedAt));
  t.is([...s.pay.refunds.values()].filter((r) => r.outTradeNo === second.order.id).length, 1);
  t.is(await stockOf(s), 9);
});
