import { Button, Image, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import type { DealPageDto, OpenGroupDto } from '@linli/contracts';
import { useCallback, useEffect, useState } from 'react';
import { HomeLink } from '../../components/home-link';
import { ShareBar } from '../../components/share-bar';
import { StateView } from '../../components/state-view';
import { StoreCard } from '../../components/store-card';
import { api, imageUrl } from '../../services/api';
import { ensureLogin } from '../../services/auth';
import { useCurrentStore, useSession } from '../../store/session';
import { countdown } from '../../utils/countdown';
import { shortTime, yuan } from '../../utils/format';
import { missingId, pageError, type PageError } from '../../utils/page-error';
import { go, routes } from '../../utils/routes';
import { useLiveParams } from '../../utils/use-live-params';
import './index.scss';

const CLOSED: Record<Exclude<DealPageDto['state'], 'open'>, string> = {
  not_started: '活动还没开始',
  ended: '活动已结束',
  sold_out: '活动名额已抢光',
};

/**
 * A group deal: its group price against this store's shelf price (both from the BFF), groups open to
 * join, 开团, and sharing (card, link, poster). Opened from home, a product, or a shared link (which
 * names the store and the sharer's share id, passed on to the join or open so the share is credited).
 */
export default function DealPage() {
  const params = useLiveParams();
  const id = params.id ?? '';
  const current = useCurrentStore();
  const storeId = params.storeId ?? current?.id ?? '';
  const shareId = params.shareId;
  const session = useSession();
  const [page, setPage] = useState<DealPageDto | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<PageError | null>(null);

  const load = useCallback(async () => {
    if (!id || !storeId) {
      setError(missingId('这个拼团活动'));
      setLoading(false);
      return;
    }
    try {
      setPage(await api.dealPage(id, storeId));
      setError(null);
    } catch (e) {
      setError(pageError(e, '这个拼团活动'));
    } finally {
      setLoading(false);
    }
  }, [id, storeId]);

  useEffect(() => {
    void load();
  }, [load, session.user?.id]);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const open = async () => {
    if (!page) return;
    const next = routes.confirmOpenShared(page.deal.id, page.product.id, storeId, shareId);
    if (await ensureLogin(next)) await go(next);
  };
  const joinGroup = (g: OpenGroupDto) => go(routes.group(g.id, shareId));

  const p = page;
  return (
    <View className='deal-page'>
      <StateView loading={loading} error={p ? null : (error?.text ?? null)} notFound={error?.notFound} onRetry={() => void load()}>
        {p && (
          <>
            <Image className='deal-page__img' src={imageUrl(p.product.image)} mode='aspectFill' />
            <View className='card'>
              <View className='deal-page__head'>
                <Text className='tag'>{p.deal.groupSize}人团</Text>
                <Text className='deal-page__title' data-testid='deal-title'>{p.deal.title}</Text>
              </View>
              <Text className='deal-page__product' onClick={() => void go(routes.product(p.product.id, storeId))} data-testid='deal-product'>
                {p.product.title} · {p.product.unit} ›
              </Text>
              <View className='deal-page__prices' data-testid='deal-prices'>
                <Text className='deal-page__label'>拼团价</Text>
                <Text className='price deal-page__price' data-testid='deal-group-price'>{yuan(p.prices.groupPriceCents)}</Text>
                <Text className='deal-page__shelf' data-testid='deal-shelf-price'>门店价 {yuan(p.prices.shelfPriceCents)}</Text>
              </View>
              {p.prices.savingCents > 0 && (
                <Text className='deal-page__saving' data-testid='deal-saving'>
                  比单买省 {yuan(p.prices.savingCents)}
                </Text>
              )}
              {p.prices.leaderPriceCents < p.prices.groupPriceCents && <Text className='muted deal-page__line'>团长开团价 {yuan(p.prices.leaderPriceCents)}</Text>}
              <Text className='muted deal-page__line'>
                {p.deal.groupSize}人成团，{Math.round(p.deal.durationMinutes / 60)}小时内不成团自动退款 · 每人限{p.deal.perUserLimit}份
                {p.deal.newMembersOnly ? ' · 新人专享' : ''}
              </Text>
              <Text className='muted deal-page__line'>活动截止 {shortTime(p.deal.endAt)}</Text>
            </View>

            <ShareBar target={{ type: 'deal', id: p.deal.id, storeId }} visitShareId={shareId} />

            <View className='card'>
              <View className='section-title deal-page__section'>正在拼的团</View>
              {p.groups.length === 0 && <Text className='muted' data-testid='deal-no-groups'>还没有人开团，开一个团邀请邻居吧</Text>}
              {p.groups.map((g) => (
                <View key={g.id} className='open-group' data-testid='deal-group'>
                  {g.leader.avatar && <Image className='open-group__avatar' src={g.leader.avatar} />}
                  <Text className='open-group__who'>{g.leader.nickname}的团</Text>
                  <Text className='open-group__left'>
                    还差{g.seatsLeft}人 · {countdown(g.expiresAt, Date.now()).text}
                  </Text>
                  <Button className='btn-ghost' size='mini' onClick={() => void joinGroup(g)} data-testid='deal-join'>
                    去参团
                  </Button>
                </View>
              ))}
            </View>

            <StoreCard store={p.store} storeId={storeId} title='取货门店' />

            <View className='deal-page__bar'>
              <Button className='btn-ghost deal-page__bar-btn' disabled={!p.product.available} onClick={() => void go(routes.confirmSolo(p.product.id, storeId))} data-testid='buy-alone'>
                单独购买 {yuan(p.prices.shelfPriceCents)}
              </Button>
              <Button className='btn-primary deal-page__bar-btn' disabled={p.state !== 'open'} onClick={() => void open()} data-testid='open-group-bar'>
                {p.state === 'open' ? `${p.deal.groupSize}人开团 ${yuan(p.prices.leaderPriceCents)}` : CLOSED[p.state]}
              </Button>
            </View>
          </>
        )}
      </StateView>
      <HomeLink />
    </View>
  );
}
