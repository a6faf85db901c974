import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import type { AddressDto } from '@linli/contracts';
import { useState } from 'react';
import { LoginPrompt } from '../../components/login-prompt';
import { StateView } from '../../components/state-view';
import { host } from '../../host';
import { api, type AddressInput } from '../../services/api';
import { deliveryChoice } from '../../store/delivery-choice';
import { useSession } from '../../store/session';
import { locate } from '../../utils/location';
import './index.scss';

const PHONE = /^1[3-9]\d{9}$/;
const EMPTY = { name: '', phone: '', address: '', detail: '', lat: '', lng: '' };
type Form = typeof EMPTY;

/**
 * The shopper's address book: pick one for delivery (`?select=1`, from the confirm page), add one
 * (weapp: the host's chooseAddress pinned on the map; h5: a form with the point of the map or of
 * this device), edit or remove one. The phone is checked here and again by the BFF.
 */
export default function AddressesPage() {
  const { params } = useRouter();
  const selecting = params.select === '1';
  const session = useSession();
  const [list, setList] = useState<AddressDto[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const load = async () => {
    if (!session.tokens) return setLoading(false);
    try {
      setList((await api.addresses()).addresses);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  };
  useDidShow(() => void load());

  const pick = (a: AddressDto) => {
    if (!selecting) return;
    deliveryChoice.set((c) => ({ ...c, mode: 'delivery', addressId: a.id }));
    void Taro.navigateBack();
  };

  const startAdd = async () => {
    setEditing(null);
    setFormError(null);
    if (host.chooseAddress) {
      const a = await host.chooseAddress();
      if (!a) return;
      return setForm({ ...a, lat: String(a.lat), lng: String(a.lng) });
    }
    const here = await locate();
    setForm({ ...EMPTY, lat: here.lat.toFixed(5), lng: here.lng.toFixed(5) });
  };

  const startEdit = (a: AddressDto) => {
    setEditing(a.id);
    setFormError(null);
    setForm({ name: a.name, phone: a.phone, address: a.address, detail: a.detail, lat: String(a.lat), lng: String(a.lng) });
  };

  const save = async () => {
    if (!form) return;
    const lat = Number(form.lat);
    const lng = Number(form.lng);
    if (!form.name.trim()) return setFormError('请填写收货人');
    if (!PHONE.test(form.phone.trim())) return setFormError('请填写 11 位手机号');
    if (form.address.trim().length < 2) return setFormError('请填写收货地址');
    if (!form.lat || !form.lng || !Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return setFormError('请在地图上选点（经纬度）');
    const body: AddressInput = { name: form.name.trim(), phone: form.phone.trim(), address: form.address.trim(), detail: form.detail.trim(), lat, lng };
    setSaving(true);
    try {
      const r = editing ? await api.updateAddress(editing, body) : await api.addAddress(body);
      setForm(null);
      await load();
      if (selecting && !editing) pick(r.address);
    } catch (e) {
      setFormError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const remove = async (a: AddressDto) => {
    const ok = await Taro.showModal({ title: '删除地址', content: `删除 ${a.address}？` });
    if (!ok.confirm) return;
    try {
      await api.deleteAddress(a.id);
      await load();
    } catch (e) {
      void Taro.showToast({ title: (e as Error).message, icon: 'none' });
    }
  };

  if (!session.tokens) return <LoginPrompt text='登录后管理收货地址' />;
  const field = (key: keyof Form, placeholder: string, type: 'text' | 'digit' | 'number' = 'text') => (
    <Input className='addr__input' type={type} placeholder={placeholder} value={form?.[key] ?? ''} onInput={(e) => setForm((f) => (f ? { ...f, [key]: e.detail.value } : f))} data-testid={`addr-${key}`} />
  );
  const current = deliveryChoice.get().addressId;
  return (
    <View className='addr'>
      <StateView loading={loading} error={error} onRetry={() => void load()}>
        {list.map((a) => (
          <View key={a.id} className={`card addr__row ${selecting && a.id === current ? 'addr__row--on' : ''}`} data-testid='address-row'>
            <View onClick={() => pick(a)} data-testid='address-pick'>
              <Text className='addr__who'>
                {a.name} {a.phone}
              </Text>
              {a.isDefault && <Text className='addr__tag'>默认</Text>}
              <Text className='muted' style={{ display: 'block' }}>
                {a.address} {a.detail}
              </Text>
            </View>
            <View className='addr__ops'>
              <Text onClick={() => startEdit(a)} data-testid='address-edit'>编辑</Text>
              <Text onClick={() => void remove(a)} data-testid='address-delete'>删除</Text>
            </View>
          </View>
        ))}
        {list.length === 0 && !form && <View className='state'>还没有收货地址</View>}
        {form ? (
          <View className='card' data-testid='address-form'>
            {field('name', '收货人')}
            {field('phone', '手机号', 'number')}
            {field('address', '收货地址（街道、小区）')}
            {field('detail', '门牌号（楼栋、单元、房号）')}
            <View className='addr__pair'>
              {field('lat', '纬度', 'digit')}
              {field('lng', '经度', 'digit')}
            </View>
            {formError && <Text className='addr__err' data-testid='address-error'>{formError}</Text>}
            <View className='addr__actions'>
              <Button className='btn-ghost' onClick={() => setForm(null)}>
                取消
              </Button>
              <Button className='btn-primary' loading={saving} disabled={saving} onClick={() => void save()} data-testid='address-save'>
                保存
              </Button>
            </View>
          </View>
        ) : (
          <View style={{ padding: '12px' }}>
            <Button className='btn-primary' onClick={() => void startAdd()} data-testid='address-add'>
              {host.chooseAddress ? '从微信选择收货地址' : '新增收货地址'}
            </Button>
          </View>
        )}
      </StateView>
    </View>
  );
}
