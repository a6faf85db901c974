import { Button, Image, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import type { ShareDto } from '@linli/contracts';
import { useCallback, useEffect, useState } from 'react';
import { HomeLink } from '../../components/home-link';
import type { ShareTargetType } from '../../components/share-bar';
import { StateView } from '../../components/state-view';
import { host } from '../../host';
import { api, imageUrl } from '../../services/api';
import { ensureLogin } from '../../services/auth';
import { missingId, pageError, type PageError } from '../../utils/page-error';
import './index.scss';

const TYPES: readonly string[] = ['product', 'deal', 'group'];

/**
 * The 朋友圈 poster of a product, deal or group: the BFF draws it (picture, name, price, store, and a
 * code that opens the sharer's link — on weapp the host's mini-program code). Making it counts as
 * sharing. weapp saves it to the album; h5 downloads it (or a long press on the image saves it).
 */
export default function PosterPage() {
  const { params } = useRouter();
  const type = params.type ?? '';
  const id = params.id ?? '';
  const storeId = params.storeId ?? '';
  const [share, setShare] = useState<ShareDto | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<PageError | null>(null);
  const [ready, setReady] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!TYPES.includes(type) || !id || !storeId) {
      setError(missingId('这个分享'));
      setLoading(false);
      return;
    }
    if (!(await ensureLogin())) return;
    try {
      setShare((await api.share(type as ShareTargetType, id, storeId)).share);
      setError(null);
    } catch (e) {
      setError(pageError(e, '这个分享'));
    } finally {
      setLoading(false);
    }
  }, [type, id, storeId]);

  useEffect(() => {
    void load();
  }, [load]);

  // weapp: the host's mini-program code opens the mini-program; h5: a QR code of the link.
  const src = share?.posterUrl ? imageUrl(`${share.posterUrl}${host.target === 'weapp' ? '&code=wxacode' : ''}`) : '';

  const save = async () => {
    if (!src || !host.saveImage) return;
    const r = await host.saveImage(src, `linli-${type}-${id}.png`);
    const text = { saved: '已保存到相册，去朋友圈分享吧', downloaded: '海报已下载，也可以长按图片保存', denied: '没有相册权限，保存失败', failed: '保存失败，请重试' }[r];
    setSaved(text);
    void Taro.showToast({ title: text, icon: 'none' });
  };
  const preview = () => {
    if (src) void Taro.previewImage({ urls: [src], current: src });
  };

  return (
    <View className='poster'>
      <StateView loading={loading} error={error?.text ?? null} notFound={error?.notFound} onRetry={() => void load()}>
        {share && (
          <>
            <View className='poster__frame'>
              <Image
                className='poster__img'
                src={src}
                mode='aspectFit'
                showMenuByLongpress
                onLoad={() => setReady(true)}
                onClick={preview}
                data-testid='poster-image'
              />
              {!ready && <Text className='poster__wait muted'>海报生成中…</Text>}
            </View>
            <Text className='poster__hint muted'>{host.target === 'weapp' ? '保存到相册后，发朋友圈邀请邻居扫码' : '长按图片保存，或点下方按钮下载'}</Text>
            <Button className='btn-primary poster__save' disabled={!ready} onClick={() => void save()} data-testid='poster-save'>
              {host.target === 'weapp' ? '保存到相册' : '下载海报'}
            </Button>
            {saved && (
              <Text className='poster__saved muted' data-testid='poster-saved'>
                {saved}
              </Text>
            )}
          </>
        )}
      </StateView>
      <HomeLink />
    </View>
  );
}
