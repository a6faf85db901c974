import Taro from '@tarojs/taro';
import type { OrderDto, PaymentParamsDto } from '@linli/contracts';
import { host } from '../host';
import { go, routes } from '../utils/routes';

/**
 * Pays an order with the host wallet, then shows `returnPath` (weapp: after requestPayment; h5: the
 * mock wallet page comes back to it). A cancelled payment leads to the order, which can be cancelled.
 */
export async function payThenShow(r: { order: OrderDto; payment: PaymentParamsDto }, returnPath: string): Promise<void> {
  const outcome = await host.pay(r.payment, returnPath);
  if (outcome === 'redirected') return;
  if (outcome === 'paid') {
    await go(returnPath, { replace: true });
    return;
  }
  void Taro.showToast({ title: '已取消支付', icon: 'none' });
  await go(routes.order(r.order.id), { replace: true });
}
