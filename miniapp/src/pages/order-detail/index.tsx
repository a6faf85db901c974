import { Button, Image, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import type { OrderDto, StoreDto } from '@linli/contracts';
import { useCallback, useEffect, useState } from 'react';
import { HomeLink } from '../../components/home-link';
import { StateView } from '../../components/state-view';
import { RefundPanel } from '../../components/refund-panel';
import { StoreCard } from '../../components/store-card';
import { api, imageUrl } from '../../services/api';
import { useSession } from '../../store/session';
import { LoginPrompt } from '../../components/login-prompt';
import { groupDigits, shortTime, yuan } from '../../utils/format';
import { actorText, statusText } from '../../utils/order-status';
import { historyText } from '../../utils/order-history';
import { missingId, pageError, type PageError } from '../../utils/page-error';
import { useLiveParams } from '../../utils/use-live-params';
import { go, routes } from '../../utils/routes';
import { PricingRows } from '../../components/order-preview';
import { amountLabel, canPayAgain, orderAgain, payAgain } from '../../services/order-actions';
import { DeliveryProgress } from '../../components/delivery-progress';
import './index.scss';

const MOVING = new Set(['pending_payment', 'paid', 'grouping', 'refund_requested', 'refunding', 'preparing', 'delivering']);

/** Order detail: status, pickup voucher (QR + 12-digit code), items, and the status timeline. */
export default function OrderDetailPage() {
  const params = useLiveParams();
  const id = params.id ?? '';
  const session = useSession();
  const [order, setOrder] = useState<OrderDto | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<PageError | null>(null);
  const [store, setStore] = useState<StoreDto | null>(null);

  const load = useCallback(async () => {
    if (!session.tokens) return setLoading(false);
    if (!id) {
      setError(missingId('这个订单'));
      return setLoading(false);
    }
    try {
      const r = await api.order(id);
      if (r.order.id !== id) return;
      setOrder(r.order);
      if (r.store) setStore(r.store);
      setError(null);
    } catch (e) {
      setError(pageError(e, '这个订单'));
    } finally {
      setLoading(false);
    }
  }, [id, session.tokens]);

  useEffect(() => {
    void load();
  }, [load]);
  // Payment and group results arrive asynchronously: follow the order while it is still moving.
  const moving = !!order && MOVING.has(order.status);
  useEffect(() => {
    if (!moving) return undefined;
    const t = setInterval(() => void load(), 2500);
    return () => clearInterval(t);
  }, [moving, load]);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const cancel = async () => {
    const ok = await Taro.showModal({ title: '取消订单', content: '确定取消这个未支付的订单吗？' });
    if (!ok.confirm) return;
    try {
      const r = await api.cancelOrder(id);
      setOrder(r.order);
    } catch (e) {
      void Taro.showToast({ title: (e as Error).message, icon: 'none' });
    }
  };

  if (!session.tokens) return <LoginPrompt text='登录后查看订单' />;
  const o = order;
  return (
    <View className='od'>
      <StateView loading={loading} error={o && o.id === id ? null : (error?.text ?? null)} notFound={error?.notFound} onRetry={() => void load()}>
        {o && (
          <>
            <View className={`od__head od__head--${o.status}`}>
              <Text className='od__status' data-testid='order-status'>
                {statusText(o.status)}
              </Text>
              <Text className='od__hint'>
                {o.status === 'pending_payment' && `请在 ${shortTime(o.payBy)} 前完成支付`}
                {o.status === 'paid' && '支付成功，正在处理'}
                {o.status === 'grouping' && '拼团中，成团后即可到店取货'}
                {o.status === 'awaiting_pickup' && (o.readyAt ? '商品已备好，请到店出示提货码' : '门店备货中，凭提货码到店取货')}
                {o.status === 'picked_up' && o.pickedUpAt && `已于 ${shortTime(o.pickedUpAt)} 取货`}
                {o.status === 'preparing' && '门店正在备货，备好后由配送员送货上门'}
                {o.status === 'delivering' && '配送员已出发，请准备好收货码'}
                {o.status === 'delivered' && o.fulfilment.delivery?.deliveredAt && `已于 ${shortTime(o.fulfilment.delivery.deliveredAt)} 送达`}
                {o.status === 'refund_requested' && '退款审核中，商家同意后原路退款'}
                {o.status === 'refunding' && '退款处理中，款项将原路退回'}
                {o.status === 'refunded' && '款项已原路退回'}
                {o.status === 'cancelled' && '订单已取消'}
              </Text>
            </View>

            {o.status === 'awaiting_pickup' && o.voucher && (
              <View className='card od__voucher' data-testid='voucher'>
                <Text className='od__voucher-title'>提货码</Text>
                <Image className='od__qr' src={o.voucher.qr} data-testid='voucher-qr' />
                <Text className='od__code' data-testid='voucher-code'>
                  {groupDigits(o.voucher.shortCode)}
                </Text>
                <Text className='muted'>到店出示给店员扫码，或报出 12 位数字码 · 有效期至 {shortTime(o.voucher.expiresAt)}</Text>
              </View>
            )}

            <DeliveryProgress order={o} />

            <RefundPanel order={o} onChange={setOrder} />

            <StoreCard store={store} storeId={o.storeId} title={o.fulfilment.type === 'delivery' ? '配送门店' : '取货门店'} />

            <View className='card'>
              {o.items.map((it) => (
                <View key={it.productId} className='od__item'>
                  <Image className='od__img' src={imageUrl(it.image)} mode='aspectFill' />
                  <Text className='od__title'>{it.title}</Text>
                  <Text className='muted'>
                    {yuan(it.unitPriceCents)} ×{it.qty}
                  </Text>
                </View>
              ))}
              <PricingRows pricing={o.pricing} totalLabel={amountLabel(o)} />
              {o.groupId && (
                <Text className='od__link' onClick={() => go(routes.group(o.groupId!))} data-testid='group-link'>
                  查看拼团 ›
                </Text>
              )}
            </View>

            <View className='card'>
              <Text className='od__section'>订单进度</Text>
              <View className='timeline' data-testid='timeline'>
                {[...o.history].reverse().map((h, i) => {
                  const step = historyText(h);
                  return (
                    <View key={`${h.at}-${i}`} className={`timeline__row ${i === 0 ? 'timeline__row--now' : ''}`} data-testid='timeline-row'>
                      <View className='timeline__dot' />
                      <View className='timeline__body'>
                        <Text className='timeline__what'>{step.what}</Text>
                        {step.why && <Text className='timeline__why'>{step.why}</Text>}
                        <Text className='muted'>
                          {shortTime(h.at)} · {actorText(h.actor.type)}
                        </Text>
                      </View>
                    </View>
                  );
                })}
              </View>
              <Text className='muted'>订单号 {o.id}</Text>
            </View>

            <View className='od__actions'>
              {o.status === 'pending_payment' && (
                <Button className='btn-ghost' onClick={() => void cancel()} data-testid='cancel-order'>
                  取消订单
                </Button>
              )}
              {canPayAgain(o) && (
                <Button className='btn-primary' onClick={() => void payAgain(o)} data-testid='pay-again'>
                  去支付 {yuan(o.amountCents)}
                </Button>
              )}
              {o.kind === 'normal' && o.status !== 'pending_payment' && (
                <Button className='btn-ghost' onClick={() => void orderAgain(o, store?.name)} data-testid='order-again'>
                  再来一单
                </Button>
              )}
            </View>
          </>
        )}
      </StateView>
      <HomeLink />
    </View>
  );
}
