import test from 'ava';
import { DEMO, startPayStack, waitFor } from './helpers.js';

const INV = 'S001:P0001';
type Stack = Awaited<ReturnType<typeof startPayStack>>;

async function placeOrder(s: Stack, qty = 1, stock = 20) {
  await s.app.core.m.Inventory.updateOne({ _id: INV }, { $set: { stock, active: true } });
  const res = await s.app.api
    .post('/api/v1/orders')
    .set('Authorization', await s.auth(DEMO.alice))
    .send({ storeId: 'S001', items: [{ productId: 'P0001', qty }] });
  if (res.status !== 201) throw new Error(`order failed: ${JSON.stringify(res.body)}`);
  return res.body as { order: { id: string; amountCents: number }; payment: { prepayId: string } };
}


const statusIs = (s: Stack, id: string, status: string) => () => s.app.core.services.order.get(id).then((o) => (o?.status === status ? o : null));

function transactionResource(s: Stack, orderId: string, amountCents: number, transactionId = `4200${Date.now()}${Math.floor(Math.random() * 1e6)}`) {
  return {
    mchid: s.app.config.PAY_MCH_ID,
    appid: s.app.config.APP_ID,
    out_trade_no: orderId,
    transaction_id: transactionId,
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    success_time: new Date().toISOString(),
    payer: { openid: 'demo-alice' },
    amount: { total: amountCents, payer_total: amountCents, currency: 'CNY' },
  };
}

const post = (s: Stack, n: { headers: Record<string, string>; body: string }) =>
  s.app.api.post('/api/v1/pay/notify').set(n.headers).set('Content-Type', 'application/json').send(n.body);

test.serial('the wallet pays, the host notifies, and the order goes to pickup with one payment', async (t) => {
  const s = await startPayStack(t);
  const { order, payment } = await placeOrder(s, 2);
  const confirmed = s.pay.confirm(payment.prepayId);
  t.true(confirmed.ok);
  const done = await waitFor('awaiting_pickup', statusIs(s, order.id, 'awaiting_pickup'));
  t.deepEqual(done.history.map((h) => h.to), ['pending_payment', 'paid', 'awaiting_pickup']);
  t.is(done.payment.amountCents, order.amountCents);
  t.truthy(done.payment.transactionId);
  t.is(await s.app.core.m.Payment.countDocuments({ orderId: order.id }), 1);
  const view = await s.app.api.get(`/api/v1/orders/${order.id}`).set('Authorization', await s.auth(DEMO.alice));
  t.is(view.body.order.status, 'awaiting_pickup');
  t.true('voucher' in view.body.order);
  // A second confirm of the same prepay is refused by the host: one payment per order.
  t.false(s.pay.confirm(payment.prepayId).ok);
});

test.serial('the same notification delivered 10 times in parallel makes one payment, one history entry, one stock effect', async (t) => {
  const s = await startPayStack(t);
  const { order } = await placeOrder(s, 3, 10);
  const n = s.pay.signedNotification('TRANSACTION.SUCCESS', 'transaction', transactionResource(s, order.id, order.amountCents, '4200000000000000000000000001'));
  const results = await Promise.all(Array.from({ length: 10 }, () => post(s, n)));
  t.true(results.every((r) => r.status === 200 && r.body.code === 'SUCCESS'), JSON.stringify(results.map((r) => r.status)));
  const o = (await s.app.core.services.order.get(order.id))!;
  t.is(o.status, 'awaiting_pickup');
  t.is(o.history.filter((h) => h.to === 'paid').length, 1);
  t.is(o.history.filter((h) => h.to === 'awaiting_pickup').length, 1);
  t.is(o.history.length, 3);
  t.is(await s.app.core.m.Payment.countDocuments({}), 1);
  t.is((await s.app.core.m.Inventory.findById(INV).lean())?.stock, 7);
  // The same notification later (a host retry) is acknowledged and changes nothing.
  const again = await post(s, s.pay.signedNotification('TRANSACTION.SUCCESS', 'transaction', transactionResource(s, order.id, order.amountCents, '4200000000000000000000000001')));
  t.is(again.status, 200);
  t.is((await s.app.core.services.order.get(order.id))!.history.length, 3);
});

test.serial('a bad signature, a stale timestamp, a wrong amount or a tampered ciphertext is refused and changes nothing', async (t) => {
  const s = await startPayStack(t);
  const { order } = await placeOrder(s, 1, 10);
  const good = () => s.pay.signedNotification('TRANSACTION.SUCCESS', 'transaction', transactionResource(s, order.id, order.amountCents));

  const badSig = good();
  badSig.headers['Wechatpay-Signature'] = good().headers['Wechatpay-Signature'];
  const stale = s.pay.signedNotification('TRANSACTION.SUCCESS', 'transaction', transactionResource(s, order.id, order.amountCents), {
    timestamp: String(Math.floor(Date.now() / 1000) - 6 * 60),
  });
  const future = s.pay.signedNotification('TRANSACTION.SUCCESS', 'transaction', transactionResource(s, order.id, order.amountCents), {
    timestamp: String(Math.floor(Date.now() / 1000) + 6 * 60),
  });
  const wrongAmount = s.pay.signedNotification('TRANSACTION.SUCCESS', 'transaction', transactionResource(s, order.id, order.amountCents - 1));
  const unknownOrder = s.pay.signedNotification('TRANSACTION.SUCCESS', 'transaction', transactionResource(s, 'o_aaaaaaaaaaaaaaaa', order.amountCents));

  // Tampered ciphertext: as sent (signature no longer matches) and re-signed with the platform key
  // (the signature matches, but AES-GCM's tag does not).
  const g = good();
  const env = JSON.parse(g.body);
  const ct = Buffer.from(env.resource.ciphertext, 'base64');
  ct[5] ^= 0x01;
  env.resource.ciphertext = ct.toString('base64');
  const tamperedBody = JSON.stringify(env);
  const tampered = { headers: g.headers, body: tamperedBody };
  const { signedHeaders } = await import('@linli/mock/pay/v3-sign');
  const tamperedResigned = { headers: signedHeaders(s.pay.keys, tamperedBody, Date.now()), body: tamperedBody };
  const unknownSerial = good();
  unknownSerial.headers['Wechatpay-Serial'] = 'PUB_KEY_ID_0000';
  const unsigned = { headers: {}, body: good().body };

  const cases = { badSig, stale, future, wrongAmount, unknownOrder, tampered, tamperedResigned, unknownSerial, unsigned };
  for (const [name, n] of Object.entries(cases)) {
    const res = await post(s, n);
    t.true(res.status >= 400 && res.status < 500, `${name}: ${res.status}`);
    t.truthy(res.body.error?.code, name);
  }
  const o = (await s.app.core.services.order.get(order.id))!;
  t.is(o.status, 'pending_payment');
  t.is(o.history.length, 1);
  t.is(o.payment.transactionId, null);
  t.is(await s.app.core.m.Payment.countDocuments({}), 0);
  // …while the genuine one is accepted.
  t.is((await post(s, good())).status, 200);
  t.is((await s.app.core.services.order.get(order.id))!.status, 'awaiting_pickup');
});

test.serial('a payment that arrives for a cancelled order is refunded once and its stock comes back once', async (t) => {
  const s = await startPayStack(t);
  const { order, payment } = await placeOrder(s, 2, 10);
  s.pay.notifier.faults = { duplicate: 2, delayMs: 700, reorder: false, failFirst: 0 };
  t.true(s.pay.confirm(payment.prepayId).ok);
  const cancel = await s.app.api.post(`/api/v1/orders/${order.id}/cancel`).set('Authorization', await s.auth(DEMO.alice));
  t.is(cancel.status, 200);
  t.is((await s.app.core.m.Inventory.findById(INV).lean())?.stock, 10);
  const o = await waitFor('refunded', statusIs(s, order.id, 'refunded'));
  await s.pay.notifier.settled();
  t.deepEqual(o.history.map((h) => h.to), ['pending_payment', 'cancelled', 'refunding', 'refunded']);
  t.is(o.refund.status, 'succeeded');
  t.is(o.outbox.filter((e) => e.type === 'RefundCompleted').length, 1);
  t.is([...s.pay.refunds.values()].filter((r) => r.outTradeNo === order.id).length, 1);
  t.is((await s.app.core.m.Inventory.findById(INV).lean())?.stock, 10);
  const final = (await s.app.core.services.order.get(order.id))!;
  t.is(final.history.length, 4);
});

test.serial('a refund asked for 10 times in parallel is made once; the order ends refunded with its stock back', async (t) => {
  const s = await startPayStack(t);
  const { order, payment } = await placeOrder(s, 3, 10);
  s.pay.confirm(payment.prepayId);
  await waitFor('awaiting_pickup', statusIs(s, order.id, 'awaiting_pickup'));
  t.is((await s.app.core.m.Inventory.findById(INV).lean())?.stock, 7);
  const results = await Promise.allSettled(Array.from({ length: 10 }, () => s.app.core.services.payment.refund(order.id, 'customer changed their mind')));
  t.true(results.every((r) => r.status === 'fulfilled'), JSON.stringify(results.filter((r) => r.status === 'rejected')));
  const o = await waitFor('refunded', statusIs(s, order.id, 'refunded'));
  await s.pay.notifier.settled();
  t.is([...s.pay.refunds.values()].filter((r) => r.outTradeNo === order.id).length, 1);
  t.is(o.history.filter((h) => h.to === 'refunding').length, 1);
  t.is(o.history.filter((h) => h.to === 'refunded').length, 1);
  t.is((await s.app.core.m.Inventory.findById(INV).lean())?.stock, 10);
  await t.throwsAsync(s.app.core.services.payment.refund('o_bbbbbbbbbbbbbbbb', 'x'), { message: /not found/ });
});
