import type { OrderStatus } from '../src/modules/order/order.state.js';
import { newOrderId } from '../src/modules/order/order.service.js';
import { DEMO, tokenFor, type TestApp } from './helpers.js';

/** Inserts an order as the order module leaves it (the clerk and voucher modules only read it). */
export async function insertOrder(
  app: TestApp,
  o: { storeId?: string; status?: OrderStatus; userId?: string; createdAt?: Date; id?: string } = {},
): Promise<string> {
  const id = o.id ?? newOrderId();
  const now = o.createdAt ?? app.clock.now();
  await app.core.m.Order.create({
    _id: id,
    userId: o.userId ?? DEMO.alice,
    storeId: o.storeId ?? 'S001',
    kind: 'normal',
    fulfilment: { type: 'pickup' },
    items: [
      { productId: 'P0001', title: '红富士苹果', image: '/img/p0001.jpg', qty: 2, shelfPriceCents: 590, unitPriceCents: 590 },
      { productId: 'P0002', title: '鲜牛奶', image: '/img/p0002.jpg', qty: 1, shelfPriceCents: 1200, unitPriceCents: 1200 },
    ],
    pricing: { itemsCents: 2380, adjustments: [], deliveryFeeCents: 0, pointsUsed: 0, totalCents: 2380 },
    amountCents: 2380,
    limitKey: id,
    stockHeld: false,
    status: o.status ?? 'awaiting_pickup',
    history: [],
    payBy: new Date(now.getTime() + 15 * 60_000),
    readyAt: null,
    pickedUpAt: null,
    outbox: [],
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

export async function orderDoc(app: TestApp, id: string) {
  return app.core.m.Order.findById(id).lean();
}

/** The few users and stores these tests read (much faster than the whole demo seed). */
export async function smallWorld(app: TestApp): Promise<void> {
  await app.core.m.User.create([
    { _id: DEMO.alice, openid: 'demo-alice', nickname: '爱丽丝', avatar: '/a.png', roles: ['customer'] },
    { _id: DEMO.bob, openid: 'demo-bob', nickname: '小鲍', avatar: '/b.png', roles: ['customer'] },
  ]);
  await app.core.m.Store.create(
    ['S001', 'S002'].map((id, i) => ({ _id: id, name: `邻里${id}店`, city: '上海', district: '黄浦区', address: `南京东路${i + 1}号`, lat: 31.23 + i / 100, lng: 121.47, phone: '021-00000000', openHours: '07:00-23:00' })),
  );
}

/** A clerk identity with a token (a user document too when a nickname is given). */
export async function clerk(app: TestApp, id: string, storeIds: string[], nickname?: string) {
  if (nickname) {
    await app.core.m.User.create({ _id: id, openid: `oid-${id}`, nickname, avatar: '/a.png', roles: ['customer', 'clerk'], clerkStoreIds: storeIds });
  }
  const token = await tokenFor(app, { id, roles: ['customer', 'clerk'], storeIds });
  return { id, storeIds, roles: ['customer', 'clerk'] as ('customer' | 'clerk')[], token, auth: `Bearer ${token}` };
}
