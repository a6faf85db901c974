import type { ExecutionContext } from 'ava';
import { startTestApp, tokenFor, type TestApp } from './helpers.js';
import type { PaymentProvider } from '../src/modules/payment/payment.provider.js';
import type { GroupDoc } from '../src/modules/groupbuy/group.types.js';

/**
 * An in-process payment platform that records every call: prepay ids are the order ids, refunds are
 * accepted as PROCESSING (their notification is applied by the test). The host de-duplicates
 * refunds by `outRefundNo`, so "refunded once" means one distinct number per order here.
 */
export function recordingProvider() {
  const refunds: { orderId: string; outRefundNo: string; amountCents: number }[] = [];
  const provider: PaymentProvider = {
    name: 'recording',
    async prepay(p) {
      return { prepayId: `wx_${p.orderId}` };
    },
    async requestPaymentParams(prepayId) {
      return { prepayId, timeStamp: '0', nonceStr: 'n', package: `prepay_id=${prepayId}`, signType: 'RSA', paySign: 'test' };
    },
    async verifyNotification() {
      throw new Error('not used in these tests');
    },
    async queryTransaction() {
      return null;
    },
    async refund(p) {
      refunds.push({ orderId: p.orderId, outRefundNo: p.outRefundNo, amountCents: p.amountCents });
      return { status: 'PROCESSING' as const };
    },
    async queryRefund() {
      return { status: 'PROCESSING' as const };
    },
  };
  return { provider, refunds };
}

export async function startGroupApp(t: ExecutionContext, env?: Record<string, string>) {
  const rec = recordingProvider();
  const app = await startTestApp(t, { seed: true, overrides: { paymentProvider: rec.provider }, env });
  // Plenty of stock where these tests buy: they are about seats, not shelves (one update per row by
  // _id: a filtered updateMany scans every inventory row on FerretDB).
  const deals = await app.core.m.Deal.find({}, { productId: 1 }).lean();
  const products = new Set(['P0001', 'P0002', ...deals.map((d) => d.productId)]);
  await Promise.all([...products].map((p) => app.core.m.Inventory.updateOne({ _id: `S001:${p}` }, { $set: { stock: 100_000, active: true } })));
  return { app, refunds: rec.refunds };
}

export interface Customer {
  id: string;
  auth: string;
}

/** Customers inserted directly (with avatars and nicknames), each with a signed token. */
export async function customers(app: TestApp, prefix: string, n: number): Promise<Customer[]> {
  const docs = Array.from({ length: n }, (_, i) => ({
    _id: `u_${prefix}${i}`,
    openid: `${prefix}-${i}`,
    nickname: `${prefix}${i}号`,
    avatar: `/avatars/${prefix}${i}.png`,
    roles: ['customer'],
  }));
  await app.core.m.User.insertMany(docs);
  return Promise.all(docs.map(async (d) => ({ id: d._id, auth: `Bearer ${await tokenFor(app, { id: d._id })}` })));
}

/** Re-signs a customer's token at the app's current (maybe advanced) time. */
export async function fresh(app: TestApp, c: Customer): Promise<Customer> {
  return { id: c.id, auth: `Bearer ${await tokenFor(app, { id: c.id })}` };
}

export async function adminAuth(app: TestApp): Promise<string> {
  return `Bearer ${await tokenFor(app, { id: 'u_demo-admin', roles: ['customer', 'admin'] })}`;
}

/** Applies the host's payment for an order through the payment service (as a verified notification does). */
export async function pay(app: TestApp, orderId: string, txId = `tx_${orderId}`): Promise<void> {
  const order = await app.core.services.order.mustGet(orderId);
  await app.core.services.payment.recordPayment(orderId, txId, order.amountCents, app.clock.now());
}

export async function group(app: TestApp, groupId: string): Promise<GroupDoc> {
  return (await app.core.m.Group.findById(groupId).lean()) as unknown as GroupDoc;
}

export async function order(app: TestApp, orderId: string) {
  return app.core.services.order.mustGet(orderId);
}

/** Opens a group as `leader` and pays for it, so it is open. */
export async function openPaidGroup(app: TestApp, leader: Customer, dealId: string, storeId = 'S001') {
  const res = await app.api.post('/api/v1/groups').set('Authorization', leader.auth).send({ dealId, storeId });
  if (res.status !== 201) throw new Error(`open failed: ${res.status} ${JSON.stringify(res.body)}`);
  await pay(app, res.body.order.id);
  return { groupId: res.body.groupId as string, orderId: res.body.order.id as string };
}

export async function join(app: TestApp, c: Customer, groupId: string, body: Record<string, unknown> = {}) {
  return app.api.post(`/api/v1/groups/${groupId}/join`).set('Authorization', c.auth).send(body);
}

export const orderIdOf = (res: { body: { order: { id: string } } }) => res.body.order.id;

/** A deal made through the admin API (short duration, so expiry tests move the clock a little). */
export async function makeDeal(app: TestApp, over: Record<string, unknown> = {}) {
  const now = app.clock.now();
  const res = await app.api
    .post('/api/v1/admin/deals')
    .set('Authorization', await adminAuth(app))
    .send({
      productId: 'P0001',
      storeIds: ['S001'],
      title: '测试团',
      groupSize: 3,
      groupPriceCents: 990,
      soloPriceCents: 1590,
      durationMinutes: 30,
      perUserLimit: 1,
      newMembersOnly: false,
      leaderDiscountCents: 100,
      startAt: new Date(now.getTime() - 60_000).toISOString(),
      endAt: new Date(now.getTime() + 30 * 24 * 3600_000).toISOString(),
      stockCap: 1000,
      ...over,
    });
  if (res.status !== 201) throw new Error(`deal create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.deal as { id: string; groupSize: number; leaderPriceCents: number };
}
