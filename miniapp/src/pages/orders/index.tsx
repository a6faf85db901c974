import { Button, Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import type { OrderDto, OrderTab } from '@linli/contracts';
import { useCallback, useState } from 'react';
import { LoginPrompt } from '../../components/login-prompt';
import { StateView } from '../../components/state-view';
import { Tabs } from '../../components/tabs';
import { api, imageUrl } from '../../services/api';
import { useSession } from '../../store/session';
import { shortTime, yuan } from '../../utils/format';
import { statusText } from '../../utils/order-status';
import { amountLabel, canPayAgain, orderAgain, payAgain } from '../../services/order-actions';
import { useCartBadge } from '../../store/cart-badge';
import { go, routes } from '../../utils/routes';
import './index.scss';

type TabKey = 'all' | OrderTab;
const TABS: { key: TabKey; label: string }[] = [
  { key: 'all', label: '全部' },
  { key: 'unpaid', label: '待付款' },
  { key: 'pickup', label: '待取货' },
  { key: 'done', label: '已完成' },
  { key: 'refund', label: '退款' },
];

/** Orders: tabs 全部/待付款/待取货/已完成/退款, row actions (去支付, 取消, 再来一单), pull to refresh, infinite scroll. */
export default function OrdersPage() {
  useCartBadge();
  const session = useSession();
  const [tab, setTab] = useState<TabKey>('all');
  const [orders, setOrders] = useState<OrderDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (key: TabKey, after: string | null = null) => {
      if (!session.tokens) {
        setLoading(false);
        return;
      }
      if (after) setMore(true);
      setError(null);
      try {
        const r = await api.ordersByTab(key === 'all' ? undefined : key, after);
        setOrders((prev) => (after ? [...prev, ...r.orders] : r.orders));
        setCursor(r.nextCursor);
      } catch (e) {
        setError((e as Error).message);
      } finally {
        setLoading(false);
        setMore(false);
      }
    },
    [session.tokens],
  );

  useDidShow(() => {
    void load(tab);
  });
  usePullDownRefresh(() => {
    void load(tab).finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => {
    if (cursor && !more) void load(tab, cursor);
  });

  const switchTab = (k: TabKey) => {
    setTab(k);
    setLoading(true);
    setOrders([]);
    void load(k);
  };

  const cancel = async (o: OrderDto) => {
    const ok = await Taro.showModal({ title: '取消订单', content: '确定取消这个未支付的订单吗？' });
    if (!ok.confirm) return;
    try {
      const r = await api.cancelOrder(o.id);
      setOrders((list) => (tab === 'all' ? list.map((x) => (x.id === o.id ? r.order : x)) : list.filter((x) => x.id !== o.id)));
    } catch (e) {
      void Taro.showToast({ title: (e as Error).message, icon: 'none' });
    }
  };

  if (!session.tokens) return <LoginPrompt text='登录后查看你的订单' />;

  return (
    <View className='orders'>
      <Tabs tabs={TABS} active={tab} onChange={switchTab} />
      <StateView loading={loading} error={error} empty={orders.length === 0} emptyText='还没有这类订单' onRetry={() => void load(tab)}>
        {orders.map((o) => (
          <View key={o.id} className='card order-row' onClick={() => go(routes.order(o.id))} data-testid='order-row'>
            <View className='order-row__head'>
              <Text className='muted'>
                {o.kind === 'group' ? '拼团 · ' : ''}
                {shortTime(o.createdAt)}
              </Text>
              <Text className={`order-row__status order-row__status--${o.status}`} data-testid='order-status'>
                {statusText(o.status)}
              </Text>
            </View>
            {o.items.map((it) => (
              <View key={it.productId} className='order-row__item'>
                <Image className='order-row__img' src={imageUrl(it.image)} mode='aspectFill' />
                <Text className='order-row__title'>{it.title}</Text>
                <Text className='muted'>×{it.qty}</Text>
              </View>
            ))}
            <View className='order-row__foot'>
              <Text>
                {amountLabel(o)} <Text className='price'>{yuan(o.amountCents)}</Text>
              </Text>
              <View className='order-row__actions'>
                {o.status === 'pending_payment' && (
                  <Button className='btn-ghost' size='mini' onClick={(e) => (e.stopPropagation(), void cancel(o))} data-testid='row-cancel'>
                    取消
                  </Button>
                )}
                {canPayAgain(o) && (
                  <Button className='btn-primary' size='mini' onClick={(e) => (e.stopPropagation(), void payAgain(o))} data-testid='row-pay'>
                    去支付
                  </Button>
                )}
                {o.kind === 'normal' && o.status !== 'pending_payment' && (
                  <Button className='btn-ghost' size='mini' onClick={(e) => (e.stopPropagation(), void orderAgain(o))} data-testid='row-again'>
                    再来一单
                  </Button>
                )}
              </View>
            </View>
          </View>
        ))}
        <View className='orders__more'>{more ? '加载中…' : cursor ? '上拉加载更多' : orders.length ? '没有更多了' : ''}</View>
      </StateView>
    </View>
  );
}
