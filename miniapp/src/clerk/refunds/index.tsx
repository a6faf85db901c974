import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import type { ClerkRefundDto } from '@linli/contracts';
import { useCallback, useState } from 'react';
import { ClerkGuard } from '../../components/clerk-guard';
import { ReasonForm } from '../../components/reason-form';
import { StateView } from '../../components/state-view';
import { StoreCard } from '../../components/store-card';
import { api } from '../../services/api';
import { useSession } from '../../store/session';
import { shortTime, yuan } from '../../utils/format';
import { statusText } from '../../utils/order-status';
import './index.scss';

const REFUSALS = ['商品已为你备好', '生鲜已分拣，无法退货', '请到店与店员沟通'];

function ClerkRefunds() {
  const session = useSession();
  const storeId = session.user?.clerkStoreIds[0];
  const [rows, setRows] = useState<ClerkRefundDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [refusing, setRefusing] = useState<string | null>(null);
  const [done, setDone] = useState<{ orderId: string; text: string } | null>(null);

  const load = useCallback(
    async (after: string | null = null) => {
      try {
        const r = await api.clerkRefunds({ storeId, cursor: after });
        setRows((prev) => (after ? [...prev, ...r.refunds] : r.refunds));
        setCursor(r.nextCursor);
        setError(null);
      } catch (e) {
        setError((e as Error).message);
      } finally {
        setLoading(false);
      }
    },
    [storeId],
  );

  useDidShow(() => void load());
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => {
    if (cursor) void load(cursor);
  });

  const decided = (orderId: string, text: string) => {
    setRows((prev) => prev.filter((x) => x.orderId !== orderId));
    setDone({ orderId, text });
    setRefusing(null);
  };

  const approve = async (r: ClerkRefundDto) => {
    const ok = await Taro.showModal({ title: '同意退款', content: `同意后 ${yuan(r.amountCents)} 将原路退给顾客，库存退回货架。` });
    if (!ok.confirm) return;
    setBusy(r.orderId);
    try {
      await api.approveRefund(r.orderId);
      decided(r.orderId, `已同意退款 ${yuan(r.amountCents)}，款项原路退回`);
    } catch (e) {
      void Taro.showToast({ title: (e as Error).message, icon: 'none' });
      void load();
    } finally {
      setBusy(null);
    }
  };

  const refuse = async (r: ClerkRefundDto, reason: string) => {
    setBusy(r.orderId);
    try {
      const res = await api.refuseRefund(r.orderId, reason);
      decided(r.orderId, `已拒绝退款，订单恢复为「${statusText(res.order.status)}」`);
    } catch (e) {
      void Taro.showToast({ title: (e as Error).message, icon: 'none' });
      void load();
    } finally {
      setBusy(null);
    }
  };

  return (
    <View className='crefunds'>
      {storeId && <StoreCard storeId={storeId} title='本店' testid='clerk-store' />}
      {done && (
        <View className='card crefunds__done' data-testid='refund-decided'>
          <Text>{done.text}</Text>
        </View>
      )}
      <StateView loading={loading} error={error} empty={rows.length === 0} emptyText='没有待审核的退款申请' onRetry={() => void load()}>
        {rows.map((r) => (
          <View key={r.orderId} className='card crefund' data-testid='clerk-refund'>
            <View className='crefund__head'>
              <Text className='crefund__who'>{r.customer.nickname ?? '顾客'}</Text>
              <Text className='muted'>申请于 {shortTime(r.requestedAt)}</Text>
            </View>
            {r.items.map((it) => (
              <Text key={it.productId} className='crefund__item'>
                {it.title} ×{it.qty}
              </Text>
            ))}
            <Text className='crefund__reason' data-testid='clerk-refund-reason'>
              退款理由：{r.reason}
            </Text>
            <Text className='muted'>
              {r.readyAt ? `已备货 ${shortTime(r.readyAt)} · ` : ''}拒绝后恢复为「{statusText(r.returnTo)}」 · 订单号 {r.orderId}
            </Text>
            {refusing === r.orderId ? (
              <ReasonForm
                title='拒绝理由（顾客会看到）'
                choices={REFUSALS}
                placeholder='补充说明（选填）'
                confirmText='确认拒绝'
                busy={busy === r.orderId}
                onConfirm={(reason) => void refuse(r, reason)}
                onCancel={() => setRefusing(null)}
                testid='refuse-reason'
              />
            ) : (
              <View className='crefund__foot'>
                <Text className='price'>{yuan(r.amountCents)}</Text>
                <View className='crefund__btns'>
                  <Button className='btn-ghost' size='mini' disabled={!!busy} onClick={() => setRefusing(r.orderId)} data-testid='refuse-refund'>
                    拒绝
                  </Button>
                  <Button className='btn-primary' size='mini' loading={busy === r.orderId} disabled={!!busy} onClick={() => void approve(r)} data-testid='approve-refund'>
                    同意退款
                  </Button>
                </View>
              </View>
            )}
          </View>
        ))}
      </StateView>
    </View>
  );
}

/** Clerk: the store's refund requests waiting for a decision; approve (refund once) or refuse with a reason. */
export default function ClerkRefundsPage() {
  return (
    <ClerkGuard>
      <ClerkRefunds />
    </ClerkGuard>
  );
}
