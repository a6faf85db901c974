import { Button, Image, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useShareAppMessage } from '@tarojs/taro';
import type { GroupViewDto } from '@linli/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { SeatAvatar } from '../../components/seat-avatar';
import { HomeLink } from '../../components/home-link';
import { StateView } from '../../components/state-view';
import { StoreCard } from '../../components/store-card';
import { host } from '../../host';
import { api, imageUrl } from '../../services/api';
import { ensureLogin } from '../../services/auth';
import { useSession } from '../../store/session';
import { yuan } from '../../utils/format';
import { bannerOf } from '../../utils/group-banner';
import { useCountdown } from '../../utils/use-countdown';
import { useLiveParams } from '../../utils/use-live-params';
import { missingId, pageError, type PageError } from '../../utils/page-error';
import { go, routes } from '../../utils/routes';
import './index.scss';

/** Group: seats with avatars, seats left, live countdown, share, join; full/expired/succeeded/failed. */
export default function GroupPage() {
  // Follows the link on screen: a second group link opened in the same tab shows that group.
  const params = useLiveParams();
  const id = params.id ?? '';
  const shareId = params.shareId;
  const session = useSession();
  const [view, setView] = useState<GroupViewDto | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<PageError | null>(null);
  const [link, setLink] = useState<string | null>(null);
  const visited = useRef<string | null>(null);

  const load = useCallback(async () => {
    if (!id) {
      setError(missingId('这个团'));
      setLoading(false);
      return;
    }
    try {
      const v = await api.group(id);
      if (v.group.id !== id) return; // an answer for a group no longer on screen
      setView(v);
      setError(null);
    } catch (e) {
      setError(pageError(e, '这个团'));
    } finally {
      setLoading(false);
    }
  }, [id]);

  // Another group on screen: forget the previous one before loading it.
  useEffect(() => {
    setView((v) => (v && v.group.id !== id ? null : v));
    setLink(null);
    setLoading(true);
  }, [id]);

  useEffect(() => {
    void load();
  }, [load, session.user?.id]);

  // A visit through someone's share link is attributed once, when the visitor is logged in.
  useEffect(() => {
    if (!shareId || !session.tokens || visited.current === shareId) return;
    visited.current = shareId;
    api.visitShare(shareId).catch(() => undefined);
  }, [shareId, session.tokens]);

  // Live: refresh while the group can still change.
  const live = (!view && !error?.notFound) || view?.group.status === 'open' || view?.group.status === 'pending';
  useEffect(() => {
    if (!live) return undefined;
    const t = setInterval(() => void load(), 3000);
    return () => clearInterval(t);
  }, [live, load]);

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  useShareAppMessage(() => {
    // Sent: the share counts from now on (the card already carries its id).
    if (session.tokens) void api.share('group', id).catch(() => undefined);
    return {
      title: view?.share.title ?? '一起拼团更便宜',
      path: view?.share.path ?? routes.group(id),
      imageUrl: view ? imageUrl(view.share.imageUrl) : undefined,
    };
  });

  const cd = useCountdown(live ? view?.group.expiresAt : undefined, () => void load());

  // Logged out, the login page goes straight on to the join confirm: the tap is not lost.
  const join = async () => {
    if (await ensureLogin(routes.confirmJoin(id, shareId))) await go(routes.confirmJoin(id, shareId));
  };
  const copyLink = async () => {
    if (!view) return;
    const confirmed = session.tokens ? await api.share('group', id).catch(() => null) : null;
    const l = await host.share(confirmed?.share.path ?? view.share.path, view.share.title);
    setLink(l);
    void Taro.showToast({ title: '链接已复制，发给好友吧', icon: 'none' });
  };

  const v = view;
  const banner = v ? bannerOf(v, !!cd?.expired && v.group.status === 'open') : null;
  const member = v && (v.viewer.state === 'leader' || v.viewer.state === 'joined');
  const canShare = v && v.group.status === 'open' && v.group.seatsLeft > 0 && !cd?.expired;
  const emptySeats = v ? Math.max(0, v.group.size - v.seats.length) : 0;

  return (
    <View className='group'>
      <StateView loading={loading} error={v ? null : (error?.text ?? null)} notFound={error?.notFound} onRetry={() => void load()}>
        {v && banner && (
          <>
            <View className='card group__product' onClick={() => go(routes.product(v.product.id, v.group.storeId))}>
              <Image className='group__img' src={imageUrl(v.product.image)} mode='aspectFill' />
              <View className='group__info'>
                <Text className='group__title'>{v.product.title}</Text>
                <View>
                  <Text className='tag'>{v.group.size}人团</Text>
                </View>
                <View>
                  <Text className='price'>{yuan(v.product.groupPriceCents)}</Text>
                  <Text className='group__solo'>单买 {yuan(v.product.soloPriceCents)}</Text>
                </View>
              </View>
            </View>

            <View className={`card group__banner group__banner--${banner.tone}`} data-testid={banner.testid}>
              <Text className='group__banner-text'>{banner.text}</Text>
              {live && cd && !cd.expired && (
                <Text className='group__countdown' data-testid='countdown'>
                  剩余 {cd.text}
                </Text>
              )}
            </View>

            <View className='card'>
              <View className='group__seats' data-testid='seats'>
                {v.seats.map((s) => (
                  <SeatAvatar key={s.id} avatar={s.avatar} nickname={s.nickname} leader={s.leader} held={s.status === 'held'} />
                ))}
                {Array.from({ length: emptySeats }, (_, i) => (
                  <SeatAvatar key={`e${i}`} />
                ))}
              </View>
              <Text className='group__left' data-testid='seats-left'>
                {v.group.seatsLeft > 0 ? `还剩 ${v.group.seatsLeft} 个位置` : '已满员'} · 已付款 {v.group.paidCount}/{v.group.size}
              </Text>
            </View>

            <StoreCard store={v.store} storeId={v.group.storeId} title='取货门店' />

            {error && <View className='group__error'>{error.text}</View>}

            <View className='group__actions'>
              {v.viewer.state === 'can_join' && !cd?.expired && (
                <Button className='btn-primary' onClick={() => void join()} data-testid='join'>
                  {yuan(v.product.groupPriceCents)} 参加拼团
                </Button>
              )}
              {canShare && member && host.target === 'weapp' && (
                <Button className='btn-primary' openType='share' data-testid='share'>
                  邀请好友参团
                </Button>
              )}
              {canShare && host.target === 'h5' && (member || v.viewer.state === 'can_join') && (
                <Button className={member ? 'btn-primary' : 'btn-ghost'} onClick={() => void copyLink()} data-testid='share'>
                  复制链接邀请好友
                </Button>
              )}
              {canShare && (member || v.viewer.state === 'can_join') && (
                <Button className='btn-ghost' onClick={() => void go(routes.poster('group', v.group.id, v.group.storeId))} data-testid='share-poster'>
                  生成海报发朋友圈
                </Button>
              )}
              {member && v.viewer.orderId && (
                <Button className='btn-ghost' onClick={() => go(routes.order(v.viewer.orderId!))} data-testid='my-order'>
                  {v.group.status === 'succeeded' ? '查看提货码' : '查看我的订单'}
                </Button>
              )}
              {(v.group.status === 'failed' || v.viewer.state === 'full' || v.viewer.state === 'expired' || v.viewer.state === 'succeeded') && !member && (
                <Button className='btn-ghost' onClick={() => go(routes.product(v.product.id, v.group.storeId))}>
                  自己开一个团
                </Button>
              )}
            </View>
            {link && (
              <View className='card group__link'>
                <Text className='muted'>分享链接：</Text>
                <Text selectable className='group__link-text' data-testid='share-link'>
                  {link}
                </Text>
              </View>
            )}
          </>
        )}
      </StateView>
      <HomeLink />
    </View>
  );
}
