import { Picker, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { api } from '../../services/api';
import { useClerkStoreId } from './clerk-store';
import './store-switcher.scss';

/** The store the clerk works for; a picker when they are a clerk of several stores. */
export function StoreSwitcher() {
  const [storeId, setStoreId, ids] = useClerkStoreId();
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    api
      .clerkStores()
      .then((r) => setNames(Object.fromEntries(r.stores.map((s) => [s.id, s.name]))))
      .catch(() => {});
  }, [ids.join(',')]);
  const label = (id: string) => (names[id] ? `${names[id]}（${id}）` : id);
  if (ids.length <= 1) {
    return (
      <View className='store-switch' data-testid='clerk-store'>
        <Text>门店：{label(storeId)}</Text>
      </View>
    );
  }
  return (
    <Picker mode='selector' range={ids.map(label)} value={Math.max(0, ids.indexOf(storeId))} onChange={(e) => setStoreId(ids[Number(e.detail.value)])}>
      <View className='store-switch store-switch--many' data-testid='clerk-store'>
        <Text>门店：{label(storeId)}</Text>
        <Text className='store-switch__hint'>切换 ▾</Text>
      </View>
    </Picker>
  );
}
