import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { StateView } from '../../components/state-view';
import { useScreenData } from '../../utils/use-screen-data';
import { messageFor } from '../../services/error-messages';
import { shortTime } from '../../utils/format';
import { AUDIT_ACTION as ACTION } from '../../utils/audit-labels';
import { adminApi } from '../shared/admin-api';
import { AdminGuard } from '../shared/admin-guard';
import { StoreChips } from '../shared/store-chips';
import '../shared/admin.scss';

function Audit() {
  const [storeId, setStoreId] = useState<string | null>('');
  const { data, error, reload: load } = useScreenData(() => adminApi.audit(storeId || undefined), [storeId]);
  const rows = data?.actions ?? null;
  return (
    <View className='admin'>
      <View className='card'>
        <View className='admin__chips'>
          <Text className={`admin__chip ${!storeId ? 'admin__chip--on' : ''}`} onClick={() => setStoreId('')} data-testid='store-all'>
            全部
          </Text>
        </View>
        <StoreChips value={storeId || null} onChange={setStoreId} autoPick={false} />
      </View>
      <StateView loading={!rows && !error} error={error} onRetry={load} empty={rows?.length === 0} emptyText='暂无操作记录'>
        <View className='card'>
          {rows?.map((a) => (
            <View key={a.id} className='admin__row' data-testid='admin-audit-row'>
              <View className='admin__grow'>
                <Text>
                  {ACTION[a.action] ?? a.action}
                  {a.target ? ` · ${a.target}` : ''}
                </Text>
                <Text className='admin__muted'>
                  {shortTime(a.at)} · {a.actorName ?? a.actorId}
                  {a.storeId ? ` · ${a.storeId}` : ''}
                </Text>
              </View>
              <Text className={`admin__tag ${a.outcome === 'ok' ? 'admin__tag--on' : 'admin__tag--off'}`}>{a.outcome === 'ok' ? '成功' : messageFor(a.outcome)}</Text>
            </View>
          ))}
        </View>
      </StateView>
    </View>
  );
}

/** Every back-office action of the chain (or one store): who did what, when, and whether it went through. */
export default function AdminAudit() {
  return (
    <AdminGuard>
      <Audit />
    </AdminGuard>
  );
}
