import { Button, Text, View } from '@tarojs/components';
import Taro, { useShareAppMessage, useShareTimeline } from '@tarojs/taro';
import type { ShareDto } from '@linli/contracts';
import { useEffect, useRef, useState } from 'react';
import { host } from '../../host';
import { api, imageUrl } from '../../services/api';
import { ensureLogin } from '../../services/auth';
import { useSession } from '../../store/session';
import { go, routes } from '../../utils/routes';
import './index.scss';

export type ShareTargetType = 'product' | 'deal' | 'group';
export interface ShareTarget {
  type: ShareTargetType;
  id: string;
  storeId: string;
}

/** The link a page has before the BFF named a share id: the target at its store. */
export function plainPath(t: ShareTarget): string {
  if (t.type === 'deal') return routes.deal(t.id, t.storeId);
  if (t.type === 'group') return `${routes.group(t.id)}&storeId=${encodeURIComponent(t.storeId)}`;
  return routes.product(t.id, t.storeId);
}

/** `a=1&b=2` of a path (what useShareTimeline wants: the query of the page it is called on). */
const queryOf = (path: string) => path.split('?')[1] ?? '';

/**
 * A visit through someone's share link (`shareId` in the page's query), recorded once when the
 * visitor is logged in: shares → visits → joins.
 */
export function useShareVisit(shareId: string | undefined): void {
  const session = useSession();
  const visited = useRef<string | null>(null);
  useEffect(() => {
    if (!shareId || !session.tokens || visited.current === shareId) return;
    visited.current = shareId;
    api.visitShare(shareId).catch(() => undefined);
  }, [shareId, session.tokens]);
}

/**
 * Sharing a product, deal or group from its page. The viewer's card (title, link with store and share
 * id) is prepared when logged in; weapp sends it with the share button, the menu and 朋友圈
 * (useShareAppMessage / useShareTimeline); h5 copies the link. Either way the share is confirmed to the
 * BFF when it really happens, and 生成海报 opens the poster screen. `visitShareId`: the share id of
 * the link this page was opened from, recorded as a visit.
 */
export function ShareBar(props: { target: ShareTarget; visitShareId?: string }) {
  const { target } = props;
  const session = useSession();
  const [card, setCard] = useState<ShareDto | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  useShareVisit(props.visitShareId);

  useEffect(() => {
    setCard(null);
    setCopied(null);
    if (!session.tokens || !target.id || !target.storeId) return;
    let live = true;
    api
      .shareLink(target.type, target.id, target.storeId)
      .then((r) => live && setCard(r.share))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [target.type, target.id, target.storeId, session.tokens]);

  const path = card?.path ?? plainPath(target);
  const title = card?.title ?? '邻里好物，一起来买';
  const confirm = () => (session.tokens ? api.share(target.type, target.id, target.storeId).catch(() => null) : Promise.resolve(null));

  useShareAppMessage(() => {
    void confirm();
    return { title, path, imageUrl: card?.imageUrl ? imageUrl(card.imageUrl) : undefined };
  });
  useShareTimeline(() => {
    void confirm();
    return { title, query: queryOf(path), imageUrl: card?.imageUrl ? imageUrl(card.imageUrl) : undefined };
  });

  const copy = async () => {
    if (!(await ensureLogin())) return;
    const r = await api.share(target.type, target.id, target.storeId).catch((e: Error) => {
      void Taro.showToast({ title: e.message, icon: 'none' });
      return null;
    });
    if (!r) return;
    setCard(r.share);
    setCopied(await host.share(r.share.path, r.share.title ?? title));
    void Taro.showToast({ title: '链接已复制，发给好友吧', icon: 'none' });
  };
  const poster = async () => {
    if (await ensureLogin(routes.poster(target.type, target.id, target.storeId))) await go(routes.poster(target.type, target.id, target.storeId));
  };

  return (
    <View className='share-bar' data-testid='share-bar'>
      <View className='share-bar__row'>
        {host.target === 'weapp' && (
          <Button className='btn-ghost share-bar__btn' size='mini' openType='share' data-testid='share-friend'>
            分享给好友
          </Button>
        )}
        {host.target === 'h5' && (
          <Button className='btn-ghost share-bar__btn' size='mini' onClick={() => void copy()} data-testid='share-copy'>
            复制链接
          </Button>
        )}
        <Button className='btn-ghost share-bar__btn' size='mini' onClick={() => void poster()} data-testid='share-poster'>
          生成海报
        </Button>
      </View>
      {copied && (
        <View className='share-bar__link'>
          <Text className='muted'>分享链接：</Text>
          <Text selectable className='share-bar__link-text' data-testid='share-link-text'>
            {copied}
          </Text>
        </View>
      )}
    </View>
  );
}
