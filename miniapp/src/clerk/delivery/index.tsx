import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import type { ClerkDeliveryDto } from '@linli/contracts';
import { useCallback, useEffect, useState } from 'react';
import { ClerkGuard } from '../../components/clerk-guard';
import { StateView } from '../../components/state-view';
import { Tabs } from '../../components/tabs';
import { host } from '../../host';
import { api } from '../../services/api';
import { useSession } from '../../store/session';
import { distance, shortTime, yuan } from '../../utils/format';
import './index.scss';

type Status = 'preparing' | 'delivering' | 'delivered';
const TABS: { key: Status; label: string }[] = [
  { key: 'preparing', label: '待配送' },
  { key: 'delivering', label: '配送中' },
  { key: 'delivered', label: '已送达' },
];

/**
 * The store's delivery desk: orders to deliver with address, distance, map and phone; assign a
 * courier (a clerk of the store), send it out, and confirm it delivered with the shopper's code.
 */
function ClerkDelivery() {
  const session = useSession();
  const storeId = session.user?.clerkStoreIds[0];
  const [tab, setTab] = useState<Status>('preparing');
  const [rows, setRows] = useState<ClerkDeliveryDto[]>([]);
  const [couriers, setCouriers] = useState<{ id: string; nickname: string }[]>([]);
  const [codes, setCodes] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (status: Status) => {
      try {
        const r = await api.clerkDeliveries({ status, storeId });
        setRows(r.deliveries);
        setError(null);
      } catch (e) {
        setError((e as Error).message);
      } finally {
        setLoading(false);
      }
    },
    [storeId],
  );
  useEffect(() => {
    void api.couriers(storeId).then((r) => setCouriers(r.couriers), () => {});
  }, [storeId]);
  useDidShow(() => void load(tab));
  usePullDownRefresh(() => {
    void load(tab).finally(() => Taro.stopPullDownRefresh());
  });

  const act = async (id: string, what: () => Promise<unknown>, done: string) => {
    setBusy(id);
    try {
      await what();
      void Taro.showToast({ title: done, icon: 'success' });
      await load(tab);
    } catch (e) {
      void Taro.showToast({ title: (e as Error).message, icon: 'none' });
      await load(tab);
    } finally {
      setBusy(null);
    }
  };

  return (
    <View className='clerk'>
      <Tabs
        tabs={TABS}
        active={tab}
        onChange={(k) => {
          setTab(k);
          setLoading(true);
          void load(k);
        }}
      />
      <StateView loading={loading} error={error} empty={rows.length === 0} emptyText='暂无配送单' onRetry={() => void load(tab)}>
        {rows.map((o) => {
          const d = o.delivery;
          return (
            <View key={o.id} className='card cdel' data-testid='delivery-row'>
              <View className='cdel__head'>
                <Text className='cdel__who'>{o.customer.nickname ?? '顾客'}</Text>
                <Text className='muted'>
                  {shortTime(o.createdAt)} · {yuan(o.amountCents)}
                </Text>
              </View>
              {o.items.map((i) => (
                <Text key={i.productId} className='cdel__item'>
                  {i.title} ×{i.qty}
                </Text>
              ))}
              <View className='cdel__addr'>
                <Text className='cdel__line'>
                  {d.address.name} {d.address.phone}
                </Text>
                <Text className='cdel__line' data-testid='delivery-address'>
                  {d.address.address} {d.address.detail}
                </Text>
                <Text className='muted cdel__line' data-testid='delivery-distance'>
                  距门店 {distance(d.distanceM)} · {d.when.label}
                </Text>
                <View className='cdel__links'>
                  <Text onClick={() => void host.openMap({ lat: d.address.lat, lng: d.address.lng, name: d.address.name, address: d.address.address })} data-testid='delivery-map'>
                    地图导航
                  </Text>
                  <Text onClick={() => void host.call(d.address.phone)} data-testid='delivery-call'>
                    拨打电话
                  </Text>
                </View>
              </View>
              {o.status === 'preparing' && (
                <>
                  <View className='cdel__couriers'>
                    <Text className='muted'>配送员：</Text>
                    {couriers.map((c) => (
                      <View key={c.id} className={`cdel__chip ${d.courier?.id === c.id ? 'cdel__chip--on' : ''}`} onClick={() => void act(o.id, () => api.assignCourier(o.id, c.id), '已指派')} data-testid={`courier-${c.id}`}>
                        <Text>{c.nickname}</Text>
                      </View>
                    ))}
                  </View>
                  <View className='cdel__foot'>
                    <Button className='btn-primary' size='mini' loading={busy === o.id} disabled={busy === o.id || !d.courier} onClick={() => void act(o.id, () => api.sendOut(o.id), '已出发')} data-testid='send-out'>
                      {d.courier ? `${d.courier.nickname ?? ''} 出发配送` : '请先指派配送员'}
                    </Button>
                  </View>
                </>
              )}
              {o.status === 'delivering' && (
                <View className='cdel__foot'>
                  <Input className='cdel__input' type='number' maxlength={9} placeholder='顾客出示的 8 位收货码' value={codes[o.id] ?? ''} onInput={(e) => setCodes((c) => ({ ...c, [o.id]: e.detail.value }))} data-testid='code-input' />
                  <Button className='btn-primary' size='mini' loading={busy === o.id} disabled={busy === o.id || !(codes[o.id] ?? '').trim()} onClick={() => void act(o.id, () => api.confirmDelivery(o.id, codes[o.id] ?? ''), '已确认送达')} data-testid='confirm-delivery'>
                    确认送达
                  </Button>
                </View>
              )}
              {o.status === 'delivered' && d.deliveredAt && <Text className='cdel__done'>已于 {shortTime(d.deliveredAt)} 送达</Text>}
            </View>
          );
        })}
      </StateView>
    </View>
  );
}

export default function ClerkDeliveryPage() {
  return (
    <ClerkGuard>
      <ClerkDelivery />
    </ClerkGuard>
  );
}
