import { Button, Input, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { LoginPrompt } from '../../components/login-prompt';
import { host } from '../../host';
import { api } from '../../services/api';
import { sessionStore, useSession } from '../../store/session';
import { go, routes } from '../../utils/routes';
import { clerkStore } from '../shared/clerk-store';
import './index.scss';

const INVITE = /^[A-Z2-9]{10}$/;

/** Anyone logged in: redeem a clerk invite (typed, or scanned on weapp) to become a clerk of its store. */
export default function InvitePage() {
  const session = useSession();
  const router = useRouter();
  const [code, setCode] = useState((router.params.code ?? '').toUpperCase());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  if (!session.tokens) return <LoginPrompt text='登录后兑换店员邀请码' />;

  const redeem = async (raw: string) => {
    const v = raw.trim().toUpperCase();
    if (!v) return setError('请输入邀请码');
    if (!INVITE.test(v)) return setError('邀请码为 10 位字母或数字');
    setBusy(true);
    setError(null);
    try {
      const r = await api.redeemInvite(v);
      const tokens = sessionStore.get().tokens;
      sessionStore.set((s) => ({ ...s, tokens: tokens ? { ...tokens, accessToken: r.accessToken } : s.tokens, user: r.user }));
      clerkStore.set(r.storeId);
      setDone(r.storeId);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const scan = async () => {
    const v = await host.scan();
    if (v) {
      setCode(v.toUpperCase());
      await redeem(v);
    }
  };

  return (
    <View className='invite'>
      <View className='card invite__form'>
        <Text className='invite__title'>成为门店店员</Text>
        <Text className='invite__hint'>请输入店长发给你的 10 位邀请码</Text>
        {host.target === 'weapp' && (
          <Button className='btn-primary' onClick={() => void scan()} data-testid='scan-invite'>
            扫邀请二维码
          </Button>
        )}
        <Input className='invite__input' placeholder='邀请码' maxlength={10} value={code} onInput={(e) => setCode(e.detail.value)} data-testid='invite-input' />
        <Button className='btn-primary' loading={busy} disabled={busy} onClick={() => void redeem(code)} data-testid='invite-redeem'>
          兑换
        </Button>
      </View>
      {error && (
        <View className='card invite__bad' data-testid='invite-error'>
          {error}
        </View>
      )}
      {done && (
        <View className='card invite__ok' data-testid='invite-ok'>
          <Text>✓ 你已成为门店 {done} 的店员</Text>
          <Button className='btn-primary' onClick={() => void go(routes.clerkHome())} data-testid='to-desk'>
            进入工作台
          </Button>
        </View>
      )}
    </View>
  );
}
