import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { loginWith } from '../../services/auth';
import { go, routes } from '../../utils/routes';
import './index.scss';

/** The demo identities the seed writes (host openids). */
const IDENTITIES = [
  { openid: 'demo-alice', name: '爱丽丝', role: '顾客', note: '开团、分享' },
  { openid: 'demo-bob', name: '小鲍', role: '顾客', note: '通过分享链接参团' },
  { openid: 'demo-carol', name: '卡萝', role: '顾客', note: '有门店会员卡' },
  { openid: 'demo-clerk', name: '店员小王', role: '店员 · S001', note: '核销提货码、会员积分' },
  { openid: 'demo-admin', name: '运营管理员', role: '管理员', note: '' },
];

/** h5 only: pick a demo identity; the mock host mints a login code, the BFF exchanges it. */
export default function LoginPage() {
  const { params } = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const pick = async (openid: string) => {
    if (busy) return;
    setBusy(openid);
    setError(null);
    try {
      await loginWith(openid);
      const back = params.redirect ? decodeURIComponent(params.redirect) : routes.home();
      await go(back, { replace: true }).catch(() => go(routes.home()));
    } catch (e) {
      setError((e as Error).message);
      void Taro.showToast({ title: '登录失败', icon: 'none' });
    } finally {
      setBusy(null);
    }
  };

  return (
    <View className='login'>
      <Text className='login__title'>选择一个体验身份</Text>
      <Text className='login__sub'>浏览器版使用模拟的超级 App 登录；小程序内会自动登录。</Text>
      {IDENTITIES.map((i) => (
        <View key={i.openid} className='card login__row' onClick={() => void pick(i.openid)} data-testid={`login-${i.openid}`}>
          <View className='login__who'>
            <Text className='login__name'>{i.name}</Text>
            <Text className='muted'>
              {i.role}
              {i.note ? ` · ${i.note}` : ''}
            </Text>
          </View>
          <Text className='login__go'>{busy === i.openid ? '登录中…' : '›'}</Text>
        </View>
      ))}
      {error && <View className='login__error'>{error}</View>}
    </View>
  );
}
