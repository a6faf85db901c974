import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { DealDto } from '@linli/contracts';
import { StateView } from '../../components/state-view';
import { useScreenData } from '../../utils/use-screen-data';
import { shortTime, yuan } from '../../utils/format';
import { go, routes } from '../../utils/routes';
import { adminApi } from '../shared/admin-api';
import { AdminGuard } from '../shared/admin-guard';
import '../shared/admin.scss';

function dealState(d: DealDto): [string, string] {
  if (!d.active) return ['已停止', 'off'];
  if (d.available) return ['进行中', 'on'];
  if (d.sold >= d.stockCap) return ['已售罄', 'off'];
  return new Date(d.startAt).getTime() > Date.now() ? ['未开始', ''] : ['已结束', 'off'];
}

function Deals() {
  const { data, error, reload: load } = useScreenData(() => adminApi.deals(), []);
  const deals = data?.deals ?? null;

  const stop = async (d: DealDto) => {
    const ok = await Taro.showModal({ title: '停止拼团', content: `停止「${d.title}」后不能再开团和参团，已开的团照常到期。确定停止？`, confirmText: '停止' });
    if (!ok.confirm) return;
    try {
      await adminApi.stopDeal(d.id);
      void Taro.showToast({ title: '已停止', icon: 'success' });
      load();
    } catch (e) {
      void Taro.showToast({ title: (e as Error).message, icon: 'none' });
    }
  };

  return (
    <View className='admin'>
      <View className='card'>
        <Button className='btn-primary' onClick={() => void go(routes.adminDealEdit())} data-testid='new-deal'>
          新建拼团活动
        </Button>
      </View>
      <StateView loading={!deals && !error} error={error} onRetry={load} empty={deals?.length === 0} emptyText='还没有拼团活动'>
        {deals?.map((d) => {
          const [label, tone] = dealState(d);
          return (
            <View key={d.id} className='card' data-testid='deal-row' data-deal={d.id}>
              <View className='admin__row'>
                <View className='admin__grow'>
                  <Text>{d.title}</Text>
                  <Text className='admin__muted'>
                    {d.id} · {d.groupSize} 人团 {yuan(d.groupPriceCents)}（单买 {yuan(d.soloPriceCents)}）· 已售 {d.sold}/{d.stockCap}
                  </Text>
                  <Text className='admin__muted'>
                    {shortTime(d.startAt)} 至 {shortTime(d.endAt)} · 门店 {d.storeIds.join('、')}
                  </Text>
                </View>
                <Text className={`admin__tag ${tone ? `admin__tag--${tone}` : ''}`} data-testid='deal-state'>
                  {label}
                </Text>
              </View>
              <View className='admin__actions'>
                <Button size='mini' onClick={() => void go(routes.adminDealEdit(d.id))} data-testid='edit-deal'>
                  编辑
                </Button>
                <Button size='mini' onClick={() => void go(routes.adminDealGroups(d.id))} data-testid='deal-groups'>
                  查看团
                </Button>
                <Button size='mini' onClick={() => void go(routes.adminHome(d.id))}>
                  漏斗
                </Button>
                {d.active && (
                  <Button size='mini' onClick={() => void stop(d)} data-testid='stop-deal'>
                    停止
                  </Button>
                )}
              </View>
            </View>
          );
        })}
      </StateView>
    </View>
  );
}

/** Every deal with its state and sales; create, edit, stop, and see its groups. */
export default function AdminDeals() {
  return (
    <AdminGuard>
      <Deals />
    </AdminGuard>
  );
}
