import { Text, View } from '@tarojs/components';
import type { AddressDto, DeliveryOptionsDto } from '@linli/contracts';
import { useEffect, useState } from 'react';
import { api } from '../../services/api';
import { deliveryChoice, useDeliveryChoice } from '../../store/delivery-choice';
import { useSession } from '../../store/session';
import { distance, yuan } from '../../utils/format';
import { go, routes } from '../../utils/routes';
import './index.scss';

/**
 * 到店自提 or 送货上门 on the confirm page: the address (from the book), 尽快送达 with its ETA or a
 * slot of the store's delivery hours (in the store's zone, as the BFF lists them), and the store's
 * fee rules as text. The fee itself is in the BFF's preview, never added here.
 */
export function FulfilmentPicker({ storeId }: { storeId: string }) {
  const choice = useDeliveryChoice();
  const session = useSession();
  const [address, setAddress] = useState<AddressDto | null>(null);
  const [options, setOptions] = useState<DeliveryOptionsDto | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (choice.mode !== 'delivery' || !session.tokens) return;
    let live = true;
    void (async () => {
      try {
        const book = (await api.addresses()).addresses;
        const a = book.find((x) => x.id === choice.addressId) ?? book[0] ?? null;
        if (!live) return;
        setAddress(a);
        if (a && a.id !== choice.addressId) deliveryChoice.set((c) => ({ ...c, addressId: a.id }));
        const o = (await api.deliveryOptions(storeId, a?.id)).options;
        if (!live) return;
        setOptions(o);
        setError(null);
        // 尽快送达 when the store delivers now, else the first open slot.
        const c = deliveryChoice.get();
        const valid = c.when === 'asap' ? o.asap.available : o.slots.some((s) => s.start === c.when);
        if (!valid) deliveryChoice.set((x) => ({ ...x, when: o.asap.available ? 'asap' : (o.slots[0]?.start ?? 'asap') }));
      } catch (e) {
        if (live) setError((e as Error).message);
      }
    })();
    return () => {
      live = false;
    };
  }, [choice.mode, choice.addressId, storeId, session.tokens]);

  const setMode = (mode: 'pickup' | 'delivery') => deliveryChoice.set((c) => ({ ...c, mode }));
  const rules = options?.config;
  return (
    <View className='card fp' data-testid='fulfilment'>
      <View className='fp__modes'>
        <View className={`fp__mode ${choice.mode === 'pickup' ? 'fp__mode--on' : ''}`} onClick={() => setMode('pickup')} data-testid='fulfil-pickup'>
          <Text>到店自提</Text>
        </View>
        <View className={`fp__mode ${choice.mode === 'delivery' ? 'fp__mode--on' : ''}`} onClick={() => setMode('delivery')} data-testid='fulfil-delivery'>
          <Text>送货上门</Text>
        </View>
      </View>
      {choice.mode === 'delivery' && (
        <View className='fp__body'>
          {address ? (
            <View className='fp__addr' onClick={() => void go(routes.addresses(true))} data-testid='fp-address'>
              <Text className='fp__who'>
                {address.name} {address.phone}
              </Text>
              <Text className='muted'>
                {address.address} {address.detail}
              </Text>
              <Text className='fp__change'>更换 ›</Text>
            </View>
          ) : (
            <View className='fp__addr' onClick={() => void go(routes.addresses(true))} data-testid='fp-add-address'>
              <Text className='fp__who'>+ 添加收货地址</Text>
            </View>
          )}
          {options?.served === false && (
            <Text className='fp__warn' data-testid='fp-out-of-range'>
              该地址距门店 {distance(options.distanceM ?? undefined)}，超出 {distance(rules?.radiusM)} 配送范围
            </Text>
          )}
          {options && options.served !== false && (
            <View className='fp__times'>
              {options.asap.available && (
                <View className={`fp__slot ${choice.when === 'asap' ? 'fp__slot--on' : ''}`} onClick={() => deliveryChoice.set((c) => ({ ...c, when: 'asap' }))} data-testid='fp-asap'>
                  <Text>尽快送达 · 约{options.asap.etaMinutes}分钟</Text>
                </View>
              )}
              {options.slots.slice(0, 8).map((s, i) => (
                <View key={s.start} className={`fp__slot ${choice.when === s.start ? 'fp__slot--on' : ''}`} onClick={() => deliveryChoice.set((c) => ({ ...c, when: s.start }))} data-testid={`fp-slot-${i}`}>
                  <Text>{s.label}</Text>
                </View>
              ))}
            </View>
          )}
          {rules && (
            <Text className='muted fp__rules' data-testid='fp-rules'>
              配送费{yuan(rules.feeCents)}
              {rules.freeOverCents !== null ? `，满${yuan(rules.freeOverCents)}免配送费` : ''}，{yuan(rules.minOrderCents)}起送 · 配送范围{distance(rules.radiusM)}
            </Text>
          )}
          {error && <Text className='fp__warn'>{error}</Text>}
        </View>
      )}
    </View>
  );
}
