import { Button, Input, Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { AdminStoreDto } from '@linli/contracts';
import { useState } from 'react';
import { StateView } from '../../components/state-view';
import { useScreenData } from '../../utils/use-screen-data';
import { adminApi } from '../shared/admin-api';
import { AdminGuard } from '../shared/admin-guard';
import { formError } from '../shared/form';
import '../shared/admin.scss';

const HOURS = /^\d{2}:\d{2}-\d{2}:\d{2}$/;

/** An editor starts again from what the server holds whenever that changes (after a save or a reload). */
const editorKey = (s: AdminStoreDto) => [s.id, s.name, s.openHours, s.phone, s.active].join('|');

function StoreEditor({ store, onSaved }: { store: AdminStoreDto; onSaved: () => void }) {
  const [name, setName] = useState(store.name);
  const [openHours, setOpenHours] = useState(store.openHours);
  const [phone, setPhone] = useState(store.phone);
  const [active, setActive] = useState(store.active);
  const [error, setError] = useState<string | null>(null);
  const changed = name !== store.name || openHours !== store.openHours || phone !== store.phone || active !== store.active;
  const save = async () => {
    if (!HOURS.test(openHours.trim())) return setError('营业时间格式为 08:00-22:00');
    try {
      const patch = {
        ...(name !== store.name ? { name: name.trim() } : {}),
        ...(openHours !== store.openHours ? { openHours: openHours.trim() } : {}),
        ...(phone !== store.phone ? { phone: phone.trim() } : {}),
        ...(active !== store.active ? { active } : {}),
      };
      await adminApi.patchStore(store.id, patch);
      void Taro.showToast({ title: '已保存', icon: 'success' });
      setError(null);
      onSaved();
    } catch (e) {
      setError(formError(e, { name: '店名', openHours: '营业时间', phone: '电话' }));
    }
  };
  return (
    <View className='card' data-testid='store-card' data-store={store.id}>
      <Text className='admin__title'>
        {store.id} · {store.city}
        {store.district}
      </Text>
      <Text className='admin__muted'>{store.address}</Text>
      <View className='admin__field'>
        <Text className='admin__label'>店名</Text>
        <Input className='admin__input' value={name} onInput={(e) => setName(e.detail.value)} data-testid='store-name' />
      </View>
      <View className='admin__field'>
        <Text className='admin__label'>营业时间</Text>
        <Input className='admin__input' value={openHours} placeholder='08:00-22:00' onInput={(e) => setOpenHours(e.detail.value)} data-testid='store-hours' />
      </View>
      <View className='admin__field'>
        <Text className='admin__label'>电话</Text>
        <Input className='admin__input' value={phone} onInput={(e) => setPhone(e.detail.value)} data-testid='store-phone' />
      </View>
      <View className='admin__field'>
        <Text className='admin__label'>营业中</Text>
        <Switch checked={active} onChange={(e) => setActive(e.detail.value)} data-testid='store-active' />
      </View>
      {error && <View className='admin__bad' data-testid='store-error'>{error}</View>}
      <Button size='mini' className='btn-primary' disabled={!changed} onClick={() => void save()} data-testid='store-save'>
        保存
      </Button>
    </View>
  );
}

function Stores() {
  const { data, error, reload: load } = useScreenData(() => adminApi.stores(), []);
  const stores = data?.stores ?? null;
  return (
    <View className='admin'>
      <StateView loading={!stores && !error} error={error} onRetry={load}>
        {stores?.map((s) => <StoreEditor key={editorKey(s)} store={s} onSaved={load} />)}
      </StateView>
    </View>
  );
}

/** The chain's stores: name, opening hours, phone, and whether each is open for orders. */
export default function AdminStores() {
  return (
    <AdminGuard>
      <Stores />
    </AdminGuard>
  );
}
