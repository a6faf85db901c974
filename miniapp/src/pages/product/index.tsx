import { Button, Image, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import type { DealSummaryDto, ProductDetailResponse } from '@linli/contracts';
import { useCallback, useEffect, useState } from 'react';
import { StateView } from '../../components/state-view';
import { ShareBar } from '../../components/share-bar';
import { StoreCard } from '../../components/store-card';
import { api, imageUrl, type OpenGroupSummary } from '../../services/api';
import { ensureLogin } from '../../services/auth';
import { countdown } from '../../utils/countdown';
import { yuan } from '../../utils/format';
import { go, routes } from '../../utils/routes';
import { missingId, pageError, type PageError } from '../../utils/page-error';
import { QtyStepper } from '../../components/qty-stepper';
import { qtyOf, setQty, useCarts } from '../../store/cart';
import './index.scss';

/** Product: store price, member price, stock; buy alone, open a group, or join an open one. */
export default function ProductPage() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const storeId = params.storeId ?? '';
  const carts = useCarts();
  const [data, setData] = useState<ProductDetailResponse | null>(null);
  const [groups, setGroups] = useState<Record<string, OpenGroupSummary[]>>({});
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<PageError | null>(null);

  const load = useCallback(async () => {
    setError(null);
    if (!id || !storeId) {
      setError(missingId('这个商品'));
      setLoading(false);
      return;
    }
    try {
      const r = await api.product(id, storeId);
      setData(r);
      const lists = await Promise.all(r.deals.filter((d) => d.openGroups > 0).map(async (d) => [d.id, await api.openGroupsOf(d.id, storeId).catch(() => [])] as const));
      setGroups(Object.fromEntries(lists));
    } catch (e) {
      setError(pageError(e, '这个商品'));
    } finally {
      setLoading(false);
    }
  }, [id, storeId]);

  useEffect(() => {
    void load();
  }, [load]);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const buyAlone = async () => {
    if (await ensureLogin()) await go(routes.confirmSolo(id, storeId));
  };
  const openGroup = async (d: DealSummaryDto) => {
    if (await ensureLogin()) await go(routes.confirmOpen(d.id, id, storeId));
  };
  const join = async (g: OpenGroupSummary) => {
    if (await ensureLogin()) await go(routes.group(g.id));
  };

  const p = data?.product;
  const firstDeal = data?.deals[0];
  return (
    <View className='product'>
      <StateView loading={loading} error={error?.text ?? null} notFound={error?.notFound} onRetry={() => void load()}>
        {p && (
          <>
            <Image className='product__img' src={imageUrl(p.image)} mode='aspectFill' />
            <View className='card'>
              <View className='product__prices'>
                <Text className='price product__price' data-testid='price'>{yuan(p.priceCents)}</Text>
                <Text className='muted'>/{p.unit}</Text>
                {p.memberPriceCents < p.priceCents && (
                  <Text className='product__member' data-testid='member-price'>会员价 {yuan(p.memberPriceCents)}</Text>
                )}
              </View>
              <Text className='product__title'>{p.title}</Text>
              {p.subtitle && <Text className='muted product__sub'>{p.subtitle}</Text>}
              <Text className={`product__stock ${p.stock < 10 ? 'product__stock--low' : ''}`} data-testid='stock'>
                {p.available ? `库存 ${p.stock}` : '已售罄'}
              </Text>
            </View>
            <ShareBar target={{ type: 'product', id, storeId }} visitShareId={params.shareId} />
            <StoreCard storeId={storeId} title='售卖门店' testid='product-store' />

            {data!.deals.map((d) => (
              <View key={d.id} className='card deal-box' data-testid='deal'>
                <View className='deal-box__head'>
                  <Text className='tag'>{d.groupSize}人团</Text>
                  <Text className='deal-box__title'>{d.title}</Text>
                  <Text className='muted' onClick={() => void go(routes.deal(d.id, storeId))} data-testid='deal-link'>
                    {' '}活动详情 ›
                  </Text>
                </View>
                <View className='deal-box__row'>
                  <Text className='price'>拼团价 {yuan(d.groupPriceCents)}</Text>
                  <Text className='deal-box__solo'>单买 {yuan(d.soloPriceCents)}</Text>
                  <Button className='btn-primary deal-box__btn' size='mini' onClick={() => void openGroup(d)} data-testid='open-group'>
                    发起拼团
                  </Button>
                </View>
                {d.openGroups > 0 && <Text className='muted'>{d.openGroups} 个团正在拼，差人就能成团</Text>}
                {(groups[d.id] ?? []).map((g) => (
                  <View key={g.id} className='open-group' data-testid='open-group-row'>
                    {g.leader && <Image className='open-group__avatar' src={g.leader.avatar} />}
                    <Text className='open-group__who'>{g.leader?.nickname ?? '邻居'}的团</Text>
                    <Text className='open-group__left'>
                      还差{g.seatsLeft}人 · {countdown(g.expiresAt, Date.now()).text}
                    </Text>
                    <Button className='btn-ghost' size='mini' onClick={() => void join(g)}>
                      去参团
                    </Button>
                  </View>
                ))}
              </View>
            ))}

            <View className='card product__cart' data-testid='product-cart'>
              <Text>{p.available ? '加入购物车' : '已售罄，暂不能购买'}</Text>
              {p.available && (
                <QtyStepper qty={qtyOf(carts, storeId, p.id)} max={Math.min(99, p.stock)} testid='product-stepper' onChange={(n) => setQty(storeId, p, n)} />
              )}
              {qtyOf(carts, storeId, p.id) > 0 && (
                <Text className='product__to-cart' onClick={() => void go(routes.cart())} data-testid='go-cart'>
                  去购物车 ›
                </Text>
              )}
            </View>

            <View className='product__bar'>
              <Button className='btn-ghost product__bar-btn' disabled={!p.available} onClick={() => void buyAlone()} data-testid='buy-alone'>
                单独购买 {yuan(p.priceCents)}
              </Button>
              {firstDeal && (
                <Button className='btn-primary product__bar-btn' disabled={!p.available} onClick={() => void openGroup(firstDeal)} data-testid='open-group-bar'>
                  {firstDeal.groupSize}人拼 {yuan(firstDeal.groupPriceCents)}
                </Button>
              )}
            </View>
          </>
        )}
      </StateView>
    </View>
  );
}
