import { Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import type { OrderDto, OrderStatusName } from '@linli/contracts';
import { useCallback, useState } from 'react';
import { LoginPrompt } from '../../components/login-prompt';
import { StateView } from '../../components/state-view';
import { Tabs } from '../../components/tabs';
import { api, imageUrl } from '../../services/api';
import { useSession } from '../../store/session';
import { shortTime, yuan } from '../../utils/format';
import { ORDER_TABS, statusText } from '../../utils/order-status';
import { go, routes } from '../../utils/routes';
import './index.scss';

type TabKey = 'all' | OrderStatusName;

/** Orders: tabs by status, pull to refresh, infinite scroll. */
export default function OrdersPage() {
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
        const r = await api.orders(key === 'all' ? undefined : key, after);
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

  if (!session.tokens) return <LoginPrompt text='登录后查看你的订单' />;

  return (
    <View className='orders'>
      <Tabs tabs={ORDER_TABS} active={tab} onChange={switchTab} />
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
                实付 <Text className='price'>{yuan(o.amountCents)}</Text>
              </Text>
            </View>
          </View>
        ))}
        <View className='orders__more'>{more ? '加载中…' : cursor ? '上拉加载更多' : orders.length ? '没有更多了' : ''}</View>
      </StateView>
    </View>
  );
}
