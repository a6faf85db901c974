import { Button, Text, View } from '@tarojs/components';
import { ClerkGuard } from '../../components/clerk-guard';
import { api } from '../../services/api';
import { yuan } from '../../utils/format';
import { go, routes } from '../../utils/routes';
import { useClerkStoreId } from '../shared/clerk-store';
import { StoreSwitcher } from '../shared/store-switcher';
import { useScreenData } from '../../utils/use-screen-data';
import './index.scss';

function Today() {
  const [storeId] = useClerkStoreId();
  const { data: s, error } = useScreenData(() => api.clerkSummary(storeId), [storeId]);

  const cells: [string, string, string][] = s
    ? [
        ['今日订单', String(s.orders), 'sum-orders'],
        ['已核销', String(s.collected), 'sum-collected'],
        ['待取货', String(s.waiting), 'sum-waiting'],
        ['退款', String(s.refunds), 'sum-refunds'],
        ['营业额', yuan(s.revenueCents), 'sum-revenue'],
      ]
    : [];
  return (
    <View className='today'>
      <StoreSwitcher />
      {error && <View className='card today__bad'>{error}</View>}
      {s && (
        <View className='card'>
          <Text className='today__day'>{s.day}（门店时间）</Text>
          <View className='today__grid'>
            {cells.map(([label, value, id]) => (
              <View key={id} className='today__cell'>
                <Text className='today__value' data-testid={id}>
                  {value}
                </Text>
                <Text className='today__label'>{label}</Text>
              </View>
            ))}
          </View>
        </View>
      )}
      <View className='card today__links'>
        <Button onClick={() => void go(routes.clerkRedeem())} data-testid='go-redeem'>核销提货码</Button>
        <Button onClick={() => void go(routes.clerkOrders())} data-testid='go-orders'>订单队列</Button>
        <Button onClick={() => void go(routes.clerkRefunds())}>退款申请</Button>
        <Button onClick={() => void go(routes.clerkMemberScan())}>会员积分</Button>
        <Button onClick={() => void go(routes.clerkAudit())} data-testid='go-audit'>核销与操作记录</Button>
      </View>
    </View>
  );
}

/** Clerk home: today's numbers of the store (in its zone) and the workspace's screens. */
export default function TodayPage() {
  return (
    <ClerkGuard>
      <Today />
    </ClerkGuard>
  );
}
