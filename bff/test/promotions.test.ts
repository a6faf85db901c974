import test from 'ava';
import { DEMO, startPayStack, tokenFor, waitFor } from './helpers.js';

/**
 * Coupons, offers and points through the real routes, with real races: claims never beyond the
 * quantity, a coupon used by one order only, given back exactly once, points never below zero, and
 * preview == charge with a coupon, an offer, a level price and points.
 */

type Stack = Awaited<ReturnType<typeof startPayStack>>;

async function stockUp(s: Stack, products: string[], stock = 10_000) {
  await Promise.all(products.map((p) => s.app.core.m.Inventory.updateOne({ _id: `S001:${p}` }, { $set: { stock, active: true } })));
  const { bumpInventory } = await import('../src/modules/catalog/catalog.service.js');
  await bumpInventory(s.app.core.m.CatalogMeta, 'S001', products);
}

async function admin(s: Stack) {
  return `Bearer ${await tokenFor(s.app, { id: DEMO.admin, roles: ['admin'] })}`;
}

async function template(s: Stack, body: Record<string, unknown>) {
  const r = await s.app.api.post('/api/v1/admin/coupons').set('Authorization', await admin(s)).send({ validDays: 7, ...body });
  if (r.status !== 201) throw new Error(`template ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.template as { id: string };
}

async function wallet(s: Stack, prepayId: string): Promise<number> {
  const r = await fetch(`${s.mock.url}/dev/pay/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prepayId }) });
  if (r.status !== 200) throw new Error(`wallet refused: ${r.status}`);
  return ((await r.json()) as { amount: number }).amount;
}

test.serial('1,000 parallel claims of a quantity-100 coupon issue exactly 100', async (t) => {
  const s = await startPayStack(t);
  const tpl = await template(s, { title: '无门槛5元', kind: 'cash', offCents: 500, total: 100, perUser: 2 });
  // 500 users, two claims each (the per-user limit is 2): 1,000 requests at once.
  const auths = await Promise.all(Array.from({ length: 500 }, (_, i) => tokenFor(s.app, { id: `u_race${i}` })));
  const results = await Promise.all(
    Array.from({ length: 1000 }, (_, i) =>
      s.app.api
        .post(`/api/v1/coupons/${tpl.id}/claim`)
        .set('Authorization', `Bearer ${auths[i % 500]}`)
        .then((r) => r.status),
    ),
  );
  t.is(results.filter((c) => c === 201).length, 100);
  t.true(results.every((c) => c === 201 || c === 409), `unexpected ${[...new Set(results)]}`);
  t.is(await s.app.core.m.UserCoupon.countDocuments({ templateId: tpl.id }), 100);
  t.is((await s.app.core.m.CouponTemplate.findById(tpl.id).lean())!.issued, 100);
  // The per-user limit holds too.
  const perUser = await s.app.core.m.UserCoupon.aggregate<{ n: number }>([{ $match: { templateId: tpl.id } }, { $group: { _id: '$userId', n: { $sum: 1 } } }]);
  t.true(perUser.every((u) => u.n <= 2));
});

test.serial('50 parallel orders with one coupon: one succeeds; cancelled, the coupon is usable again exactly once', async (t) => {
  const s = await startPayStack(t);
  await stockUp(s, ['P0001']);
  const tpl = await template(s, { title: '无门槛1元', kind: 'cash', offCents: 100, total: 10 });
  const bob = await s.auth(DEMO.bob);
  const claimed = await s.app.api.post(`/api/v1/coupons/${tpl.id}/claim`).set('Authorization', bob);
  t.is(claimed.status, 201, JSON.stringify(claimed.body));
  const couponId = claimed.body.coupon.id as string;
  const body = { storeId: 'S001', items: [{ productId: 'P0001', qty: 1 }], coupon: couponId };
  const preview = await s.app.api.post('/api/v1/orders/preview').set('Authorization', bob).send(body);
  t.is(preview.status, 200, JSON.stringify(preview.body));
  t.is(preview.body.preview.promotions.couponId, couponId);

  const all = await Promise.all(Array.from({ length: 50 }, () => s.app.api.post('/api/v1/orders').set('Authorization', bob).send(body)));
  const won = all.filter((r) => r.status === 201);
  t.is(won.length, 1, `statuses ${[...new Set(all.map((r) => r.status))]}`);
  t.true(all.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.error.code === 'COUPON_NOT_USABLE'));
  const order = won[0].body.order;
  t.deepEqual(order.pricing, preview.body.preview.pricing, 'preview == charge');
  // The losers took no stock that stayed taken.
  const taken = 10_000 - (await s.app.core.m.Inventory.findById('S001:P0001').lean())!.stock;
  t.is(taken, 1);

  // Cancel it, in parallel: the coupon comes back exactly once.
  await Promise.all(Array.from({ length: 10 }, () => s.app.api.post(`/api/v1/orders/${order.id}/cancel`).set('Authorization', bob)));
  const back = (await s.app.core.m.UserCoupon.findById(couponId).lean())!;
  t.is(back.status, 'usable');
  t.is(back.returns.length, 1);
  // Replaying the give-back (a duplicate event, the sweep) changes nothing.
  t.false(await s.app.core.services.promotions.coupons.giveBack(couponId, order.id, 'replay'));
  // Usable again, by exactly one of 20 racing orders.
  const again = await Promise.all(Array.from({ length: 20 }, () => s.app.api.post('/api/v1/orders').set('Authorization', bob).send(body)));
  t.is(again.filter((r) => r.status === 201).length, 1);
  const mine = await s.app.api.get('/api/v1/coupons/mine?status=used').set('Authorization', bob);
  t.is(mine.body.coupons.length, 1);
});

test.serial('points spent by 50 parallel orders never take the balance below zero; a cancelled order gives them back once', async (t) => {
  // Several orders win the points; once they hold the default 5 unpaid-order slots, a loser that comes
  // late (a loaded machine) is refused for its unpaid orders, not its points. The cap is lifted here so
  // that the points alone decide.
  const s = await startPayStack(t, { env: { MAX_UNPAID_ORDERS: '100' } });
  await stockUp(s, ['P0001']);
  const bob = await s.auth(DEMO.bob);
  await s.app.core.services.member.credit(DEMO.bob, 'test_grant', 'points-race', 1000);
  const start = await s.app.api.get('/api/v1/points/balance').set('Authorization', bob);
  t.is(start.body.balance, 1000);
  const body = { storeId: 'S001', items: [{ productId: 'P0001', qty: 1 }], usePoints: true };
  const preview = await s.app.api.post('/api/v1/orders/preview').set('Authorization', bob).send(body);
  const each = preview.body.preview.pricing.pointsUsed as number;
  t.true(each > 0 && each < 1000);
  const all = await Promise.all(Array.from({ length: 50 }, () => s.app.api.post('/api/v1/orders').set('Authorization', bob).send(body)));
  const won = all.filter((r) => r.status === 201);
  const spent = won.reduce((n, r) => n + (r.body.order.pricing.pointsUsed as number), 0);
  t.true(won.length >= 1);
  t.true(spent <= 1000, `spent ${spent}`);
  const odd = all.filter((r) => r.status !== 201 && !(r.status === 409 && r.body.error.code === 'POINTS_INSUFFICIENT'));
  t.deepEqual(odd.map((r) => `${r.status} ${r.body?.error?.code}`), [], JSON.stringify(odd[0]?.body));
  const wallet1 = (await s.app.core.m.PointsWallet.findById(DEMO.bob).lean())!.balance;
  t.is(wallet1, 1000 - spent);
  t.true(wallet1 >= 0);
  const ledger = await s.app.core.services.member.balance(DEMO.bob);
  t.is(ledger.points, wallet1, 'the counter equals the ledger sum');

  const first = won[0].body.order;
  await Promise.all(Array.from({ length: 5 }, () => s.app.api.post(`/api/v1/orders/${first.id}/cancel`).set('Authorization', bob)));
  t.is((await s.app.core.m.PointsWallet.findById(DEMO.bob).lean())!.balance, wallet1 + first.pricing.pointsUsed);
  t.is((await s.app.core.services.member.balance(DEMO.bob)).points, wallet1 + first.pricing.pointsUsed);
});

test.serial('an offer, a level price, the best coupon and points: preview == order == wallet; the new-member coupon is granted once', async (t) => {
  const s = await startPayStack(t);
  await stockUp(s, ['P0001', 'P0002']);
  const a = await admin(s);
  const offer = await s.app.api.post('/api/v1/admin/offers').set('Authorization', a).send({ title: '满10减1', kind: 'amount', threshold: 1000, offCents: 100 });
  t.is(offer.status, 201, JSON.stringify(offer.body));
  const newbie = await template(s, { title: '新人立减3元', kind: 'cash', offCents: 300, total: 1000, newMember: true });
  await template(s, { title: '满5减0.5', kind: 'threshold', minSpendCents: 500, offCents: 50, total: 100 });
  // Nobody can claim the new-member coupon in the centre.
  const alice = await s.auth(DEMO.alice);
  t.is((await s.app.api.post(`/api/v1/coupons/${newbie.id}/claim`).set('Authorization', alice)).status, 422);

  // Alice binds her phone (twice): one new-member coupon.
  for (let i = 0; i < 2; i++) {
    const r = await s.app.api.post('/api/v1/member/phone').set('Authorization', alice).send({ code: s.mock.phoneCode('demo-alice', '13800000001') });
    t.is(r.status, 200, JSON.stringify(r.body));
  }
  const mine = await s.app.api.get('/api/v1/coupons/mine?status=usable').set('Authorization', alice);
  t.deepEqual(mine.body.coupons.map((c: { title: string }) => c.title), ['新人立减3元']);
  const centre = await s.app.api.get('/api/v1/coupons/centre?storeId=S001').set('Authorization', alice);
  t.deepEqual(centre.body.templates.map((x: { title: string }) => x.title), ['满5减0.5']);
  const small = await s.app.api.post(`/api/v1/coupons/${centre.body.templates[0].id}/claim`).set('Authorization', alice);
  t.is(small.status, 201);
  t.is((await s.app.api.post(`/api/v1/coupons/${centre.body.templates[0].id}/claim`).set('Authorization', alice)).status, 409, 'one per user');

  // Gold level: lifetime points 5000+.
  await s.app.core.services.member.credit(DEMO.alice, 'test_grant', 'gold', 6000);
  const body = { storeId: 'S001', items: [{ productId: 'P0001', qty: 2 }, { productId: 'P0002', qty: 1 }], coupon: 'best', usePoints: true };
  const preview = await s.app.api.post('/api/v1/orders/preview').set('Authorization', alice).send(body);
  t.is(preview.status, 200, JSON.stringify(preview.body));
  const p = preview.body.preview;
  t.deepEqual(p.pricing.adjustments.map((x: { kind: string }) => x.kind), ['member', 'level', 'offer', 'coupon', 'points']);
  t.is(p.promotions.couponId, mine.body.coupons[0].id, 'the best coupon (3 元) is preselected');
  t.is(p.promotions.coupons.length, 2);
  const placed = await s.app.api.post('/api/v1/orders').set('Authorization', alice).send({ ...body, coupon: p.promotions.couponId });
  t.is(placed.status, 201, JSON.stringify(placed.body));
  t.deepEqual(placed.body.order.pricing, p.pricing);
  t.is(await wallet(s, placed.body.payment.prepayId), p.pricing.totalCents, 'the wallet charges the previewed amount');
});

test.serial('a request frozen after taking stock, a coupon and points: the sweep fences it and gives all three back once; woken up, it saves nothing and gives nothing twice', async (t) => {
  // The prepay (after the stock take and the coupon and points) hangs, as a process paused or dying there.
  const { recordingProvider } = await import('./group-fixtures.js');
  const rec = recordingProvider();
  const prepay = rec.provider.prepay.bind(rec.provider);
  let thaw!: () => void;
  const frozen = new Promise<void>((r) => (thaw = r));
  let freeze = true;
  let entered = 0;
  rec.provider.prepay = async (p) => {
    if (freeze) {
      entered++;
      await frozen;
    }
    return prepay(p);
  };
  const s = await startPayStack(t, { overrides: { paymentProvider: rec.provider } });
  await stockUp(s, ['P0001'], 100);
  const tpl = await template(s, { title: '无门槛2元', kind: 'cash', offCents: 200, total: 10 });
  const bob = await s.auth(DEMO.bob);
  const couponId = (await s.app.api.post(`/api/v1/coupons/${tpl.id}/claim`).set('Authorization', bob)).body.coupon.id as string;
  await s.app.core.services.member.credit(DEMO.bob, 'test_grant', 'frozen-order', 1000);
  const body = { storeId: 'S001', items: [{ productId: 'P0001', qty: 2 }], coupon: couponId, usePoints: true };

  const stuck = s.app.api.post('/api/v1/orders').set('Authorization', bob).send(body).then((r) => r);
  await waitFor('the request to reach the prepay', async () => entered === 1);
  const coupon = (await s.app.core.m.UserCoupon.findById(couponId).lean())!;
  t.is(coupon.status, 'used');
  const orderId = coupon.orderId;
  const spent = 1000 - (await s.app.core.m.PointsWallet.findById(DEMO.bob).lean())!.balance;
  t.true(spent > 0, 'points were spent');
  t.is((await s.app.core.m.Inventory.findById('S001:P0001').lean())!.stock, 98);

  const sweep = () => s.app.api.post('/api/v1/internal/sweep').set('X-Internal-Token', 'linli-dev-internal-token');
  t.is((await sweep()).body.couponsReturned, 0, 'too fresh: it could be a slow request');
  s.advance(3 * 60_000);
  const passes = await Promise.all([sweep(), sweep(), sweep()]);
  t.is(passes.reduce((n, r) => n + r.body.couponsReturned, 0), 1);
  t.is(passes.reduce((n, r) => n + r.body.pointsReturned, 0), spent);
  t.like((await s.app.core.m.UserCoupon.findById(couponId).lean())!, { status: 'usable', orderId: '' });
  t.is((await s.app.core.m.PointsWallet.findById(DEMO.bob).lean())!.balance, 1000);
  t.is((await s.app.core.services.member.balance(DEMO.bob)).points, 1000, 'the ledger agrees with the counter');
  t.is((await s.app.core.m.Inventory.findById('S001:P0001').lean())!.stock, 100);

  // It wakes up: its order id is fenced, so it saves nothing, and its own give-back finds nothing left to give.
  freeze = false;
  thaw();
  const woke = await stuck;
  t.is(woke.status, 409, JSON.stringify(woke.body));
  t.is(woke.body.error.code, 'ORDER_ABANDONED');
  t.true((await s.app.core.services.order.get(orderId))?.abandoned);
  t.is((await s.app.core.m.UserCoupon.findById(couponId).lean())!.returns.length, 1);
  t.is((await s.app.core.m.PointsWallet.findById(DEMO.bob).lean())!.balance, 1000);
  t.is((await s.app.core.m.Inventory.findById('S001:P0001').lean())!.stock, 100);
  // The coupon works for a new order.
  const again = await s.app.api.post('/api/v1/orders').set('Authorization', bob).send(body);
  t.is(again.status, 201, JSON.stringify(again.body));
});
