import test from 'ava';
import { DEMO, startPayStack, tokenFor, waitFor } from './helpers.js';

type Stack = Awaited<ReturnType<typeof startPayStack>>;
const INV = 'S001:P0001';

const clerkAuth = async (s: Stack, storeIds = ['S001'], id: string = DEMO.clerk) => `Bearer ${await tokenFor(s.app, { id, roles: ['customer', 'clerk'], storeIds })}`;
const adminAuth = async (s: Stack) => `Bearer ${await tokenFor(s.app, { id: DEMO.admin, roles: ['customer', 'admin'] })}`;
const statusIs = (s: Stack, id: string, status: string) => () => s.app.core.services.order.get(id).then((o) => (o?.status === status ? o : null));

/** Alice orders 2 of P0001 at a store and the wallet pays: the order awaits pickup. */
async function paidOrder(s: Stack, storeId = 'S001') {
  await s.app.core.m.Inventory.updateOne({ _id: `${storeId}:P0001` }, { $set: { stock: 50, active: true } });
  const res = await s.app.api.post('/api/v1/orders').set('Authorization', await s.auth(DEMO.alice)).send({ storeId, items: [{ productId: 'P0001', qty: 2 }] });
  if (res.status !== 201) throw new Error(`order failed: ${JSON.stringify(res.body)}`);
  const id = res.body.order.id as string;
  if (!s.pay.confirm(res.body.payment.prepayId).ok) throw new Error('the wallet refused');
  await waitFor('awaiting pickup', statusIs(s, id, 'awaiting_pickup'));
  await s.pay.notifier.settled();
  return id;
}

test.serial('the clerk previews a voucher (items, masked customer, time), redeems it, and sees it in the audit and in today’s summary', async (t) => {
  const s = await startPayStack(t);
  const id = await paidOrder(s);
  const auth = await clerkAuth(s);
  const v = (await s.app.core.m.Voucher.findById(id).lean())!;
  const paid = (await s.app.core.services.order.mustGet(id)).amountCents;
  const summary0 = (await s.app.api.get('/api/v1/clerk/summary').set('Authorization', auth)).body;
  t.like(summary0, { storeId: 'S001', orders: 1, waiting: 1, collected: 0, revenueCents: paid, timeZone: 'Asia/Shanghai' });

  const preview = await s.app.api.post('/api/v1/clerk/vouchers/preview').set('Authorization', auth).send({ code: v.shortCode });
  t.is(preview.status, 200, JSON.stringify(preview.body));
  t.like(preview.body, { redeemable: true, order: { id, storeId: 'S001', status: 'awaiting_pickup', customer: { nickname: '爱**' } } });
  t.is(preview.body.order.items[0].qty, 2);
  t.truthy(Date.parse(preview.body.order.createdAt));
  t.is((await s.app.core.services.order.mustGet(id)).status, 'awaiting_pickup', 'a preview redeems nothing');

  for (const [code, expected] of [['', 400], ['abc', 400], ['000000000000', 400]] as const) {
    const r = await s.app.api.post('/api/v1/clerk/vouchers/preview').set('Authorization', auth).send({ code });
    t.is(r.status, expected, code);
  }

  const redeemed = await s.app.api.post('/api/v1/clerk/vouchers/redeem').set('Authorization', auth).send({ code: v.code });
  t.is(redeemed.status, 200);
  const again = await s.app.api.post('/api/v1/clerk/vouchers/preview').set('Authorization', auth).send({ code: v.shortCode });
  t.is(again.status, 409, 'a used code previews as a replay, with when and by whom');
  t.is(again.body.error.code, 'VOUCHER_ALREADY_REDEEMED');
  t.truthy(Date.parse(again.body.error.details.redeemedAt));
  t.truthy(again.body.error.details.redeemedBy);

  const audit = await s.app.api.get('/api/v1/clerk/audit').set('Authorization', auth);
  t.true(audit.body.attempts.some((a: { outcome: string; orderId: string; clerkId: string }) => a.outcome === 'redeemed' && a.orderId === id && a.clerkId === DEMO.clerk));
  t.true(audit.body.attempts.some((a: { outcome: string }) => a.outcome === 'invalid'), 'bad previews are audited');
  const summary = (await s.app.api.get('/api/v1/clerk/summary').set('Authorization', auth)).body;
  t.like(summary, { orders: 1, collected: 1, waiting: 0, refunds: 0, revenueCents: paid });
});

test.serial('a clerk of S001 can neither see nor act on S002, and admin routes refuse clerks; each refusal has a code and is audited', async (t) => {
  const s = await startPayStack(t);
  const foreign = await paidOrder(s, 'S002');
  const auth = await clerkAuth(s);
  const v = (await s.app.core.m.Voucher.findById(foreign).lean())!;
  const cases = [
    s.app.api.get('/api/v1/clerk/summary').query({ storeId: 'S002' }),
    s.app.api.get('/api/v1/clerk/actions').query({ storeId: 'S002' }),
    s.app.api.get('/api/v1/clerk/orders').query({ storeId: 'S002' }),
    s.app.api.get('/api/v1/clerk/audit').query({ storeId: 'S002' }),
    s.app.api.post('/api/v1/clerk/vouchers/preview').send({ code: v.shortCode }),
    s.app.api.post(`/api/v1/clerk/orders/${foreign}/out-of-stock`).send({ reason: '缺货' }),
    s.app.api.post(`/api/v1/clerk/orders/${foreign}/ready`).send({}),
  ];
  for (const req of cases) {
    const r = await req.set('Authorization', auth);
    t.is(r.status, 403, JSON.stringify(r.body));
    t.is(r.body.error.code, 'WRONG_STORE');
  }
  for (const path of ['/api/v1/admin/inventory?storeId=S001', '/api/v1/admin/deals', '/api/v1/admin/stats/sales', '/api/v1/admin/audit']) {
    const r = await s.app.api.get(path).set('Authorization', auth);
    t.is(r.status, 403, path);
    t.is(r.body.error.code, 'ROLE_REQUIRED');
  }
  t.is((await s.app.core.services.order.mustGet(foreign)).status, 'awaiting_pickup');
  const trail = await s.app.core.m.BackofficeAudit.find({ target: foreign }).lean();
  t.true(trail.some((a) => a.action.includes('out-of-stock') && a.outcome === 'WRONG_STORE' && a.actorId === DEMO.clerk && a.storeId === 'S002'));
  // The clerk's own store's action list does not show S002's.
  const mine = await s.app.api.get('/api/v1/clerk/actions').set('Authorization', auth);
  t.true(mine.body.actions.every((a: { storeId: string | null }) => a.storeId === 'S001'));
});

test.serial('缺货/无法履约 refunds the order once with the reason, gives the stock back, kills the voucher, and is audited', async (t) => {
  const s = await startPayStack(t);
  const id = await paidOrder(s);
  const auth = await clerkAuth(s);
  const stock = async () => (await s.app.core.m.Inventory.findById(INV).lean())!.stock;
  t.is(await stock(), 48);
  const racing = await Promise.all(Array.from({ length: 20 }, () => s.app.api.post(`/api/v1/clerk/orders/${id}/out-of-stock`).set('Authorization', auth).send({ reason: '苹果卖完了' })));
  t.true(racing.some((r) => r.status === 200), JSON.stringify(racing[0].body));
  t.true(racing.every((r) => r.status === 200 || (r.status === 409 && r.body.error.code === 'ORDER_NOT_FULFILLABLE')), JSON.stringify(racing.map((r) => r.status)));
  await waitFor('refunded', statusIs(s, id, 'refunded'));
  const o = await s.app.core.services.order.mustGet(id);
  t.is(o.history.filter((h) => h.to === 'refunding').length, 1);
  t.like(o.history.find((h) => h.to === 'refunding'), { from: 'awaiting_pickup', actor: { type: 'clerk', id: DEMO.clerk } });
  t.regex(o.refund.reason ?? '', /缺货\/无法履约：苹果卖完了/);
  t.is([...s.pay.refunds.values()].filter((r) => r.outTradeNo === id).length, 1);
  await waitFor('stock back', async () => (await stock()) === 50);
  const v = (await s.app.core.m.Voucher.findById(id).lean())!;
  t.is((await s.app.api.post('/api/v1/clerk/vouchers/redeem').set('Authorization', auth).send({ code: v.code })).body.error.code, 'ORDER_NOT_REDEEMABLE');
  t.is((await s.app.api.post(`/api/v1/clerk/orders/${id}/out-of-stock`).set('Authorization', auth).send({ reason: 'x' })).body.error.code, 'ORDER_NOT_FULFILLABLE');
  t.is((await s.app.api.post(`/api/v1/clerk/orders/${id}/out-of-stock`).set('Authorization', auth).send({ reason: '' })).status, 400);
  const actions = (await s.app.api.get('/api/v1/clerk/actions').set('Authorization', auth)).body.actions as { action: string; outcome: string; actorName: string }[];
  t.true(actions.some((a) => a.action === 'POST /clerk/orders/:id/out-of-stock' && a.outcome === 'ok' && a.actorName === '店员小王'));
  t.like((await s.app.api.get('/api/v1/clerk/summary').set('Authorization', auth)).body, { refunds: 1, revenueCents: 0, waiting: 0 });
});

test.serial('an admin stock edit during 500 parallel orders leaves stock = edit − sold', async (t) => {
  const s = await startPayStack(t);
  const N = 500;
  await s.app.core.m.Inventory.updateOne({ _id: INV }, { $set: { stock: 1000, active: true } });
  await s.app.core.m.User.insertMany(Array.from({ length: N }, (_, i) => ({ _id: `u_race${i}`, openid: `race${i}`, nickname: `顾客${i}`, avatar: '/a.png', roles: ['customer'] })));
  const admin = await adminAuth(s);
  const seen = (await s.app.api.get('/api/v1/admin/inventory').query({ storeId: 'S001' }).set('Authorization', admin)).body.items.find((x: { productId: string }) => x.productId === 'P0001').inventory.stock as number;
  t.is(seen, 1000);
  const target = 2000;
  let done = 0;
  let edit: Promise<{ status: number; body: { inventory: { stock: number } } }> | null = null;
  let doneAtEdit = -1;
  const auths = await Promise.all(Array.from({ length: N }, (_, i) => tokenFor(s.app, { id: `u_race${i}` })));
  const orders = auths.map(async (tok) => {
    const r = await s.app.api.post('/api/v1/orders').set('Authorization', `Bearer ${tok}`).send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 1 }] });
    done++;
    if (done === 100 && !edit) {
      doneAtEdit = done;
      // The admin typed 2000 over the 1000 they saw: the BFF adds the difference, it does not write 2000.
      edit = s.app.api.patch('/api/v1/admin/inventory/S001/P0001').set('Authorization', admin).send({ stockDelta: target - seen }) as never;
    }
    return r;
  });
  const results = await Promise.all(orders);
  const edited = await edit!;
  t.is(edited.status, 200);
  t.true(doneAtEdit > 0 && doneAtEdit < N, 'the edit ran while orders were in flight');
  // Sold = the orders holding the row's stock (the shelf lists each one; an order whose payment could
  // not be prepared under this load still holds its unit until it is cancelled).
  const row = (await s.app.core.m.Inventory.findById(INV).lean())!;
  const sold = Object.keys((row.holds ?? {}) as object).length;
  const created = results.filter((r) => r.status === 201).length;
  t.true(created > 0 && created <= sold, `created ${created}, holding ${sold}`);
  const stock = row.stock;
  t.is(stock, target - sold);
  // A bulk edit that would go below zero changes nothing on that line, and applies the others.
  const bulk = await s.app.api
    .post('/api/v1/admin/inventory/S001/stock')
    .set('Authorization', admin)
    .send({ edits: [{ productId: 'P0001', stockDelta: -(stock + 1) }, { productId: 'P0002', stockDelta: 5 }] });
  t.is(bulk.status, 200);
  t.like(bulk.body.results[0], { productId: 'P0001', ok: false, code: 'STOCK_BELOW_ZERO' });
  t.like(bulk.body.results[1], { productId: 'P0002', ok: true });
  t.is((await s.app.core.m.Inventory.findById(INV).lean())!.stock, stock);
  t.is((await s.app.api.patch('/api/v1/admin/inventory/S001/P0001').set('Authorization', admin).send({ stock: 5 })).status, 400, 'no stock value is ever written');
  const trail = await s.app.core.m.BackofficeAudit.find({ actorId: DEMO.admin }).lean();
  t.true(trail.some((a) => a.action === 'PATCH /admin/inventory/:storeId/:productId' && a.storeId === 'S001' && a.outcome === 'ok'));
  t.true(trail.some((a) => a.action === 'POST /admin/inventory/:storeId/stock' && a.outcome === 'ok'));
});

test.serial('an invite is single-use: 40 new accounts racing to redeem it make exactly one clerk of its store', async (t) => {
  const s = await startPayStack(t);
  const admin = await adminAuth(s);
  const created = await s.app.api.post('/api/v1/admin/invites').set('Authorization', admin).send({ storeId: 'S002' });
  t.is(created.status, 201);
  const code = created.body.code as string;
  t.regex(code, /^[A-Z2-9]{10}$/);
  const listed = await s.app.api.get('/api/v1/admin/invites').query({ storeId: 'S002' }).set('Authorization', admin);
  t.like(listed.body.invites[0], { code, state: 'open' });
  t.true(listed.body.invites[0].qr.startsWith('data:image/png;base64,'));
  const N = 40;
  await s.app.core.m.User.insertMany(Array.from({ length: N }, (_, i) => ({ _id: `u_new${i}`, openid: `new${i}`, nickname: `新人${i}`, avatar: '/a.png', roles: ['customer'] })));
  const tokens = await Promise.all(Array.from({ length: N }, (_, i) => tokenFor(s.app, { id: `u_new${i}` })));
  const results = await Promise.all(tokens.map((tok) => s.app.api.post(`/api/v1/clerk/invites/${code}/redeem`).set('Authorization', `Bearer ${tok}`).send({})));
  const won = results.filter((r) => r.status === 200);
  t.is(won.length, 1);
  t.true(results.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.body.error.code === 'INVITE_ALREADY_REDEEMED'));
  t.deepEqual(won[0].body.user.clerkStoreIds, ['S002']);
  t.is(await s.app.core.m.User.countDocuments({ roles: 'clerk', clerkStoreIds: 'S002' }), 1);
  const after = await s.app.api.get('/api/v1/admin/invites').query({ storeId: 'S002' }).set('Authorization', admin);
  t.like(after.body.invites[0], { state: 'redeemed', qr: null });
  // The new clerk works for S002 and only S002.
  const clerk = `Bearer ${won[0].body.accessToken}`;
  t.deepEqual((await s.app.api.get('/api/v1/clerk/stores').set('Authorization', clerk)).body.stores.map((x: { id: string }) => x.id), ['S002']);
  t.is((await s.app.api.get('/api/v1/clerk/summary').query({ storeId: 'S001' }).set('Authorization', clerk)).status, 403);
  // Expired invites cannot be redeemed.
  const old = await s.app.api.post('/api/v1/admin/invites').set('Authorization', admin).send({ storeId: 'S001' });
  s.advance(8 * 24 * 3600_000);
  const late = await s.app.api.post(`/api/v1/clerk/invites/${old.body.code}/redeem`).set('Authorization', `Bearer ${await tokenFor(s.app, { id: 'u_new1' })}`).send({});
  t.is(late.body.error.code, 'INVITE_EXPIRED');
  t.true((await s.app.core.m.BackofficeAudit.find({ action: 'POST /clerk/invites/:code/redeem' }).lean()).filter((a) => a.outcome === 'ok' && a.storeId === 'S002').length === 1);
});

test.serial('the operator console: deals listed, stopped and their groups; stores’ hours; charts’ numbers', async (t) => {
  const s = await startPayStack(t);
  const admin = await adminAuth(s);
  const deals = (await s.app.api.get('/api/v1/admin/deals').set('Authorization', admin)).body.deals as { id: string; active: boolean }[];
  t.true(deals.length > 0);
  const stopped = await s.app.api.post(`/api/v1/admin/deals/${deals[0].id}/stop`).set('Authorization', admin).send({});
  t.is(stopped.status, 200);
  t.false(stopped.body.deal.active);
  t.is((await s.app.api.get(`/api/v1/admin/deals/${deals[0].id}/groups`).set('Authorization', admin)).status, 200);
  t.is((await s.app.api.get('/api/v1/admin/deals/D999/groups').set('Authorization', admin)).status, 404);
  const hours = await s.app.api.patch('/api/v1/admin/stores/S001').set('Authorization', admin).send({ openHours: '08:00-22:00' });
  t.is(hours.status, 200);
  t.is(hours.body.store.openHours, '08:00-22:00');
  t.is((await s.app.api.get('/api/v1/stores/S001')).body.store?.openHours ?? '08:00-22:00', '08:00-22:00');
  t.is((await s.app.api.patch('/api/v1/admin/stores/S001').set('Authorization', admin).send({ openHours: '8点' })).status, 400);
  const paid = (await s.app.core.services.order.mustGet(await paidOrder(s))).amountCents;
  const sales = (await s.app.api.get('/api/v1/admin/stats/sales').query({ days: 7 }).set('Authorization', admin)).body;
  t.is(sales.days.length, 7);
  t.like(sales.rows.find((r: { storeId: string; day: string }) => r.storeId === 'S001' && r.day === sales.days[6]), { orders: 1, salesCents: paid });
  t.like(sales, { totalOrders: 1, totalSalesCents: paid }, 'the totals the console shows are summed by the BFF');
  const groups = (await s.app.api.get('/api/v1/admin/stats/groups').set('Authorization', admin)).body;
  t.true(groups.deals.length > 0);
});
