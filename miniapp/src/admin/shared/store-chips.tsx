import { ScrollView, Text } from '@tarojs/components';
import type { AdminStoreDto } from '@linli/contracts';
import { useEffect, useState } from 'react';
import { adminApi } from './admin-api';

/** The chain's stores as chips; the chosen one is passed up (the first store until one is tapped, unless `autoPick` is false). */
export function StoreChips(props: { value: string | null; onChange: (id: string) => void; testId?: string; autoPick?: boolean }) {
  const [stores, setStores] = useState<AdminStoreDto[]>([]);
  const { value, onChange } = props;
  useEffect(() => {
    adminApi
      .stores()
      .then((r) => {
        setStores(r.stores);
        if (!value && props.autoPick !== false && r.stores[0]) onChange(r.stores[0].id);
      })
      .catch(() => {});
  }, []);
  return (
    <ScrollView scrollX enableFlex className='admin__strip' data-testid={props.testId ?? 'store-chips'}>
      {stores.map((s) => (
        <Text key={s.id} className={`admin__chip ${s.id === value ? 'admin__chip--on' : ''}`} onClick={() => onChange(s.id)} data-testid={`store-${s.id}`}>
          {s.name}
        </Text>
      ))}
    </ScrollView>
  );
}
