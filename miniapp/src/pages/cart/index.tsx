import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import type { OrderPreviewDto } from '@linli/contracts';
import { useEffect, useRef, useState } from 'react';
import { chargeable, PreviewLine, PricingRows } from '../../components/order-preview';
import { QtyStepper } from '../../components/qty-stepper';
import { StateView } from '../../components/state-view';
import { api } from '../../services/api';
import { ensureLogin } from '../../services/auth';
import { setQty, useCarts, type CartLine } from '../../store/cart';
import { useCartBadge } from '../../store/cart-badge';
import { useCurrentStore } from '../../store/session';
import { yuan } from '../../utils/format';
import { go, routes } from '../../utils/routes';
import './index.scss';

/**
 * The current store's cart: every line priced by `POST /orders/preview` (one round trip per change),
 * lines that went out of stock or off the shelf flagged, and the total the order will be charged.
 */
export default function CartPage() {
  useCartBadge();
  const store = useCurrentStore();
  const carts = useCarts();
  const storeId = store?.id ?? '';
  const lines: CartLine[] = carts[storeId] ?? [];
  const [preview, setPreview] = useState<OrderPreviewDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pricing, setPricing] = useState(false);
  const asked = useRef(0);
  const key = `${storeId}|${lines.map((l) => `${l.productId}:${l.qty}`).join(',')}`;

  const reprice = async () => {
    const n = ++asked.current;
    if (!storeId || lines.length === 0) {
      setPreview(null);
      return;
    }
    setPricing(true);
    try {
      const r = await api.previewOrder(storeId, lines.map((l) => ({ productId: l.productId, qty: l.qty })));
      if (n === asked.current) {
        setPreview(r.preview);
        setError(null);
      }
    } catch (e) {
      if (n === asked.current) setError((e as Error).message);
    } finally {
      if (n === asked.current) setPricing(false);
    }
  };

  useEffect(() => {
    void reprice();
  }, [key]);
  useDidShow(() => void reprice());
  usePullDownRefresh(() => {
    void reprice().finally(() => Taro.stopPullDownRefresh());
  });

  const current = preview && preview.storeId === storeId ? preview : null;
  const ok = chargeable(current);
  const synced = !!current && current.lines.length === lines.length && current.lines.every((l, i) => l.productId === lines[i]?.productId && l.qty === lines[i]?.qty);
  const checkout = async () => {
    if (!(await ensureLogin(routes.cart()))) return;
    await go(routes.confirmCart(storeId));
  };

  if (lines.length === 0) {
    return (
      <View className='cart'>
        <StateView empty emptyText='购物车还是空的' />
        <View className='cart__go'>
          <Button className='btn-primary' size='mini' onClick={() => void go(routes.home())} data-testid='cart-shop'>
            去逛逛
          </Button>
        </View>
      </View>
    );
  }

  return (
    <View className='cart' data-testid='cart'>
      <View className='card'>
        <Text className='cart__store'>{store?.name} · 到店自提</Text>
        {lines.map((l) => {
          const line = current?.lines.find((x) => x.productId === l.productId);
          const max = line?.problem === 'INSUFFICIENT_STOCK' ? Math.max(l.qty, line.stock ?? 0) : 99;
          const stepper = <QtyStepper qty={l.qty} max={max} testid='cart-stepper' onChange={(n) => setQty(storeId, { id: l.productId, title: l.title, image: l.image }, n)} />;
          return line ? (
            <View key={l.productId} className='cart__line' data-testid='cart-line'>
              <PreviewLine line={line} fallback={l} extra={stepper} />
              {line.problem === 'INSUFFICIENT_STOCK' && (line.stock ?? 0) > 0 && (
                <Text className='cart__fix' onClick={() => setQty(storeId, { id: l.productId, title: l.title, image: l.image }, line.stock ?? 0)} data-testid='cart-fix'>
                  改为 {line.stock} 件
                </Text>
              )}
              {line.problem && line.problem !== 'INSUFFICIENT_STOCK' && (
                <Text className='cart__fix' onClick={() => setQty(storeId, { id: l.productId, title: l.title, image: l.image }, 0)} data-testid='cart-remove'>
                  删除
                </Text>
              )}
            </View>
          ) : (
            <View key={l.productId} className='cart__line cart__line--pending' data-testid='cart-line'>
              <Text className='cart__title'>{l.title}</Text>
              {stepper}
            </View>
          );
        })}
      </View>

      {current && <View className='card'><PricingRows pricing={current.pricing} totalLabel='合计' /></View>}
      {current && !current.orderable && ok.length > 0 && <View className='cart__note' data-testid='cart-note'>标红的商品不参与结算</View>}
      {error && <View className='cart__error' data-testid='error'>{error}</View>}

      <View className='cart__bar'>
        <Text className='cart__total'>
          合计 <Text className='price' data-testid='cart-total'>{current ? yuan(current.pricing.totalCents) : '…'}</Text>
        </Text>
        <Button className='btn-primary cart__pay' disabled={!synced || pricing || ok.length === 0} onClick={() => void checkout()} data-testid='cart-checkout'>
          去结算{ok.length ? `(${ok.length})` : ''}
        </Button>
      </View>
    </View>
  );
}
