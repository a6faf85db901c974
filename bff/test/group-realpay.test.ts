import test from 'ava';
import { startPayStack, waitFor } from './helpers.js';

const waitForLong = <T>(what: string, fn: () => Promise<T | undefined | null | false>) => waitFor(what, fn, 60_000);
import { customers, makeDeal } from './group-fixtures.js';


test('through the host: paid members of a group that expires are refunded once each, with racing sweeps and every notification delivered three times', async (t) => {
  const s = await startPayStack(t);
  const { app, mock } = s;
  await app.core.m.Inventory.updateOne({ _id: 'S001:P0001' }, { $set: { stock: 50, active: true } });
  const [leader, payer, idler] = await customers(app, 'rp', 3);
  const deal = await makeDeal(app, { groupSize: 4, durationMinutes: 30 });
  const status = (id: string) => () => app.core.services.order.get(id).then((o) => o?.status);
  const confirm = async (prepayId: string) => {
    const r = await fetch(`${mock.url}/dev/pay/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prepayId }) });
    t.is(r.status, 200);
  };
  s.pay.notifier.faults = { duplicate: 2, delayMs: 0, reorder: true, failFirst: 0 };

  const opened = await app.api.post('/api/v1/groups').set('Authorization', leader.auth).send({ dealId: deal.id, storeId: 'S001' });
  t.is(opened.status, 201);
  const groupId = opened.body.groupId as string;
  await confirm(opened.body.payment.prepayId);
  await waitForLong('the leader in grouping', async () => (await status(opened.body.order.id)()) === 'grouping');
  // The order moves to grouping first, then the leader's seat opens the group (a second write).
  await waitForLong('the group open', async () => (await app.api.get(`/api/v1/groups/${groupId}`)).body.group.status === 'open');

  const joined = await app.api.post(`/api/v1/groups/${groupId}/join`).set('Authorization', payer.auth).send({});
  t.is(joined.status, 201);
  await confirm(joined.body.payment.prepayId);
  await waitForLong('the member in grouping', async () => (await status(joined.body.order.id)()) === 'grouping');
  const unpaid = await app.api.post(`/api/v1/groups/${groupId}/join`).set('Authorization', idler.auth).send({});
  t.is(unpaid.status, 201);
  await s.pay.notifier.settled();

  s.advance(31 * 60_000);
  const sweep = () => app.api.post('/api/v1/internal/sweep').set('X-Internal-Token', app.config.INTERNAL_TOKEN).send({});
  const [a, b] = await Promise.all([sweep(), sweep()]);
  t.is(a.status, 200, JSON.stringify(a.body));
  t.is(b.status, 200);

  const paidOrders = [opened.body.order.id as string, joined.body.order.id as string];
  for (const id of paidOrders) await waitForLong(`${id} refunded`, async () => (await status(id)()) === 'refunded');
  await s.pay.notifier.settled();
  await sweep();
  for (const id of paidOrders) {
    const o = (await app.core.services.order.get(id))!;
    t.is(o.status, 'refunded');
    t.is(o.history.filter((h) => h.to === 'refunding').length, 1);
    t.is(o.history.filter((h) => h.to === 'refunded').length, 1);
    t.is(o.outbox.filter((e) => e.type === 'RefundCompleted').length, 1);
    t.is([...s.pay.refunds.values()].filter((r) => r.outTradeNo === id).length, 1, 'the host made one refund for the order');
  }
  t.is((await app.core.services.order.get(unpaid.body.order.id))!.status, 'cancelled');
  const g = (await app.core.m.Group.findById(groupId).lean())!;
  t.is(g.status, 'failed');
  t.is((g.outbox as { type: string }[]).filter((e) => e.type === 'GroupFailed').length, 2);
  t.is((await app.core.m.Inventory.findById('S001:P0001').lean())!.stock, 50, 'every seat\'s stock is back');
});
