import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { StoreDto } from '@linli/contracts';
import { host } from '../../host';
import { distance } from '../../utils/format';
import { isFar } from '../../utils/store-distance';
import { useStoreInfo } from '../../utils/use-store';
import './index.scss';

/**
 * Where to collect: the store's name, address, hours and (when known) distance, with a map and a
 * call button. Give it the store a page already has, or just its id. `warnFar` adds the > 5 km warning.
 */
export function StoreCard(props: { store?: StoreDto | null; storeId?: string; title?: string; warnFar?: boolean; locate?: boolean; compact?: boolean; testid?: string }) {
  const id = props.store?.id ?? props.storeId;
  const { store: s, failed } = useStoreInfo(id, props.store, props.locate);
  const testid = props.testid ?? 'store-card';
  if (!s) {
    if (!id) return null;
    return (
      <View className='card scard' data-testid={testid}>
        <Text className='muted'>{failed ? `门店 ${id} 暂时查不到详情` : '正在加载门店…'}</Text>
      </View>
    );
  }
  const far = props.warnFar && isFar(s.distanceM);
  const openMap = () => {
    host.openMap({ lat: s.lat, lng: s.lng, name: s.name, address: s.address }).catch(() => void Taro.showToast({ title: '暂时打不开地图', icon: 'none' }));
  };
  const call = () => {
    host.call(s.phone).catch(() => undefined);
  };
  if (props.compact) {
    // Under a bar that already names the store: where it is, when it opens, and the two actions.
    return (
      <View className='scard scard--compact' data-testid={testid}>
        <View className='scard__main'>
          <Text className='scard__line' data-testid='store-address'>{s.address}</Text>
          <Text className='scard__line muted'>
            营业时间 {s.openHours}
            {s.distanceM !== undefined && <Text data-testid='store-distance'> · 距你 {distance(s.distanceM)}</Text>}
          </Text>
        </View>
        <Text className='scard__mini' onClick={openMap} data-testid='store-map'>
          导航
        </Text>
        <Text className='scard__mini' onClick={call} data-testid='store-call'>
          电话
        </Text>
      </View>
    );
  }
  return (
    <View className='card scard' data-testid={testid}>
      {props.title && <Text className='scard__label'>{props.title}</Text>}
      <View className='scard__head'>
        <Text className='scard__name' data-testid='store-name'>{s.name}</Text>
        {s.distanceM !== undefined && (
          <Text className={`scard__dist ${far ? 'scard__dist--far' : ''}`} data-testid='store-distance'>
            {distance(s.distanceM)}
          </Text>
        )}
      </View>
      <Text className='scard__line' data-testid='store-address'>{s.address}</Text>
      <Text className='scard__line muted'>营业时间 {s.openHours}</Text>
      {far && (
        <View className='scard__far' data-testid='store-far'>
          这家门店离你约 {distance(s.distanceM)}，超过 5 公里，请确认方便到店取货
        </View>
      )}
      <View className='scard__actions'>
        <Text className='scard__btn' onClick={openMap} data-testid='store-map'>
          导航到店
        </Text>
        <Text className='scard__btn' onClick={call} data-testid='store-call'>
          电话 {s.phone}
        </Text>
      </View>
    </View>
  );
}
