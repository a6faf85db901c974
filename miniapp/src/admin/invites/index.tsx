import { Button, Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { StateView } from '../../components/state-view';
import { useScreenData } from '../../utils/use-screen-data';
import { shortTime } from '../../utils/format';
import { adminApi } from '../shared/admin-api';
import { AdminGuard } from '../shared/admin-guard';
import { StoreChips } from '../shared/store-chips';
import '../shared/admin.scss';

const STATE: Record<string, [string, string]> = { open: ['可使用', 'on'], redeemed: ['已使用', ''], expired: ['已过期', 'off'] };

function Invites() {
  const [storeId, setStoreId] = useState<string | null>(null);
  const { data, error, reload: load } = useScreenData(storeId ? () => adminApi.invites(storeId) : null, [storeId]);
  const [busy, setBusy] = useState(false);

  const create = async () => {
    if (!storeId) return;
    setBusy(true);
    try {
      const r = await adminApi.createInvite(storeId);
      void Taro.showToast({ title: `邀请码 ${r.code}`, icon: 'none' });
      load();
    } catch (e) {
      void Taro.showToast({ title: (e as Error).message, icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='admin'>
      <View className='card'>
        <Text className='admin__title'>邀请店员到门店</Text>
        <StoreChips value={storeId} onChange={setStoreId} />
        <Text className='admin__muted'>新店员在小程序“我的 → 兑换店员邀请”扫码或输入邀请码。邀请码只能用一次。</Text>
        <Button className='btn-primary' loading={busy} disabled={!storeId || busy} onClick={() => void create()} data-testid='create-invite'>
          生成邀请码
        </Button>
      </View>
      <StateView loading={!data && !error} error={error} onRetry={load} empty={data?.invites.length === 0} emptyText='这家门店还没有邀请码'>
        {data?.invites.map((i) => {
          const [label, tone] = STATE[i.state];
          return (
            <View key={i.code} className='card' data-testid='invite-row' data-code={i.code}>
              <View className='admin__row'>
                <View className='admin__grow'>
                  <Text data-testid='invite-code'>{i.code}</Text>
                  <Text className='admin__muted'>
                    {i.storeId} · {i.state === 'redeemed' && i.redeemedAt ? `${shortTime(i.redeemedAt)} 由 ${i.redeemedBy} 使用` : `有效至 ${shortTime(i.expiresAt)}`}
                  </Text>
                </View>
                <Text className={`admin__tag ${tone ? `admin__tag--${tone}` : ''}`}>{label}</Text>
              </View>
              {i.qr && <Image className='admin__qr' src={i.qr} mode='aspectFit' data-testid='invite-qr' />}
            </View>
          );
        })}
      </StateView>
    </View>
  );
}

/** Clerk invites of a store: make one, show its QR to the new clerk, see which were used. */
export default function AdminInvites() {
  return (
    <AdminGuard>
      <Invites />
    </AdminGuard>
  );
}
