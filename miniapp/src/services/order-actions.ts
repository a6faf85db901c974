import Taro from '@tarojs/taro';
import type { OrderDto } from '@linli/contracts';
import { refill } from '../store/cart';
import { currentStore } from '../store/session';
import { go, routes } from '../utils/routes';
import { api } from './api';
import { payThenShow } from './pay';

/** An unpaid order can still be paid (its pay deadline has not passed). */
export const canPayAgain = (o: Pick<OrderDto, 'status' | 'payBy'>, now = Date.now()) => o.status === 'pending_payment' && new Date(o.payBy).getTime() > now;

/** 应付 until the order was paid, 实付 once it was (a cancelled unpaid order was never charged). */
export const amountLabel = (o: Pick<OrderDto, 'paidAt'>) => (o.paidAt ? '实付' : '应付');

/** 去支付: fresh payment parameters for the order (POST /orders/:id/pay), then the host wallet. */
export async function payAgain(o: Pick<OrderDto, 'id'>): Promise<void> {
  try {
    const r = await api.payOrder(o.id);
    await payThenShow(r, routes.order(o.id));
  } catch (e) {
    void Taro.showToast({ title: (e as Error).message, icon: 'none' });
  }
}

/** 再来一单: the order's products go into its store's cart (that store becomes the current one), then the cart. */
export async function orderAgain(o: Pick<OrderDto, 'storeId' | 'items'>, storeName?: string): Promise<void> {
  const cur = currentStore.get();
  if (cur?.id !== o.storeId) {
    const name = storeName ?? (await api.store(o.storeId).then((r) => r.store.name).catch(() => o.storeId));
    currentStore.set({ id: o.storeId, name, chosen: true });
  }
  refill(o.storeId, o.items.map((i) => ({ productId: i.productId, qty: i.qty, title: i.title, image: i.image })));
  await go(routes.cart());
}
