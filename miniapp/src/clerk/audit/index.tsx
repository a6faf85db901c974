import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import type { BackofficeAuditDto, VoucherAuditDto } from '@linli/contracts';
import { useCallback, useEffect, useState } from 'react';
import { ClerkGuard } from '../../components/clerk-guard';
import { StateView } from '../../components/state-view';
import { Tabs } from '../../components/tabs';
import { api } from '../../services/api';
import { shortTime } from '../../utils/format';
import { AUDIT_ACTION as ACTION } from '../../utils/audit-labels';
import { useClerkStoreId } from '../shared/clerk-store';
import { StoreSwitcher } from '../shared/store-switcher';
import './index.scss';

const OUTCOME: Record<string, string> = {
  redeemed: '核销成功',
  invalid: '无效码',
  expired: '已过期',
  wrong_store: '非本店',
  already_redeemed: '重复核销',
  not_redeemable: '不可核销',
  rate_limited: '尝试过多',
  error: '出错',
};
type Tab = 'redeem' | 'actions';

function Audit() {
  const [storeId] = useClerkStoreId();
  const [tab, setTab] = useState<Tab>('redeem');
  const [attempts, setAttempts] = useState<VoucherAuditDto[]>([]);
  const [actions, setActions] = useState<BackofficeAuditDto[]>([]);
  const [names, setNames] = useState<Record<string, string>>({});
  // A failed load says so (with a retry) instead of showing an empty list as "no records".
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    Promise.all([api.clerkAudit(storeId), api.clerkActions(storeId)])
      .then(([audit, acts]) => {
        setAttempts(audit.attempts);
        setActions(acts.actions);
        setNames(Object.fromEntries(acts.actions.filter((a) => a.actorName).map((a) => [a.actorId, a.actorName!])));
        setError(null);
      })
      .catch((e: Error) => setError(e.message));
  }, [storeId]);
  useDidShow(load);
  useEffect(load, [load]);
  return (
    <View className='audit'>
      <StoreSwitcher />
      <Tabs
        tabs={[
          { key: 'redeem', label: '核销记录' },
          { key: 'actions', label: '操作记录' },
        ]}
        active={tab}
        onChange={(k) => setTab(k as Tab)}
      />
      <StateView error={error} onRetry={load}>
      {tab === 'redeem' &&
        (attempts.length ? (
          attempts.map((a) => (
            <View key={a.id} className='card audit__row' data-testid='audit-row'>
              <Text className={`audit__outcome audit__outcome--${a.outcome === 'redeemed' ? 'ok' : 'bad'}`}>{OUTCOME[a.outcome] ?? a.outcome}</Text>
              <Text>店员：{names[a.clerkId] ?? a.clerkId}</Text>
              <Text>时间：{shortTime(a.at)}</Text>
              {a.orderId && <Text className='audit__muted'>订单 {a.orderId}</Text>}
            </View>
          ))
        ) : (
          <View className='state'>暂无核销记录</View>
        ))}
      {tab === 'actions' &&
        (actions.length ? (
          actions.map((a) => (
            <View key={a.id} className='card audit__row' data-testid='action-row'>
              <Text className={`audit__outcome audit__outcome--${a.outcome === 'ok' ? 'ok' : 'bad'}`}>
                {ACTION[a.action] ?? a.action} · {a.outcome === 'ok' ? '成功' : a.outcome}
              </Text>
              <Text>操作人：{a.actorName ?? a.actorId}</Text>
              <Text>时间：{shortTime(a.at)}</Text>
            </View>
          ))
        ) : (
          <View className='state'>暂无操作记录</View>
        ))}
      </StateView>
    </View>
  );
}

/** Clerk: the store's redemption attempts and back-office actions (who, when, result). */
export default function AuditPage() {
  return (
    <ClerkGuard>
      <Audit />
    </ClerkGuard>
  );
}
