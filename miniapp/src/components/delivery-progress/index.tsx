import { Text, View } from '@tarojs/components';
import type { OrderDto } from '@linli/contracts';
import { distance, shortTime } from '../../utils/format';
import './index.scss';

const STEPS = [
  { key: 'preparing', label: '备货中' },
  { key: 'delivering', label: '配送中' },
  { key: 'delivered', label: '已送达' },
] as const;

/**
 * A delivery order's progress for the shopper: 备货中 → 配送中 → 已送达, where it goes and when, the
 * courier once assigned, and the 8-digit code to show the courier (only while it is needed).
 */
export function DeliveryProgress({ order }: { order: OrderDto }) {
  const d = order.fulfilment.delivery;
  if (!d) return null;
  const at = STEPS.findIndex((s) => s.key === order.status);
  return (
    <View className='card dp' data-testid='delivery-progress'>
      {at >= 0 && (
        <View className='dp__steps'>
          {STEPS.map((s, i) => (
            <View key={s.key} className={`dp__step ${i <= at ? 'dp__step--done' : ''} ${i === at ? 'dp__step--now' : ''}`} data-testid={`dp-step-${s.key}`}>
              <View className='dp__dot' />
              <Text>{s.label}</Text>
            </View>
          ))}
        </View>
      )}
      {d.code && (
        <View className='dp__code-box'>
          <Text className='muted'>收货码 · 配送员送达时出示</Text>
          <Text className='dp__code' data-testid='delivery-code'>
            {d.code.replace(/(\d{4})(?=\d)/, '$1 ')}
          </Text>
        </View>
      )}
      <Text className='dp__line'>
        {d.address.name} {d.address.phone}
      </Text>
      <Text className='muted dp__line'>
        {d.address.address} {d.address.detail} · 距门店 {distance(d.distanceM)}
      </Text>
      <Text className='dp__line' data-testid='delivery-when'>
        {d.when.label}
      </Text>
      {d.courier && <Text className='dp__line'>配送员：{d.courier.nickname ?? '门店配送员'}</Text>}
      {d.outAt && <Text className='muted dp__line'>出发时间 {shortTime(d.outAt)}</Text>}
      {d.deliveredAt && <Text className='muted dp__line'>送达时间 {shortTime(d.deliveredAt)}</Text>}
    </View>
  );
}
