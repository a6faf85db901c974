import { Button, Switch, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { DealDto, GroupViewDto, OrderPreviewDto } from '@linli/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { chargeable, PreviewLine, PricingRows } from '../../components/order-preview';
import { QtyStepper } from '../../components/qty-stepper';
import { StateView } from '../../components/state-view';
import { StoreCard } from '../../components/store-card';
import { api, newIdempotencyKey, type CheckoutChoice } from '../../services/api';
import { CouponCard } from '../../components/coupon-card';
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
  // Promotions: 'best' until the customer picks (the preview answers which coupon that is), points off.
  const [coupon, setCoupon] = useState('best');
  const [usePoints, setUsePoints] = useState(false);
  const [picking, setPicking] = useState(false);
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
  }, [qty, coupon, usePoints, fulfilmentKey]);
  const promo: CheckoutChoice = { coupon, usePoints, fulfilment };

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
        p = (await api.previewOrder(params.storeId ?? '', cartItems(), promo)).preview;
      } else {
        p = (await api.previewOrder(params.storeId ?? '', [{ productId: params.productId ?? '', qty }], promo)).preview;
      }
      if (n !== asked.current) return;
      setNote(text);
      setPreview(p);
    } catch (e) {
      if (n === asked.current) setError((e as Error).message);
    } finally {
      if (n === asked.current) setLoading(false);
    }
  }, [kind, params.groupId, params.productId, params.storeId, params.dealId, qty, coupon, usePoints, fulfilmentKey]);

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
        // Exactly what the preview priced: the coupon it applied (never 'best' again), the points toggle, the delivery.
        const r = await api.createOrder(storeId, items, checkoutKey.current, { coupon: preview.promotions?.couponId ?? 'none', usePoints, fulfilment });
        if (kind === 'cart') removeLines(storeId, items.map((i) => i.productId));
        await payThenShow(r, routes.order(r.order.id));
      } else if (kind === 'open') {
        await askConsent('group');
        const r = await api.openGroup(params.dealId ?? '', storeId, params.shareId, checkoutKey.current);
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
            {preview.promotions && (
              <View className='card confirm__promo'>
                {preview.promotions.offers.length > 0 && (
                  <View className='confirm__row' data-testid='offers'>
                    <Text>优惠活动</Text>
                    <Text className='muted'>{preview.promotions.offers.map((o) => o.title).join('，')}</Text>
                  </View>
                )}
                <View className='confirm__row' onClick={() => setPicking(!picking)} data-testid='coupon-row'>
                  <Text>优惠券</Text>
                  <Text className={preview.promotions.couponId ? 'price' : 'muted'} data-testid='coupon-chosen'>
                    {preview.promotions.couponId
                      ? preview.promotions.coupons.find((c) => c.id === preview.promotions?.couponId)?.title
                      : preview.promotions.coupons.some((c) => c.amountCents) ? '不使用' : '暂无可用'}
                    {' ›'}
                  </Text>
                </View>
                {picking && (
                  <View data-testid='coupon-picker'>
                    {preview.promotions.coupons.map((c) => (
                      <View key={c.id} onClick={() => { if (c.amountCents) { setCoupon(c.id); setPicking(false); } }}>
                        <CouponCard c={c} dim={!c.amountCents} testid='pick-coupon' sub={c.amountCents ? `本单可减 ${yuan(c.amountCents)}` : '本单不满足使用条件'} right={c.id === preview.promotions?.couponId ? <Text className='price'>✓</Text> : undefined} />
                      </View>
                    ))}
                    <View className='confirm__row' onClick={() => { setCoupon('none'); setPicking(false); }} data-testid='no-coupon'>
                      <Text>不使用优惠券</Text>
                    </View>
                  </View>
                )}
                <View className='confirm__row' data-testid='points-row'>
                  <Text>
                    积分抵扣 <Text className='muted'>（共 {preview.promotions.points.balance} 分，100 分抵 1 元，最多抵 {preview.promotions.points.maxSharePct}%）</Text>
                  </Text>
                  <View onClick={() => { if (usePoints || preview.promotions?.points.usable) setUsePoints(!usePoints); }} data-testid='use-points'>
                    <Switch checked={usePoints} disabled={preview.promotions.points.usable === 0 && !usePoints} color='#ff5a1f' />
                  </View>
                </View>
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
