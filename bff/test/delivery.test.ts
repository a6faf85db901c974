import test from 'ava';
import { storeDay } from '../src/common/time.js';
import { DEMO, startPayStack, tokenFor, waitFor } from './helpers.js';

type Stack = Awaited<ReturnType<typeof startPayStack>>;

// S001 stands at the centre of 黄浦区 (31.2317, 121.4846) and delivers 3 km round the clock (seed).
/** About 1.1 km north of S001. */
const NEAR = { lat: 31.2417, lng: 121.4846 };
/** About 5.6 km north of S001: beyond its 3 km radius. */
const FAR = { lat: 31.2817, lng: 121.4846 };

const clerkAuth = async (s: Stack, storeIds = ['S001'], id: string = DEMO.clerk) => `Bearer ${await tokenFor(s.app, { id, roles: ['customer', 'clerk'], storeIds })}`;

async function addAddress(s: Stack, who: string, at: { lat: number; lng: number }, extra: Record<string, unknown> = {}) {
  const res = await s.app.api
    .post('/api/v1/addresses')
    .set('Authorization', await s.auth(who))
    .send({ name: '爱丽丝', phone: '13800000001', address: '上海市黄浦区南京东路100号', detail: '3号楼502', ...at, ...extra });
  if (res.status !== 201) throw new Error(`address failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.address.id as string;
}

/** Sets shelf price and stock of S001's P0001 and P0002 (so goods totals are known). */
async function shelf(s: Stack, p1 = 1500, p2 = 3000) {
  await s.app.core.m.Inventory.updateOne({ _id: 'S001:P0001' }, { $set: { stock: 100, active: true, priceCents: p1, memberPriceCents: p1 } });
  await s.app.core.m.Inventory.updateOne({ _id: 'S001:P0002' }, { $set: { stock: 100, active: true, priceCents: p2, memberPriceCents: p2 } });
  const { bumpInventory } = await import('../src/modules/catalog/catalog.service.js');
  await bumpInventory(s.app.core.m.CatalogMeta, 'S001');
}

const order = async (s: Stack, body: Record<string, unknown>, who: string = DEMO.bob) =>
  s.app.api.post('/api/v1/orders').set('Authorization', await s.auth(who)).send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 2 }], ...body });

/** Bob orders for delivery to `addressId` and the wallet pays: the order is preparing. */
async function paidDelivery(s: Stack, addressId: string, items = [{ productId: 'P0001', qty: 2 }]) {
  const res = await order(s, { items, fulfilment: { type: 'delivery', addressId, when: 'asap' } });
  if (res.status !== 201) throw new Error(`order failed: ${res.status} ${JSON.stringify(res.body)}`);
  const id = res.body.order.id as string;
  if (!s.pay.confirm(res.body.payment.prepayId).ok) throw new Error('the wallet refused');
  await waitFor('preparing', () => s.app.core.services.order.get(id).then((o) => (o?.status === 'preparing' ? o : null)));
  return { id, created: res.body.order };
}

test.serial('the store says whether the shopper is served: nearby stores and home carry the delivery rules and `deliverable`', async (t) => {
  const s = await startPayStack(t);
  const near = await s.app.api.get('/api/v1/stores').query(NEAR);
  const s001 = near.body.stores.find((x: { id: string }) => x.id === 'S001');
  t.like(s001, { deliverable: true, delivery: { enabled: true, radiusM: 3000, feeCents: 500, freeOverCents: 3900, minOrderCents: 2000, timeZone: 'Asia/Shanghai' } });
  const far = await s.app.api.get('/api/v1/stores/S001').query(FAR);
  t.is(far.body.store.deliverable, false);
  t.true(far.body.store.distanceM > 3000);
  const home = await s.app.api.get('/api/v1/home').query(NEAR);
  t.is(home.body.store.id, 'S001');
  t.is(home.body.store.deliverable, true);
  // A store saved before delivery existed gets the defaults (3 km, Asia/Shanghai, 08:00–22:00).
  await s.app.core.m.Store.updateOne({ _id: 'S002' }, { $unset: { delivery: 1 } });
  await s.app.core.services.store.all(); // warm
  const { bumpVersion } = await import('../src/common/versioned-cache.js');
  await bumpVersion(s.app.core.m.CatalogMeta, 'stores');
  const s002 = await waitFor('defaults', async () => {
    const r = await s.app.api.get('/api/v1/stores/S002');
    return r.body.store.delivery?.radiusM === 3000 && r.body.store.delivery.hours.open === '08:00' ? r.body.store : null;
  });
  t.is(s002.delivery.timeZone, 'Asia/Shanghai');
});

test.serial('the address book keeps name, checked phone and coordinates per user; another user sees a 404', async (t) => {
  const s = await startPayStack(t);
  const alice = await s.auth(DEMO.alice);
  const bad = await s.app.api.post('/api/v1/addresses').set('Authorization', alice).send({ name: '爱丽丝', phone: '1380000', address: '南京东路100号', ...NEAR });
  t.is(bad.status, 400);
  t.is(bad.body.error.code, 'VALIDATION_FAILED');
  t.is(await s.app.core.m.Address.countDocuments({}), 0, 'nothing saved');
  const id = await addAddress(s, DEMO.alice, NEAR);
  const list = await s.app.api.get('/api/v1/addresses').set('Authorization', alice);
  t.is(list.body.addresses.length, 1);
  t.like(list.body.addresses[0], { id, name: '爱丽丝', phone: '13800000001', lat: NEAR.lat, lng: NEAR.lng, isDefault: true });
  const bobs = await s.app.api.get('/api/v1/addresses').set('Authorization', await s.auth(DEMO.bob));
  t.deepEqual(bobs.body.addresses, []);
  const steal = await s.app.api.put(`/api/v1/addresses/${id}`).set('Authorization', await s.auth(DEMO.bob)).send({ name: 'x', phone: '13900000000', address: '别处1号', ...FAR });
  t.is(steal.status, 404);
  t.is(steal.body.error.code, 'ADDRESS_NOT_FOUND');
  // Bob cannot order to Alice's address either.
  await shelf(s);
  const use = await order(s, { fulfilment: { type: 'delivery', addressId: id, when: 'asap' } });
  t.is(use.status, 404);
  t.is(use.body.error.code, 'ADDRESS_NOT_FOUND');
  const del = await s.app.api.delete(`/api/v1/addresses/${id}`).set('Authorization', alice);
  t.is(del.status, 204);
});

test.serial('an address outside the radius is refused with DELIVERY_OUT_OF_RANGE and nothing changes', async (t) => {
  const s = await startPayStack(t);
  await shelf(s);
  const far = await addAddress(s, DEMO.bob, FAR);
  const before = (await s.app.core.m.Inventory.findById('S001:P0001').lean())!.stock;
  const res = await order(s, { fulfilment: { type: 'delivery', addressId: far, when: 'asap' } });
  t.is(res.status, 422);
  t.is(res.body.error.code, 'DELIVERY_OUT_OF_RANGE');
  t.is(res.body.error.details.radiusM, 3000);
  t.true(res.body.error.details.distanceM > 3000);
  t.is(await s.app.core.m.Order.countDocuments({}), 0);
  t.is((await s.app.core.m.Inventory.findById('S001:P0001').lean())!.stock, before);
  const opts = await s.app.api.get('/api/v1/delivery/options').query({ storeId: 'S001', addressId: far }).set('Authorization', await s.auth(DEMO.bob));
  t.is(opts.status, 200);
  t.is(opts.body.options.served, false);
});

test.serial('fee and free-delivery threshold are charged as previewed; below the minimum the preview flags it and the order is refused', async (t) => {
  const s = await startPayStack(t);
  await shelf(s, 1500, 3000);
  const near = await addAddress(s, DEMO.bob, NEAR);
  const preview = async (body: Record<string, unknown>) =>
    s.app.api.post('/api/v1/orders/preview').set('Authorization', await s.auth(DEMO.bob)).send({ storeId: 'S001', items: [{ productId: 'P0001', qty: 2 }], ...body });
  // 2 × 15.00 = 30.00 of goods: under the ¥39 threshold, so the ¥5 fee is charged — previewed, then charged.
  const shown = await preview({ fulfilment: { type: 'delivery', addressId: near, when: 'asap' } });
  t.is(shown.status, 200, JSON.stringify(shown.body));
  t.like(shown.body.preview, { orderable: true, problem: null, pricing: { itemsCents: 3000, deliveryFeeCents: 500, totalCents: 3500 } });
  t.like(shown.body.preview.delivery, { feeCents: 500, freeOverCents: 3900, minOrderCents: 2000, goodsCents: 3000, minimumMet: true, when: { kind: 'asap' } });
  const small = await order(s, { fulfilment: { type: 'delivery', addressId: near, when: 'asap' } });
  t.deepEqual(small.body.order.pricing, shown.body.preview.pricing, 'charged as previewed');
  t.is(small.status, 201, JSON.stringify(small.body));
  t.like(small.body.order.pricing, { itemsCents: 3000, deliveryFeeCents: 500, totalCents: 3500 });
  t.is(small.body.order.amountCents, 3500);
  t.is(small.body.order.fulfilment.type, 'delivery');
  t.like(small.body.order.fulfilment.delivery, { distanceM: small.body.order.fulfilment.delivery.distanceM, courier: null, when: { kind: 'asap' } });
  t.true(small.body.order.fulfilment.delivery.distanceM > 1000 && small.body.order.fulfilment.delivery.distanceM < 1200);
  // The wallet is asked for exactly that.
  t.is(s.pay.prepays.get(small.body.payment.prepayId)?.totalCents, 3500);
  // 15.00 + 30.00 = 45.00: free delivery.
  const bigBody = { items: [{ productId: 'P0001', qty: 1 }, { productId: 'P0002', qty: 1 }], fulfilment: { type: 'delivery', addressId: near, when: 'asap' } };
  const bigShown = await preview(bigBody);
  t.like(bigShown.body.preview.pricing, { itemsCents: 4500, deliveryFeeCents: 0, totalCents: 4500 });
  const big = await order(s, bigBody);
  t.is(big.status, 201);
  t.deepEqual(big.body.order.pricing, bigShown.body.preview.pricing);
  t.is(s.pay.prepays.get(big.body.payment.prepayId)?.totalCents, 4500);
  // 15.00 is under the ¥20 minimum: the preview says so, the order is refused.
  const tinyBody = { items: [{ productId: 'P0001', qty: 1 }], fulfilment: { type: 'delivery', addressId: near, when: 'asap' } };
  const tinyShown = await preview(tinyBody);
  t.like(tinyShown.body.preview, { orderable: false, problem: { code: 'DELIVERY_MINIMUM_NOT_MET' }, delivery: { minimumMet: false, goodsCents: 1500 } });
  const tiny = await order(s, tinyBody);
  t.is(tiny.status, 422);
  t.is(tiny.body.error.code, 'DELIVERY_MINIMUM_NOT_MET');
  // Out of range in the preview too, with the same code as the order.
  const far = await addAddress(s, DEMO.bob, FAR);
  const farShown = await preview({ fulfilment: { type: 'delivery', addressId: far, when: 'asap' } });
  t.is(farShown.status, 422);
  t.is(farShown.body.error.code, 'DELIVERY_OUT_OF_RANGE');
  // Pickup of the same lines has no fee.
  const pickup = await order(s, { items: [{ productId: 'P0001', qty: 1 }] });
  t.like(pickup.body.order.pricing, { deliveryFeeCents: 0, totalCents: 1500 });
  t.is(pickup.body.order.fulfilment.type, 'pickup');
});

test.serial('a slot outside delivery hours is refused, a slot the store offers is taken; ASAP outside hours is refused', async (t) => {
  const s = await startPayStack(t);
  // S001 delivers 08:00–22:00 in this test; move the clock to 03:00 store time tomorrow.
  await s.app.core.m.Store.updateOne({ _id: 'S001' }, { $set: { 'delivery.hours': { open: '08:00', close: '22:00' } } });
  const { bumpVersion } = await import('../src/common/versioned-cache.js');
  await bumpVersion(s.app.core.m.CatalogMeta, 'stores');
  const day = storeDay(new Date(Date.now() + 86_400_000));
  const target = Date.parse(`${day}T03:00:00+08:00`);
  s.advance(target - s.app.clock.now().getTime());
  await shelf(s);
  const near = await addAddress(s, DEMO.bob, NEAR);

  const night = await order(s, { fulfilment: { type: 'delivery', addressId: near, when: `${day}T23:00:00+08:00` } });
  t.is(night.status, 422);
  t.is(night.body.error.code, 'DELIVERY_SLOT_UNAVAILABLE');
  const odd = await order(s, { fulfilment: { type: 'delivery', addressId: near, when: `${day}T09:17:00+08:00` } });
  t.is(odd.body.error.code, 'DELIVERY_SLOT_UNAVAILABLE');
  const asap = await order(s, { fulfilment: { type: 'delivery', addressId: near, when: 'asap' } });
  t.is(asap.status, 422);
  t.is(asap.body.error.code, 'DELIVERY_CLOSED');
  t.is(await s.app.core.m.Order.countDocuments({}), 0);

  const opts = await s.app.api.get('/api/v1/delivery/options').query({ storeId: 'S001', addressId: near }).set('Authorization', await s.auth(DEMO.bob));
  t.is(opts.body.options.asap.available, false);
  t.is(opts.body.options.today, day);
  t.is(opts.body.options.slots[0].start, new Date(`${day}T08:00:00+08:00`).toISOString());
  t.is(opts.body.options.slots[0].label, '今天 08:00-09:00');
  t.is(opts.body.options.slots.at(-1).label, '明天 21:00-22:00');
  const ok = await order(s, { fulfilment: { type: 'delivery', addressId: near, when: opts.body.options.slots[1].start } });
  t.is(ok.status, 201, JSON.stringify(ok.body));
  t.like(ok.body.order.fulfilment.delivery.when, { kind: 'slot', start: new Date(`${day}T09:00:00+08:00`).toISOString(), label: '今天 09:00-10:00' });
});

test.serial('a delivery goes preparing → delivering → delivered: assigned to a clerk, a message when it leaves, 100 parallel confirmations deliver once', async (t) => {
  const s = await startPayStack(t);
  await shelf(s);
  const near = await addAddress(s, DEMO.bob, NEAR);
  const { id } = await paidDelivery(s, near);
  const clerk = await clerkAuth(s);

  // The shopper sees the code; the clerk's queue shows where it goes but never the code.
  const mine = await s.app.api.get(`/api/v1/orders/${id}`).set('Authorization', await s.auth(DEMO.bob));
  const code = mine.body.order.fulfilment.delivery.code as string;
  t.regex(code, /^\d{8}$/);
  const queue = await s.app.api.get('/api/v1/clerk/deliveries').set('Authorization', clerk);
  t.is(queue.status, 200, JSON.stringify(queue.body));
  const row = queue.body.deliveries.find((d: { id: string }) => d.id === id);
  t.like(row, { status: 'preparing', customer: { id: DEMO.bob }, delivery: { address: { phone: '13800000001', lat: NEAR.lat, lng: NEAR.lng }, courier: null } });
  t.false(JSON.stringify(queue.body).includes(code));

  // Out needs a courier; the courier must be a clerk of S001.
  const early = await s.app.api.post(`/api/v1/clerk/deliveries/${id}/out`).set('Authorization', clerk).send({});
  t.is(early.body.error.code, 'COURIER_NOT_ASSIGNED');
  const notClerk = await s.app.api.post(`/api/v1/clerk/deliveries/${id}/assign`).set('Authorization', clerk).send({ courierId: DEMO.alice });
  t.is(notClerk.status, 422);
  t.is(notClerk.body.error.code, 'NOT_A_COURIER');
  const couriers = await s.app.api.get('/api/v1/clerk/couriers').set('Authorization', clerk);
  t.deepEqual(couriers.body.couriers, [{ id: DEMO.clerk, nickname: '店员小王' }]);
  const assigned = await s.app.api.post(`/api/v1/clerk/deliveries/${id}/assign`).set('Authorization', clerk).send({ courierId: DEMO.clerk });
  t.is(assigned.status, 200, JSON.stringify(assigned.body));
  t.deepEqual(assigned.body.order.fulfilment.delivery.courier, { id: DEMO.clerk, nickname: '店员小王' });
  t.is(assigned.body.order.fulfilment.delivery.code, undefined, 'the clerk never gets the code');

  // A code before it leaves is refused (the order is not delivering).
  const tooSoon = await s.app.api.post(`/api/v1/clerk/deliveries/${id}/confirm`).set('Authorization', clerk).send({ code });
  t.is(tooSoon.body.error.code, 'DELIVERY_STATE');

  const outs = await Promise.all(Array.from({ length: 10 }, async () => s.app.api.post(`/api/v1/clerk/deliveries/${id}/out`).set('Authorization', clerk).send({})));
  t.is(outs.filter((r) => r.status === 200).length, 1, 'it leaves once');
  let o = await s.app.core.services.order.mustGet(id);
  t.is(o.status, 'delivering');
  t.is(o.outbox.filter((e) => e.type === 'OrderOutForDelivery').length, 1, 'one message when it leaves');
  t.like(o.outbox.find((e) => e.type === 'OrderOutForDelivery'), { userId: DEMO.bob, data: { courier: '店员小王' } });

  // A wrong code is refused and audited.
  const wrong = await s.app.api.post(`/api/v1/clerk/deliveries/${id}/confirm`).set('Authorization', clerk).send({ code: code === '00000000' ? '11111111' : '00000000' });
  t.is(wrong.status, 400);
  t.is(wrong.body.error.code, 'DELIVERY_CODE_INVALID');

  const results = await Promise.all(Array.from({ length: 100 }, () => s.app.api.post(`/api/v1/clerk/deliveries/${id}/confirm`).set('Authorization', clerk).send({ code })));
  const won = results.filter((r) => r.status === 200);
  t.is(won.length, 1, 'exactly one confirmation');
  t.true(results.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.body.error.code === 'DELIVERY_ALREADY_CONFIRMED'), JSON.stringify(results.filter((r) => r.status !== 200 && r.status !== 409).map((r) => r.body)));
  o = await s.app.core.services.order.mustGet(id);
  t.is(o.status, 'delivered');
  t.is(o.history.filter((h) => h.to === 'delivered').length, 1);
  t.like(o.history.find((h) => h.to === 'delivered'), { from: 'delivering', actor: { type: 'clerk', id: DEMO.clerk } });
  const audit = await s.app.core.m.DeliveryAudit.find({ orderId: id }).lean();
  t.is(audit.filter((a) => a.outcome === 'delivered').length, 1);
  t.is(audit.filter((a) => a.outcome === 'already_delivered').length, 99);
  t.is(audit.filter((a) => a.outcome === 'invalid_code').length, 1);
  t.is(audit.filter((a) => a.outcome === 'not_delivering').length, 1);
  // The shopper sees 已送达 (delivered) and no longer a code.
  const after = await s.app.api.get(`/api/v1/orders/${id}`).set('Authorization', await s.auth(DEMO.bob));
  t.is(after.body.order.status, 'delivered');
  t.is(after.body.order.fulfilment.delivery.code, null);
  t.truthy(after.body.order.fulfilment.delivery.deliveredAt);
});

test.serial('wrong codes count against the clerk (failures only): the 11th in a minute is 429 even with the right code', async (t) => {
  const s = await startPayStack(t);
  await shelf(s);
  const near = await addAddress(s, DEMO.bob, NEAR);
  const { id } = await paidDelivery(s, near);
  const clerk = await clerkAuth(s);
  await s.app.api.post(`/api/v1/clerk/deliveries/${id}/assign`).set('Authorization', clerk).send({ courierId: DEMO.clerk });
  await s.app.api.post(`/api/v1/clerk/deliveries/${id}/out`).set('Authorization', clerk).send({});
  const code = (await s.app.core.services.order.mustGet(id)).fulfilment.code as string;
  const bad = code === '12345678' ? '87654321' : '12345678';
  for (let i = 0; i < 10; i++) {
    const r = await s.app.api.post(`/api/v1/clerk/deliveries/${id}/confirm`).set('Authorization', clerk).send({ code: bad });
    t.is(r.body.error.code, 'DELIVERY_CODE_INVALID');
  }
  const locked = await s.app.api.post(`/api/v1/clerk/deliveries/${id}/confirm`).set('Authorization', clerk).send({ code });
  t.is(locked.status, 429);
  t.is((await s.app.core.services.order.mustGet(id)).status, 'delivering');
  // A clerk of another store is refused without learning anything.
  const other = await s.app.api.post(`/api/v1/clerk/deliveries/${id}/confirm`).set('Authorization', await clerkAuth(s, ['S002'], 'u_other-clerk')).send({ code });
  t.is(other.status, 403);
  // Next minute the right code works.
  s.advance(61_000);
  const ok = await s.app.api.post(`/api/v1/clerk/deliveries/${id}/confirm`).set('Authorization', clerk).send({ code });
  t.is(ok.status, 200, JSON.stringify(ok.body));
});

test.serial('a delivery order being prepared is refundable by the same rules as pickup; once out it is not', async (t) => {
  const s = await startPayStack(t);
  await shelf(s);
  const near = await addAddress(s, DEMO.bob, NEAR);
  const a = await paidDelivery(s, near);
  const ask = await s.app.api.post(`/api/v1/orders/${a.id}/refund-request`).set('Authorization', await s.auth(DEMO.bob)).send({ reason: '不想要了' });
  t.is(ask.status, 200, JSON.stringify(ask.body));
  t.is(ask.body.order.status, 'refund_requested');
  const refuse = await s.app.api.post(`/api/v1/clerk/orders/${a.id}/refund/refuse`).set('Authorization', await clerkAuth(s)).send({ reason: '已在配送' });
  t.is(refuse.body.order.status, 'preparing', 'a refused refund goes back to preparing');

  const clerk = await clerkAuth(s);
  await s.app.api.post(`/api/v1/clerk/deliveries/${a.id}/assign`).set('Authorization', clerk).send({ courierId: DEMO.clerk });
  await s.app.api.post(`/api/v1/clerk/deliveries/${a.id}/out`).set('Authorization', clerk).send({});
  const late = await s.app.api.post(`/api/v1/orders/${a.id}/refund-request`).set('Authorization', await s.auth(DEMO.bob)).send({ reason: '不想要了' });
  t.is(late.status, 409);
  t.is(late.body.error.code, 'REFUND_NOT_ALLOWED');
});
