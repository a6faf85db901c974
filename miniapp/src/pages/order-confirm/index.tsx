import { Button, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { DealDto, GroupViewDto, OrderPreviewDto } from '@linli/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { chargeable, PreviewLine, PricingRows } from '../../components/order-preview';
import { QtyStepper } from '../../components/qty-stepper';
import { StateView } from '../../components/state-view';
import { StoreCard } from '../../components/store-card';
import { api, newIdempotencyKey } from '../../services/api';
import { ensureLogin } from '../../services/auth';
import { payThenShow } from '../../services/pay';
import { cartStore, removeLines } from '../../store/cart';
import { yuan } from '../../utils/format';
import { routes } from '../../utils/routes';
import { askConsent } from '../../services/consent';
import { ERROR_MESSAGES } from '../../services/error-messages';
import { FulfilmentPicker } from '../../components/fulfilment-picker';
import { useDeliveryChoice } from '../../store/delivery-choice';
import { distance } from '../../utils/format';
import './index.scss';

type Kind = 'solo' | 'open' | 'join' | 'cart';

/**
 * Confirm and pay: a solo pickup order, the store's cart, opening a group, or joining one. Every
 * amount on this page is the BFF's preview of exactly what will be charged (POST /orders/preview,
 * /groups/preview, /groups/:id/join/preview); the page adds no money itself.
 */
export default function OrderConfirmPage() {
  const { params } = useRouter();
  const kind = (params.type ?? 'solo') as Kind;
  const [preview, setPreview] = useState<OrderPreviewDto | null>(null);
  const [note, setNote] = useState('');
  const [storeId, setStoreId] = useState(params.storeId ?? '');
  const [qty, setQty] = useState(1);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const asked = useRef(0);
  // One key per checkout (and per basket): retrying after a network error answers the same order.
  const checkoutKey = useRef(newIdempotencyKey());
  // 送货上门 (solo and cart orders): the address and time chosen, priced by the BFF's preview.
  const choice = useDeliveryChoice();
  const canDeliver = kind === 'solo' || kind === 'cart';
  const delivering = canDeliver && choice.mode === 'delivery';
  const fulfilmentKey = delivering ? `${choice.addressId ?? ''}|${choice.when}` : 'pickup';
  const fulfilment = delivering && choice.addressId ? ({ type: 'delivery', addressId: choice.addressId, when: choice.when } as const) : undefined;
  useEffect(() => {
    checkoutKey.current = newIdempotencyKey();
  }, [qty, fulfilmentKey]);

  const cartItems = () => (cartStore.get()[params.storeId ?? ''] ?? []).map((l) => ({ productId: l.productId, qty: l.qty }));

  const load = useCallback(async () => {
    const n = ++asked.current;
    setError(null);
    try {
      let p: OrderPreviewDto;
      let text = '';
      if (kind === 'join') {
        const [g, r]: [GroupViewDto, { preview: OrderPreviewDto }] = await Promise.all([api.group(params.groupId ?? ''), api.previewJoin(params.groupId ?? '')]);
        setStoreId(g.group.storeId);
        text = `参加${g.deal.groupSize}人团，还差${g.group.seatsLeft}人`;
        p = r.preview;
      } else if (kind === 'open') {
        const [{ deal }, r]: [{ deal: DealDto }, { preview: OrderPreviewDto }] = await Promise.all([api.deal(params.dealId ?? ''), api.previewOpen(params.dealId ?? '', params.storeId ?? '')]);
        text = `发起${deal.groupSize}人团，${Math.round(deal.durationMinutes / 60)}小时内成团，不成团自动退款`;
        p = r.preview;
      } else if (kind === 'cart') {
        p = (await api.previewOrder(params.storeId ?? '', cartItems(), fulfilment)).preview;
      } else {
        p = (await api.previewOrder(params.storeId ?? '', [{ productId: params.productId ?? '', qty }], fulfilment)).preview;
      }
      if (n !== asked.current) return;
      setNote(text);
      setPreview(p);
    } catch (e) {
      if (n === asked.current) setError((e as Error).message);
    } finally {
      if (n === asked.current) setLoading(false);
    }
  }, [kind, params.groupId, params.productId, params.storeId, params.dealId, qty, fulfilmentKey]);

  useEffect(() => {
    void load();
  }, [load]);

  const lines = chargeable(preview);
  const submit = async () => {
    if (submitting || !preview || !(await ensureLogin())) return;
    setSubmitting(true);
    setError(null);
    try {
      if (kind === 'solo' || kind === 'cart') {
        await askConsent(fulfilment ? 'delivery' : 'order');
        const items = lines.map((l) => ({ productId: l.productId, qty: l.qty }));
        const r = await api.createOrder(storeId, items, checkoutKey.current, fulfilment);
        if (kind === 'cart') removeLines(storeId, items.map((i) => i.productId));
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
      void load();
    } finally {
      setSubmitting(false);
    }
  };

  const title = kind === 'solo' ? '单独购买' : kind === 'cart' ? '购物车结算' : kind === 'open' ? '发起拼团' : '参加拼团';
  const solo = kind === 'solo' ? preview?.lines[0] : undefined;
  const maxQty = solo?.stock ? Math.max(1, Math.min(solo.stock, 99)) : 1;
  // Why the order cannot be placed now, in the words of the error table (the code the order would get).
  const blocked = delivering && !choice.addressId ? '请添加收货地址' : preview?.problem ? (ERROR_MESSAGES[preview.problem.code] ?? '暂时不能下单，请稍后再试') : null;
  return (
    <View className='confirm'>
      <StateView loading={loading} error={preview ? null : error} onRetry={() => void load()}>
        {preview && (
          <>
            <View className='card'>
              <Text className='confirm__kind'>{title}</Text>
              <Text className='muted'> · {delivering ? '送货上门' : '到店自提'}</Text>
              {note && <Text className='muted confirm__note'>{note}</Text>}
            </View>
            {canDeliver && <FulfilmentPicker storeId={storeId} />}
            {preview.delivery && (
              <View className='card' data-testid='delivery-summary'>
                <Text>{preview.delivery.when.label}</Text>
                <Text className='muted'> · 距门店 {distance(preview.delivery.distanceM)}</Text>
              </View>
            )}
            <StoreCard storeId={storeId} title={delivering ? '配送门店' : '取货门店'} warnFar={!delivering} locate />
            <View className='card' data-testid='confirm-lines'>
              {preview.lines.map((l) => (
                <PreviewLine key={l.productId} line={l} />
              ))}
              {kind === 'cart' && lines.length < preview.lines.length && <Text className='confirm__skip'>标红的商品不参与本次结算，仍留在购物车里</Text>}
            </View>
            {kind === 'solo' && maxQty > 1 && (
              <View className='card confirm__qty'>
                <Text>数量</Text>
                <QtyStepper qty={qty} max={maxQty} testid='qty' onChange={(n) => setQty(Math.max(1, n))} />
              </View>
            )}
            <View className='card'>
              <PricingRows pricing={preview.pricing} />
              {preview.member && <Text className='muted'>已按会员价计算</Text>}
            </View>
            {blocked && <View className='confirm__error' data-testid='blocked'>{blocked}</View>}
            {error && <View className='confirm__error' data-testid='error'>{error}</View>}
            <View className='confirm__bar'>
              <Text className='confirm__total'>
                合计 <Text className='price' data-testid='confirm-total'>{yuan(preview.pricing.totalCents)}</Text>
              </Text>
              <Button className='btn-primary confirm__pay' loading={submitting} disabled={submitting || !!blocked || lines.length === 0} onClick={() => void submit()} data-testid='pay'>
                提交并支付
              </Button>
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
