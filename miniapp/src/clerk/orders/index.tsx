import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import type { ClerkOrderDto } from '@linli/contracts';
import { useCallback, useState } from 'react';
import { ClerkGuard } from '../../components/clerk-guard';
import { StateView } from '../../components/state-view';
import { StoreCard } from '../../components/store-card';
import { Tabs } from '../../components/tabs';
import { api } from '../../services/api';
import { useSession } from '../../store/session';
import { shortTime, yuan } from '../../utils/format';
import { go, routes } from '../../utils/routes';
import './index.scss';

type Status = 'awaiting_pickup' | 'grouping' | 'picked_up';
const TABS: { key: Status; label: string }[] = [
  { key: 'awaiting_pickup', label: '待取货' },
  { key: 'grouping', label: '拼团中' },
  { key: 'picked_up', label: '已取货' },
];

function ClerkOrders() {
  const session = useSession();
  const storeId = session.user?.clerkStoreIds[0];
  const [tab, setTab] = useState<Status>('awaiting_pickup');
  const [orders, setOrders] = useState<ClerkOrderDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [marking, setMarking] = useState<string | null>(null);

  const load = useCallback(
    async (status: Status, after: string | null = null) => {
      try {
        const r = await api.clerkOrders({ status, storeId, cursor: after });
        setOrders((prev) => (after ? [...prev, ...r.orders] : r.orders));
        setCursor(r.nextCursor);
        setError(null);
      } catch (e) {
        setError((e as Error).message);
      } finally {
        setLoading(false);
      }
    },
    [storeId],
  );

  useDidShow(() => void load(tab));
  usePullDownRefresh(() => {
    void load(tab).finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => {
    if (cursor) void load(tab, cursor);
  });

  const markReady = async (o: ClerkOrderDto) => {
    setMarking(o.id);
    try {
      const r = await api.markReady(o.id);
      setOrders((prev) => prev.map((x) => (x.id === o.id ? { ...x, readyAt: r.readyAt } : x)));
      void Taro.showToast({ title: '已通知顾客取货', icon: 'success' });
    } catch (e) {
      void Taro.showToast({ title: (e as Error).message, icon: 'none' });
    } finally {
      setMarking(null);
    }
  };

  return (
    <View className='clerk'>
      <View className='clerk__tools'>
        <Button className='btn-primary clerk__tool' onClick={() => go(routes.clerkRedeem())} data-testid='go-redeem'>
          核销提货码
        </Button>
        <Button className='btn-ghost clerk__tool' onClick={() => go(routes.clerkMemberScan())} data-testid='go-member-scan'>
          会员积分
        </Button>
        <Button className='btn-ghost clerk__tool' onClick={() => go(routes.clerkRefunds())} data-testid='go-refunds'>
          退款审核
        </Button>
        <Button className='btn-ghost clerk__tool' onClick={() => go(routes.clerkDelivery())} data-testid='go-delivery'>
          配送单
        </Button>
      </View>
      {storeId && <StoreCard storeId={storeId} title='本店' testid='clerk-store' />}
      <Text className='clerk__store'>门店 {storeId} · 今日订单在前</Text>
      <Tabs
        tabs={TABS}
        active={tab}
        onChange={(k) => {
          setTab(k);
          setLoading(true);
          setOrders([]);
          void load(k);
        }}
      />
      <StateView loading={loading} error={error} empty={orders.length === 0} emptyText='暂时没有订单' onRetry={() => void load(tab)}>
        {orders.map((o) => (
          <View key={o.id} className={`card corder ${o.today ? '' : 'corder--old'}`} data-testid='clerk-order'>
            <View className='corder__head'>
              <Text className='corder__who'>{o.customer.nickname ?? '顾客'}</Text>
              <Text className='muted'>
                {o.today ? '今天 ' : ''}
                {shortTime(o.createdAt)}
              </Text>
            </View>
            {o.items.map((it) => (
              <Text key={it.productId} className='corder__item'>
                {it.title} ×{it.qty}
              </Text>
            ))}
            <View className='corder__foot'>
              <Text className='price'>{yuan(o.amountCents)}</Text>
              {tab === 'awaiting_pickup' &&
                (o.readyAt ? (
                  <Text className='corder__ready' data-testid='ready-mark'>已备好 {shortTime(o.readyAt)}</Text>
                ) : (
                  <Button className='btn-primary' size='mini' loading={marking === o.id} onClick={() => void markReady(o)} data-testid='mark-ready'>
                    备好了
                  </Button>
                ))}
              {tab === 'picked_up' && o.pickedUpAt && <Text className='muted'>取货 {shortTime(o.pickedUpAt)}</Text>}
            </View>
          </View>
        ))}
      </StateView>
    </View>
  );
}

/** Clerk: today's store orders with mark-ready, and the way to redeem and member scan. */
export default function ClerkOrdersPage() {
  return (
    <ClerkGuard>
      <ClerkOrders />
    </ClerkGuard>
  );
}
