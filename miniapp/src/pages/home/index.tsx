import { ScrollView, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import type { StoreDto } from '@linli/contracts';
import { useCallback, useEffect, useState } from 'react';
import { StateView } from '../../components/state-view';
import { api } from '../../services/api';
import { currentStore, useCurrentStore } from '../../store/session';
import { distance } from '../../utils/format';
import { locate } from '../../utils/location';
import './index.scss';

/** Home: the current store (nearest first, or the one the customer chose) and a store switcher. */
export default function HomePage() {
  const store = useCurrentStore();
  const [stores, setStores] = useState<StoreDto[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [switching, setSwitching] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const point = await locate();
      const r = await api.stores(point.lat, point.lng);
      setStores(r.stores);
      const cur = currentStore.get();
      const nearest = r.stores[0];
      if (nearest && (!cur || !cur.chosen || !r.stores.some((s) => s.id === cur.id))) {
        currentStore.set({ id: nearest.id, name: nearest.name, distanceM: nearest.distanceM, chosen: false });
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const choose = (s: StoreDto) => {
    currentStore.set({ id: s.id, name: s.name, distanceM: s.distanceM, chosen: true });
    setSwitching(false);
  };

  return (
    <View className='home'>
      <View className='home__store' onClick={() => setSwitching(!switching)} data-testid='current-store'>
        <Text className='home__store-name'>{store ? store.name : '正在定位门店…'}</Text>
        {store?.distanceM !== undefined && <Text className='muted'> {distance(store.distanceM)}</Text>}
        <Text className='home__switch'>{switching ? '收起' : '切换门店'}</Text>
      </View>
      <StateView loading={loading} error={error} empty={!loading && stores.length === 0} emptyText='附近没有门店' onRetry={load}>
        {(switching || stores.length > 0) && (
          <View className='card'>
            <View className='section-title'>{switching ? '选择门店' : '附近门店'}</View>
            <ScrollView scrollY className='home__stores'>
              {stores.map((s) => (
                <View key={s.id} className={`store-row ${store?.id === s.id ? 'store-row--current' : ''}`} onClick={() => choose(s)} data-testid='store-row'>
                  <View className='store-row__main'>
                    <Text className='store-row__name'>{s.name}</Text>
                    <Text className='muted'>{s.address}</Text>
                  </View>
                  <Text className='store-row__dist'>{distance(s.distanceM)}</Text>
                </View>
              ))}
            </ScrollView>
          </View>
        )}
      </StateView>
    </View>
  );
}
