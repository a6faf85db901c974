import { Text, View } from '@tarojs/components';
import { useDidShow, useRouter } from '@tarojs/taro';
import type { DealDto, FunnelDto, GroupStatsResponse, SalesStatsResponse } from '@linli/contracts';
import { useCallback, useEffect, useState } from 'react';
import { StateView } from '../../components/state-view';
import { yuan } from '../../utils/format';
import { go, routes } from '../../utils/routes';
import { adminApi } from '../shared/admin-api';
import { AdminGuard } from '../shared/admin-guard';
import { funnelCaption, funnelTree, groupRateTree, salesTree } from '../shared/charts';
import { F2Chart } from '../shared/f2-chart';
import '../shared/admin.scss';

const LINKS: [string, () => string, string][] = [
  ['商品与库存', routes.adminProducts, 'go-products'],
  ['拼团活动', routes.adminDeals, 'go-deals'],
  ['优惠券与满减', routes.adminPromotions, 'go-promotions'],
  ['门店与营业时间', routes.adminStores, 'go-stores'],
  ['店员邀请', routes.adminInvites, 'go-invites'],
  ['操作记录', routes.adminAudit, 'go-audit'],
];

function Console() {
  const router = useRouter();
  const [deals, setDeals] = useState<DealDto[]>([]);
  const [dealId, setDealId] = useState<string | null>(router.params.dealId ?? null);
  const [funnel, setFunnel] = useState<FunnelDto | null>(null);
  const [sales, setSales] = useState<SalesStatsResponse | null>(null);
  const [metric, setMetric] = useState<'salesCents' | 'orders'>('salesCents');
  const [groups, setGroups] = useState<GroupStatsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(() => {
    Promise.all([adminApi.deals(), adminApi.sales(7), adminApi.groupStats()])
      .then(([d, s, g]) => {
        setDeals(d.deals);
        setSales(s);
        setGroups(g);
        setDealId((cur) => cur ?? d.deals[0]?.id ?? null);
        setError(null);
      })
      .catch((e: Error) => setError(e.message))
      .finally(() => setLoading(false));
  }, []);
  useDidShow(load);
  useEffect(load, [load]);
  useEffect(() => {
    if (!dealId) return;
    setFunnel(null);
    adminApi
      .funnel(dealId)
      .then(setFunnel)
      .catch((e: Error) => setError(e.message));
  }, [dealId]);

  return (
    <View className='admin'>
      <View className='card'>
        <View className='admin__links'>
          {LINKS.map(([label, to, id]) => (
            <View key={id} className='admin__link' onClick={() => void go(to())} data-testid={id}>
              {label}
            </View>
          ))}
        </View>
      </View>
      <StateView loading={loading} error={error} onRetry={load}>
        <View className='card' data-testid='funnel-card'>
          <Text className='admin__title'>分享漏斗</Text>
          <View className='admin__chips'>
            {deals.map((d) => (
              <Text key={d.id} className={`admin__chip ${d.id === dealId ? 'admin__chip--on' : ''}`} onClick={() => setDealId(d.id)} data-testid={`funnel-deal-${d.id}`}>
                {d.title}
              </Text>
            ))}
          </View>
          {!deals.length && <Text className='admin__muted'>还没有拼团活动</Text>}
          {funnel && funnel.dealId === dealId && (
            <F2Chart id='funnel-chart' testId='funnel' height={220} dataKey={JSON.stringify(funnel.totals)} tree={funnelTree(funnel.totals)} caption={funnelCaption(funnel.totals)} />
          )}
        </View>
        {sales && (
          <View className='card' data-testid='sales-card'>
            <Text className='admin__title'>近 7 日各门店{metric === 'salesCents' ? '销售额（元）' : '订单数'}</Text>
            <View className='admin__chips'>
              <Text className={`admin__chip ${metric === 'salesCents' ? 'admin__chip--on' : ''}`} onClick={() => setMetric('salesCents')} data-testid='metric-sales'>
                销售额
              </Text>
              <Text className={`admin__chip ${metric === 'orders' ? 'admin__chip--on' : ''}`} onClick={() => setMetric('orders')} data-testid='metric-orders'>
                订单数
              </Text>
            </View>
            <F2Chart
              id='sales-chart'
              testId='sales'
              height={240}
              dataKey={`${metric}:${JSON.stringify(sales.rows)}`}
              tree={salesTree(sales, metric)}
              caption={`合计 ${sales?.totalOrders ?? 0} 单 · ${yuan(sales?.totalSalesCents ?? 0)}`}
            />
          </View>
        )}
        {groups && (
          <View className='card' data-testid='groups-card'>
            <Text className='admin__title'>成团率（已结束的团中成功的比例）</Text>
            <F2Chart
              id='group-chart'
              testId='group-rate'
              height={Math.max(140, 36 * groups.deals.filter((d) => d.succeeded + d.failed + d.open > 0).length + 60)}
              dataKey={JSON.stringify(groups.deals)}
              tree={groupRateTree(groups)}
              caption={groups.deals
                .filter((d) => d.succeeded + d.failed + d.open > 0)
                .map((d) => `${d.title}：成团 ${d.succeeded}，失败 ${d.failed}，进行中 ${d.open}`)
                .join('；')}
            />
          </View>
        )}
      </StateView>
    </View>
  );
}

/** The operator console's home: the screens, and the share funnel, sales and group success charts. */
export default function AdminHome() {
  return (
    <AdminGuard>
      <Console />
    </AdminGuard>
  );
}
