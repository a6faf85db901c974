import test from 'ava';
import { DEMO, startPayStack, tokenFor, waitFor } from './helpers.js';
import { customers, makeDeal } from './group-fixtures.js';

const INV = 'S001:P0001';
type Stack = Awaited<ReturnType<typeof startPayStack>>;

const stockOf = async (s: Stack) => (await s.app.core.m.Inventory.findById(INV).lean())?.stock;
const doc = (s: Stack, id: string) => s.app.core.services.order.mustGet(id);
const statusIs = (s: Stack, id: string, status: string) => () => s.app.core.services.order.get(id).then((o) => (o?.status === status ? o : null));
const hostRefundsOf = (s: Stack, id: string) => [...s.pay.refunds.values()].filter((r) => r.outTradeNo === id).length;

/** A clerk's Authorization header for these stores (signed at the stack's current time). */
const clerkAuth = async (s: Stack, storeIds = ['S001'], id: string = DEMO.clerk) => `Bearer ${await tokenFor(s.app, { id, roles: ['customer', 'clerk'], storeIds })}`;

/** Alice orders `qty` of P0001 at S001 (stock set first) and the wallet pays: the order awaits pickup. */
async function paidOrder(s: Stack, qty = 2, stock = 10) {
  await s.app.core.m.Inventory.updateOne({ _id: INV }, { $set: { stock, active: true } });
  const res = await s.app.api
    .post('/api/v1/orders')
    .set('Authorization', await s.auth(DEMO.alice))
    .send({ storeId: 'S001', items: [{ productId: 'P0001', qty }] });
  if (res.status !== 201) throw new Error(`order failed: ${JSON.stringify(res.body)}`);
  const id = res.body.order.id as string;
  if (!s.pay.confirm(res.body.payment.prepayId).ok) throw new Error('the wallet refused');
  await waitFor('awaiting pickup', statusIs(s, id, 'awaiting_pickup'));
  await s.pay.notifier.settled();
  return id;
}

const ask = async (s: Stack, id: string, body: unknown = { reason: '买错了，不想要了' }, who: string = DEMO.alice) =>
  s.app.api.post(`/api/v1/orders/${id}/refund-request`).set('Authorization', await s.auth(who)).send(body as object);
const approve = async (s: Stack, id: string, auth?: string) => s.app.api.post(`/api/v1/clerk/orders/${id}/refund/approve`).set('Authorization', auth ?? (await clerkAuth(s))).send({});
const refuse = async (s: Stack, id: string, reason = '商品已备好，无法退款', auth?: string) =>
  s.app.api.post(`/api/v1/clerk/orders/${id}/refund/refuse`).set('Authorization', auth ?? (await clerkAuth(s))).send({ reason });
const redeem = async (s: Stack, code: string) => s.app.api.post('/api/v1/clerk/vouchers/redeem').set('Authorization', await clerkAuth(s)).send({ code });

test.serial('a shopper asks for a refund, 50 parallel approvals by the store make one refund: stock back once, voucher dead, order refunded', async (t) => {
  const s = await startPayStack(t);
  const id = await paidOrder(s, 2, 10);
  t.is(await stockOf(s), 8);
  const voucher = (await s.app.core.m.Voucher.findById(id).lean())!;

  const asked = await ask(s, id);
  t.is(asked.status, 200, JSON.stringify(asked.body));
  t.is(asked.body.order.status, 'refund_requested');
  t.like(asked.body.order.refund, { status: 'review', reason: '买错了，不想要了', completedAt: null });
  const last = asked.body.order.history.at(-1);
  t.like(last, { from: 'awaiting_pickup', to: 'refund_requested', actor: { type: 'user', id: DEMO.alice }, reason: '买错了，不想要了' });
  t.is((await doc(s, id)).refund.returnTo, 'awaiting_pickup');

  // Under review the order no longer awaits pickup: no voucher shown, and the clerk cannot redeem it.
  const view = await s.app.api.get(`/api/v1/orders/${id}`).set('Authorization', await s.auth(DEMO.alice));
  t.is(view.body.order.voucher, null);
  const early = await redeem(s, voucher.shortCode);
  t.is(early.status, 409);
  t.is(early.body.error.code, 'ORDER_NOT_REDEEMABLE');

  // The store's queue of refunds to decide shows who asked, why, and where a refusal would send it.
  const queue = await s.app.api.get('/api/v1/clerk/refunds').set('Authorization', await clerkAuth(s));
  t.is(queue.status, 200, JSON.stringify(queue.body));
  t.is(queue.body.refunds.length, 1);
  t.like(queue.body.refunds[0], { orderId: id, storeId: 'S001', reason: '买错了，不想要了', returnTo: 'awaiting_pickup', customer: { id: DEMO.alice, nickname: '爱丽丝' } });
  t.is(queue.body.refunds[0].items[0].qty, 2);

  const auth = await clerkAuth(s);
  const results = await Promise.all(Array.from({ length: 50 }, () => approve(s, id, auth)));
  t.true(results.every((r) => r.status === 200), JSON.stringify(results.filter((r) => r.status !== 200).map((r) => r.body)));
  t.true(results.every((r) => ['refunding', 'refunded'].includes(r.body.order.status)));
  const o = await waitFor('refunded, stock back', () => s.app.core.services.order.get(id).then((x) => (x?.status === 'refunded' && x.stockReleasedAt ? x : null)));
  await s.pay.notifier.settled();
  t.is(hostRefundsOf(s, id), 1, 'the host made one refund');
  const approvals = o.history.filter((h) => h.to === 'refunding');
  t.is(approvals.length, 1);
  t.like(approvals[0], { from: 'refund_requested', actor: { type: 'clerk', id: DEMO.clerk } });
  t.is(o.history.filter((h) => h.to === 'refunded').length, 1);
  t.is(o.refund.reason, '买错了，不想要了', 'the refund carries the shopper\'s reason');
  t.is(o.refund.status, 'succeeded');
  t.is(o.outbox.filter((e) => e.type === 'RefundCompleted').length, 1);
  t.is(await stockOf(s), 10, 'the stock came back once');
  t.truthy(o.stockReleasedAt);

  // Afterwards: the voucher is dead, a second approval answers the same refund, a refusal is refused.
  const late = await redeem(s, voucher.shortCode);
  t.is(late.status, 409);
  t.is(late.body.error.code, 'ORDER_NOT_REDEEMABLE');
  const again = await approve(s, id);
  t.is(again.status, 200);
  t.is(again.body.order.status, 'refunded');
  const no = await refuse(s, id);
  t.is(no.status, 409);
  t.is(no.body.error.code, 'REFUND_NOT_REQUESTED');
  t.is((await s.app.api.get('/api/v1/clerk/refunds').set('Authorization', await clerkAuth(s))).body.refunds.length, 0);
  const shown = await s.app.api.get(`/api/v1/orders/${id}`).set('Authorization', await s.auth(DEMO.alice));
  t.like(shown.body.order.refund, { status: 'succeeded', reason: '买错了，不想要了' });
  t.is(hostRefundsOf(s, id), 1);
  t.is(await stockOf(s), 10);
});

test.serial('a refused refund goes back exactly to where it was (awaiting pickup, ready mark kept; or preparing), and can be asked again', async (t) => {
  const s = await startPayStack(t);
  const id = await paidOrder(s, 1, 10);
  const ready = await s.app.api.post(`/api/v1/clerk/orders/${id}/ready`).set('Authorization', await clerkAuth(s)).send({});
  t.is(ready.status, 200);
  const before = await doc(s, id);
  const voucher = (await s.app.core.m.Voucher.findById(id).lean())!;

  t.is((await ask(s, id, { reason: '临时有事，来不了' })).status, 200);
  const no = await refuse(s, id, '已经为你备好货了');
  t.is(no.status, 200, JSON.stringify(no.body));
  t.is(no.body.order.status, 'awaiting_pickup');
  t.like(no.body.order.refund, { status: 'refused', refusedReason: '已经为你备好货了', reason: '' });
  const after = await doc(s, id);
  t.is(after.status, 'awaiting_pickup');
  t.deepEqual(after.readyAt, before.readyAt, 'the ready mark is kept');
  t.like(after.history.at(-1), { from: 'refund_requested', to: 'awaiting_pickup', actor: { type: 'clerk', id: DEMO.clerk }, reason: '已经为你备好货了' });
  t.like(after.refund, { returnTo: null, reason: null, requestedAt: null, outRefundNo: null, refusedReason: '已经为你备好货了' });

  // Deciding again is refused and changes nothing: no refund was made.
  for (const r of [await refuse(s, id), await approve(s, id)]) {
    t.is(r.status, 409);
    t.is(r.body.error.code, 'REFUND_NOT_REQUESTED');
  }
  t.is(hostRefundsOf(s, id), 0);
  t.is((await doc(s, id)).history.length, after.history.length);
  t.is(await stockOf(s), 9);

  // The shopper may ask again (the old refusal is cleared), and the voucher still works once refused.
  const again = await ask(s, id, { reason: '还是想退' });
  t.like(again.body.order.refund, { status: 'review', reason: '还是想退', refusedReason: null });
  t.is((await refuse(s, id, '不行')).status, 200);
  const ok = await redeem(s, voucher.shortCode);
  t.is(ok.status, 200, JSON.stringify(ok.body));
  t.is((await doc(s, id)).status, 'picked_up');
  // Collected: no more refunds.
  const collected = await ask(s, id);
  t.is(collected.status, 409);
  t.is(collected.body.error.code, 'REFUND_NOT_ALLOWED');

  // A delivery order being prepared goes back to `preparing`, not to pickup.
  await s.app.core.m.Inventory.updateOne({ _id: INV }, { $set: { stock: 10 } });
  const { order: d, payment } = await s.app.core.services.order.create({ userId: DEMO.alice, storeId: 'S001', items: [{ productId: 'P0001', qty: 1 }], fulfilment: { type: 'delivery' } });
  s.pay.confirm(payment.prepayId);
  await waitFor('preparing', statusIs(s, d._id, 'preparing'));
  t.is((await ask(s, d._id)).body.order.status, 'refund_requested');
  t.is((await doc(s, d._id)).refund.returnTo, 'preparing');
  // The state machine's guard: a refused refund cannot go anywhere but where it came from.
  const requested = await doc(s, d._id);
  await t.throwsAsync(s.app.core.services.order.move(requested, ['refund_requested', 'awaiting_pickup'], { type: 'clerk', id: 'x' }, 'wrong'), { message: /goes back to preparing/ });
  t.is((await doc(s, d._id)).status, 'refund_requested');
  const back = await refuse(s, d._id, '已经在做了');
  t.is(back.body.order.status, 'preparing');
});

test.serial('approvals and refusals racing on one request: exactly one decision wins, and a lost approval refunds nothing', async (t) => {
  const s = await startPayStack(t);
  for (let round = 0; round < 2; round++) {
    const id = await paidOrder(s, 1, 10);
    t.is((await ask(s, id)).status, 200);
    const auth = await clerkAuth(s);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === round ? approve(s, id, auth) : refuse(s, id, '不同意', auth))));
    const o = await doc(s, id);
    const decisions = o.history.filter((h) => h.from === 'refund_requested');
    t.is(decisions.length, 1, 'one decision');
    if (decisions[0].to === 'refunding') {
      await waitFor('refunded', statusIs(s, id, 'refunded'));
      await s.pay.notifier.settled();
      t.is(hostRefundsOf(s, id), 1);
      t.true(results.filter((r) => r.status === 200).every((r) => r.body.order.status !== 'awaiting_pickup'));
    } else {
      t.is(o.status, 'awaiting_pickup');
      t.is(o.refund.outRefundNo, null);
      t.is(hostRefundsOf(s, id), 0, 'no refund after a refusal');
      t.true(results.filter((r) => r.status === 200).every((r) => r.body.order.status === 'awaiting_pickup'));
    }
    t.true(results.every((r) => r.status === 200 || (r.status === 409 && r.body.error.code === 'REFUND_NOT_REQUESTED')), JSON.stringify(results.map((r) => r.status)));
  }
});

test.serial('a customer cannot decide a refund, a clerk of another store cannot, and bad or foreign requests change nothing', async (t) => {
  const s = await startPayStack(t);
  const id = await paidOrder(s, 1, 10);

  // 50 parallel requests by the owner: one move, one history entry.
  const many = await Promise.all(Array.from({ length: 50 }, () => ask(s, id)));
  t.true(many.every((r) => r.status === 200 && r.body.order.status === 'refund_requested'), JSON.stringify(many.map((r) => r.status)));
  t.is((await doc(s, id)).history.filter((h) => h.to === 'refund_requested').length, 1);
  const snapshot = await doc(s, id);

  const customer = await s.auth(DEMO.alice);
  for (const r of [await approve(s, id, customer), await refuse(s, id, '不行', customer), await s.app.api.get('/api/v1/clerk/refunds').set('Authorization', customer)]) {
    t.is(r.status, 403);
    t.is(r.body.error.code, 'ROLE_REQUIRED');
  }
  const foreign = await clerkAuth(s, ['S002'], 'u_clerk_s002');
  for (const r of [await approve(s, id, foreign), await refuse(s, id, '不行', foreign), await s.app.api.get('/api/v1/clerk/refunds').query({ storeId: 'S001' }).set('Authorization', foreign)]) {
    t.is(r.status, 403);
    t.is(r.body.error.code, 'WRONG_STORE');
  }
  t.is((await s.app.api.get('/api/v1/clerk/refunds').set('Authorization', foreign)).body.refunds.length, 0, 'the other store has nothing to decide');
  t.is((await s.app.api.post(`/api/v1/clerk/orders/${id}/refund/approve`).send({})).status, 401);

  // Bad input is a 400 naming the field; another customer's order is a 404 like a missing one.
  for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(201) }, { reason: 5 }, { reason: 'ok', extra: 1 }, { reason: { $gt: '' } }]) {
    const r = await ask(s, id, body);
    t.is(r.status, 400, JSON.stringify(body));
    t.is(r.body.error.code, 'VALIDATION_FAILED');
  }
  t.is((await refuse(s, id, '')).status, 400);
  t.is((await s.app.api.post('/api/v1/orders/nope/refund-request').set('Authorization', customer).send({ reason: 'x' })).status, 400);
  t.is((await s.app.api.post('/api/v1/clerk/orders/o_bbbbbbbbbbbbbbbb/refund/approve').set('Authorization', await clerkAuth(s)).send({})).status, 404);
  const bobs = await ask(s, id, { reason: '我也要退' }, DEMO.bob);
  t.is(bobs.status, 404);
  t.is(bobs.body.error.code, 'ORDER_NOT_FOUND');
  t.deepEqual(await doc(s, id), snapshot, 'nothing changed');

  // An unpaid order cannot be refunded (cancel it instead).
  const unpaid = await s.app.api.post('/api/v1/orders').set('Authorization', customer).send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 1 }] });
  const r = await ask(s, unpaid.body.order.id);
  t.is(r.status, 409);
  t.like(r.body.error, { code: 'REFUND_NOT_ALLOWED', details: { status: 'pending_payment' } });
});

test.serial('a group order still grouping is refunded at once without review, and its seat is free for someone else', async (t) => {
  const s = await startPayStack(t);
  const { app } = s;
  await app.core.m.Inventory.updateOne({ _id: INV }, { $set: { stock: 50, active: true } });
  const [leader, member, third] = await customers(app, 'as', 3);
  const deal = await makeDeal(app, { groupSize: 3 });
  const opened = await app.api.post('/api/v1/groups').set('Authorization', leader.auth).send({ dealId: deal.id, storeId: 'S001' });
  s.pay.confirm(opened.body.payment.prepayId);
  await waitFor('leader grouping', statusIs(s, opened.body.order.id, 'grouping'));
  const groupId = opened.body.groupId as string;
  // The order moves to grouping first; the group opens in the reaction that follows.
  await waitFor('group open', async () => (await app.core.m.Group.findById(groupId).lean())?.status === 'open');
  const joined = await app.api.post(`/api/v1/groups/${groupId}/join`).set('Authorization', member.auth).send({});
  t.is(joined.status, 201, JSON.stringify(joined.body));
  s.pay.confirm(joined.body.payment.prepayId);
  const orderId = joined.body.order.id as string;
  await waitFor('member grouping', statusIs(s, orderId, 'grouping'));
  await waitFor('seat paid', async () => (await app.core.m.Group.findById(groupId).lean())?.paidCount === 2);

  const results = await Promise.all(Array.from({ length: 20 }, () => app.api.post(`/api/v1/orders/${orderId}/refund-request`).set('Authorization', member.auth).send({ reason: '等不及成团' })));
  t.true(results.every((r) => r.status === 200 && ['refunding', 'refunded'].includes(r.body.order.status)), JSON.stringify(results.map((r) => [r.status, r.body.order?.status ?? r.body.error?.code])));
  const o = await waitFor('refunded', statusIs(s, orderId, 'refunded'));
  await s.pay.notifier.settled();
  t.is(hostRefundsOf(s, orderId), 1);
  t.is(o.history.filter((h) => h.to === 'refund_requested').length, 0, 'no review');
  t.like(o.history.find((h) => h.to === 'refunding'), { from: 'grouping', actor: { type: 'user', id: member.id }, reason: '等不及成团' });
  t.is(o.refund.reason, '等不及成团');

  const g = (await app.core.m.Group.findById(groupId).lean())!;
  t.is(g.status, 'open');
  t.is(g.paidCount, 1);
  t.is(g.seatsLeft, 2);
  t.false(Object.values(g.seats as Record<string, { orderId: string }>).some((seat) => seat.orderId === orderId));
  // The seat is free: someone else can take it.
  const next = await app.api.post(`/api/v1/groups/${groupId}/join`).set('Authorization', third.auth).send({});
  t.is(next.status, 201, JSON.stringify(next.body));
});

test.serial('an order never collected is refunded by the sweep once its voucher expires, once with 10 racing sweeps; others are left alone', async (t) => {
  const s = await startPayStack(t);
  const sweep = () => s.app.api.post('/api/v1/internal/sweep').set('X-Internal-Token', s.app.config.INTERNAL_TOKEN).send({});
  await s.app.core.m.Inventory.updateOne({ _id: INV }, { $set: { stock: 20, active: true } });
  const forgotten = await paidOrder(s, 2, 20);
  const collected = await paidOrder(s, 1, (await stockOf(s))!);
  const underReview = await paidOrder(s, 1, (await stockOf(s))!);
  t.is(await stockOf(s), 16);
  t.is((await redeem(s, (await s.app.core.m.Voucher.findById(collected).lean())!.shortCode)).status, 200);
  t.is((await ask(s, underReview)).status, 200);
  const expiresAt = (await s.app.core.m.Voucher.findById(forgotten).lean())!.expiresAt;

  // An hour before the voucher expires nothing happens; an order placed then is not touched later.
  s.advance(expiresAt.getTime() - s.app.clock.now().getTime() - 3600_000);
  t.is((await sweep()).body.expiredVouchersRefunded, 0);
  const fresh = await paidOrder(s, 1, (await stockOf(s))!);
  s.advance(2 * 3600_000);

  const runs = await Promise.all(Array.from({ length: 10 }, sweep));
  t.true(runs.every((r) => r.status === 200), JSON.stringify(runs.map((r) => r.body)));
  t.true(runs.reduce((n, r) => n + r.body.expiredVouchersRefunded, 0) >= 1);
  const o = await waitFor('refunded', statusIs(s, forgotten, 'refunded'));
  await s.pay.notifier.settled();
  await Promise.all([sweep(), sweep()]);
  t.is(hostRefundsOf(s, forgotten), 1, 'one refund at the host');
  const moves = o.history.filter((h) => h.to === 'refunding');
  t.is(moves.length, 1);
  t.like(moves[0], { from: 'awaiting_pickup', actor: { type: 'system', id: 'sweep' }, reason: 'voucher expired' });
  t.is(o.refund.reason, 'voucher expired');
  t.is(o.outbox.filter((e) => e.type === 'RefundCompleted').length, 1);
  t.is((await doc(s, forgotten)).history.filter((h) => h.to === 'refunded').length, 1);

  t.is((await doc(s, collected)).status, 'picked_up');
  t.is((await doc(s, underReview)).status, 'refund_requested', 'a request under review is the store\'s to decide');
  t.is((await doc(s, fresh)).status, 'awaiting_pickup');
  t.is(hostRefundsOf(s, collected) + hostRefundsOf(s, underReview) + hostRefundsOf(s, fresh), 0);
  // 20 − 2 − 1 − 1 − 1 (fresh) + 2 back from the forgotten order, once.
  t.is(await stockOf(s), 17);
  const view = await s.app.api.get(`/api/v1/orders/${forgotten}`).set('Authorization', await s.auth(DEMO.alice));
  t.like(view.body.order.refund, { status: 'succeeded', reason: 'voucher expired' });
});
