import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { AdminDealGroupsResponse } from '@linli/contracts';
import { useEffect, useState } from 'react';
import { StateView } from '../../components/state-view';
import { shortTime } from '../../utils/format';
import { adminApi } from '../shared/admin-api';
import { AdminGuard } from '../shared/admin-guard';
import '../shared/admin.scss';

const STATUS: Record<string, [string, string]> = {
  pending: ['待团长支付', ''],
  open: ['拼团中', 'on'],
  succeeded: ['已成团', 'on'],
  failed: ['未成团', 'off'],
};

function DealGroups() {
  const id = useRouter().params.id ?? '';
  const [data, setData] = useState<AdminDealGroupsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    adminApi
      .dealGroups(id)
      .then(setData)
      .catch((e: Error) => setError(e.message));
  }, [id]);
  return (
    <View className='admin'>
      <StateView loading={!data && !error} error={error} notFound={!!error} empty={data?.groups.length === 0} emptyText='这个活动还没有人开团'>
        <View className='card' data-testid='group-list'>
          <Text className='admin__title'>{id} 的团（最近 100 个）</Text>
          {data?.groups.map((g) => {
            const [label, tone] = STATUS[g.status] ?? [g.status, ''];
            return (
              <View key={g.id} className='admin__row' data-testid='group-row'>
                <View className='admin__grow'>
                  <Text>
                    {g.storeId} · {g.size} 人团 · 还差 {g.seatsLeft} 人
                  </Text>
                  <Text className='admin__muted'>
                    开团 {g.createdAt ? shortTime(g.createdAt) : '—'} · 截止 {g.expiresAt ? shortTime(g.expiresAt) : '—'}
                  </Text>
                </View>
                <Text className={`admin__tag ${tone ? `admin__tag--${tone}` : ''}`}>{label}</Text>
              </View>
            );
          })}
        </View>
      </StateView>
    </View>
  );
}

/** A deal's groups, newest first: store, seats left, deadline and outcome. */
export default function AdminDealGroups() {
  return (
    <AdminGuard>
      <DealGroups />
    </AdminGuard>
  );
}
