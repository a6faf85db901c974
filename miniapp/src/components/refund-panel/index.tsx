import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { OrderDto } from '@linli/contracts';
import { useState } from 'react';
import { ReasonForm } from '../reason-form';
import { api } from '../../services/api';
import { yuan } from '../../utils/format';
import { canAskRefund, refundSummary } from '../../utils/order-history';
import './index.scss';

const SHOPPER_REASONS = ['买错了/买多了', '不想要了', '没时间到店取货', '门店太远'];

/**
 * After-sale on the order page: the refund's state (under review, refused with the store's reason,
 * refunding, refunded) and, while the order is paid and not collected, the way to ask for one.
 */
export function RefundPanel({ order, onChange }: { order: OrderDto; onChange(o: OrderDto): void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const summary = refundSummary(order);
  const grouping = order.status === 'grouping';

  const send = async (reason: string) => {
    setBusy(true);
    try {
      const r = await api.requestRefund(order.id, reason);
      setAsking(false);
      onChange(r.order);
      void Taro.showToast({ title: grouping ? '已申请退款，款项原路退回' : '已提交，等待商家审核', icon: 'none' });
    } catch (e) {
      void Taro.showToast({ title: (e as Error).message, icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {summary && (
        <View className={`card rpanel rpanel--${summary.tone}`} data-testid='refund'>
          <Text className='rpanel__title' data-testid='refund-state'>
            {summary.title} · {yuan(order.amountCents)}
          </Text>
          <Text className='rpanel__note' data-testid='refund-note'>{summary.note}</Text>
        </View>
      )}
      {canAskRefund(order) && !asking && (
        <View className='rpanel__ask'>
          <Button className='btn-ghost' size='mini' onClick={() => setAsking(true)} data-testid='ask-refund'>
            申请退款
          </Button>
        </View>
      )}
      {asking && (
        <View className='card'>
          <ReasonForm
            title={grouping ? '申请退款（还未成团，提交后直接原路退款）' : '申请退款（商家审核后原路退款）'}
            choices={SHOPPER_REASONS}
            placeholder='补充说明（选填）'
            confirmText='提交申请'
            busy={busy}
            onConfirm={(r) => void send(r)}
            onCancel={() => setAsking(false)}
            testid='refund-reason'
          />
        </View>
      )}
    </>
  );
}
