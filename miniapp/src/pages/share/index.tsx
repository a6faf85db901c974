import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { parseScene } from '../../utils/share-scene';
import { useEffect, useState } from 'react';
import { StateView } from '../../components/state-view';
import { api } from '../../services/api';
import { missingId, pageError, type PageError } from '../../utils/page-error';

/**
 * Where a poster's mini-program code lands: its `scene` names a share and a store (≤ 32 characters,
 * the host's limit); the BFF says what that share opens, and this page goes there.
 */
export default function ShareLandingPage() {
  const { params } = useRouter();
  const [error, setError] = useState<PageError | null>(null);

  useEffect(() => {
    const scene = parseScene(decodeURIComponent(params.scene ?? ''));
    if (!scene) {
      setError(missingId('这个分享'));
      return;
    }
    api
      .resolveShare(scene.shareId, scene.storeId)
      .then((r) => Taro.redirectTo({ url: r.share.path }))
      .catch((e: unknown) => setError(pageError(e, '这个分享')));
  }, [params.scene]);

  return (
    <View>
      <StateView loading={!error} error={error?.text ?? null} notFound={error?.notFound}>
        <Text />
      </StateView>
    </View>
  );
}
