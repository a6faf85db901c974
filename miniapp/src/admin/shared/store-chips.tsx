import { Input, ScrollView, Text, View } from '@tarojs/components';
import type { AdminStoreDto } from '@linli/contracts';
import { useCallback, useEffect, useState } from 'react';
import { LoadError } from '../../components/load-error';
import { adminApi } from './admin-api';

/** Above this many stores the chips get a filter box (name or number). */
const FILTER_FROM = 8;

/** Stores whose name or id holds `q`; the chosen one stays listed whatever the filter. */
export function filterStores(stores: AdminStoreDto[], q: string, chosen: string | null): AdminStoreDto[] {
  const needle = q.trim().toLowerCase();
  if (!needle) return stores;
  return stores.filter((s) => s.id === chosen || s.name.toLowerCase().includes(needle) || s.id.toLowerCase().includes(needle));
}

/** The chain's stores as chips; the chosen one is passed up (the first store until one is tapped, unless `autoPick` is false). */
export function StoreChips(props: { value: string | null; onChange: (id: string) => void; testId?: string; autoPick?: boolean }) {
  const [stores, setStores] = useState<AdminStoreDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const { value, onChange } = props;
  const load = useCallback(() => {
    adminApi
      .stores()
      .then((r) => {
        setStores(r.stores);
        setError(null);
        if (!value && props.autoPick !== false && r.stores[0]) onChange(r.stores[0].id);
      })
      .catch((e: Error) => setError(`门店列表没有加载出来：${e.message}`));
  }, []);
  useEffect(load, []);
  const shown = filterStores(stores, q, value);
  return (
    <View>
      <LoadError text={error} onRetry={load} testId='store-chips-error' />
      {stores.length > FILTER_FROM && (
        <Input className='admin__input' value={q} placeholder='按门店名称或编号筛选' onInput={(e) => setQ(e.detail.value)} data-testid='store-filter' />
      )}
      <ScrollView scrollX enableFlex className='admin__strip' data-testid={props.testId ?? 'store-chips'}>
      {shown.map((s) => (
        <Text key={s.id} className={`admin__chip ${s.id === value ? 'admin__chip--on' : ''}`} onClick={() => onChange(s.id)} data-testid={`store-${s.id}`}>
          {s.name}
        </Text>
      ))}
      {q.trim() && !shown.some((s) => s.id !== value) && <Text className='admin__muted'>没有其他符合“{q.trim()}”的门店</Text>}
      </ScrollView>
    </View>
  );
}
