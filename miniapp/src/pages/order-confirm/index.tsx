import { Button, Image, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { DealDto, GroupViewDto, ProductDto } from '@linli/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { StateView } from '../../components/state-view';
import { StoreCard } from '../../components/store-card';
import { api, imageUrl, newIdempotencyKey } from '../../services/api';
import { ensureLogin } from '../../services/auth';
import { payThenShow } from '../../services/pay';
import { yuan } from '../../utils/format';
import { routes } from '../../utils/routes';
import { askConsent } from '../../services/consent';
import './index.scss';

type Kind = 'solo' | 'open' | 'join';
interface Summary {
  title: string;
  image: string;
  unit: string;
  unitPriceCents: number;
  note: string;
  maxQty: number;
}

/** Confirm and pay: a solo pickup order, opening a group, or joining one. */
export default function OrderConfirmPage() {
  const { params } = useRouter();
  const kind = (params.type ?? 'solo') as Kind;
  const [summary, setSummary] = useState<Summary | null>(null);
  const [storeId, setStoreId] = useState(params.storeId ?? '');
  const [qty, setQty] = useState(1);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  // One key per checkout (and per quantity): retrying after a network error answers the same order.
  const checkoutKey = useRef(newIdempotencyKey());
  useEffect(() => {
    checkoutKey.current = newIdempotencyKey();
  }, [qty]);

  const load = useCallback(async () => {
    setError(null);
    try {
      if (kind === 'join') {
        const g: GroupViewDto = await api.group(params.groupId ?? '');
        setStoreId(g.group.storeId);
        setSummary({ title: g.product.title, image: g.product.image, unit: g.product.unit, unitPriceCents: g.deal.groupPriceCents, note: `参加${g.deal.groupSize}人团，还差${g.group.seatsLeft}人`, maxQty: 1 });
      } else {
        const r = await api.product(params.productId ?? '', params.storeId ?? '');
        const p: ProductDto = r.product;
        if (kind === 'open') {
          const { deal }: { deal: DealDto } = await api.deal(params.dealId ?? '');
          setSummary({ title: p.title, image: p.image, unit: p.unit, unitPriceCents: deal.leaderPriceCents, note: `发起${deal.groupSize}人团，${Math.round(deal.durationMinutes / 60)}小时内成团，不成团自动退款`, maxQty: 1 });
        } else {
          setSummary({ title: p.title, image: p.image, unit: p.unit, unitPriceCents: p.priceCents, note: `库存 ${p.stock}`, maxQty: Math.max(1, Math.min(p.stock, 99)) });
        }
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [kind, params.groupId, params.productId, params.storeId, params.dealId]);

  useEffect(() => {
    void load();
  }, [load]);

  const submit = async () => {
    if (submitting || !(await ensureLogin())) return;
    setSubmitting(true);
    setError(null);
    try {
      if (kind === 'solo') {
        await askConsent('order');
        const r = await api.createOrder(storeId, [{ productId: params.productId ?? '', qty }], checkoutKey.current);
        await payThenShow(r, routes.order(r.order.id));
      } else if (kind === 'open') {
        await askConsent('group');
        const r = await api.openGroup(params.dealId ?? '', storeId, params.shareId);
        await payThenShow(r, routes.group(r.groupId));
      } else {
        await askConsent('group');
        const r = await api.joinGroup(params.groupId ?? '', params.shareId);
        await payThenShow(r, routes.group(r.groupId));
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSubmitting(false);
    }
  };

  const title = kind === 'solo' ? '单独购买' : kind === 'open' ? '发起拼团' : '参加拼团';
  return (
    <View className='confirm'>
      <StateView loading={loading} error={summary ? null : error} onRetry={() => void load()}>
        {summary && (
          <>
            <View className='card'>
              <Text className='confirm__kind'>{title}</Text>
              <Text className='muted'> · 到店自提</Text>
            </View>
            <StoreCard storeId={storeId} title='取货门店' warnFar locate />
            <View className='card confirm__item'>
              <Image className='confirm__img' src={imageUrl(summary.image)} mode='aspectFill' />
              <View className='confirm__info'>
                <Text className='confirm__title'>{summary.title}</Text>
                <Text className='muted'>{summary.note}</Text>
                <Text className='price'>
                  {yuan(summary.unitPriceCents)}
                  <Text className='muted'>/{summary.unit}</Text>
                </Text>
              </View>
            </View>
            {summary.maxQty > 1 && (
              <View className='card confirm__qty'>
                <Text>数量</Text>
                <View className='stepper'>
                  <Text className='stepper__btn' onClick={() => setQty((q) => Math.max(1, q - 1))}>－</Text>
                  <Text className='stepper__n' data-testid='qty'>{qty}</Text>
                  <Text className='stepper__btn' onClick={() => setQty((q) => Math.min(summary.maxQty, q + 1))}>＋</Text>
                </View>
              </View>
            )}
            {error && <View className='confirm__error' data-testid='error'>{error}</View>}
            <View className='confirm__bar'>
              <Text className='confirm__total'>
                合计 <Text className='price'>{yuan(summary.unitPriceCents * qty)}</Text>
              </Text>
              <Button className='btn-primary confirm__pay' loading={submitting} disabled={submitting} onClick={() => void submit()} data-testid='pay'>
                提交并支付
              </Button>
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
