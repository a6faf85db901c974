import { Button, Image, Input, Text, View } from '@tarojs/components';
import Taro, { useDidHide, useDidShow, usePullDownRefresh } from '@tarojs/taro';
import type { MemberCodeResponse, MemberResponse } from '@linli/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { LoginPrompt } from '../../components/login-prompt';
import { StateView } from '../../components/state-view';
import { host } from '../../host';
import { api } from '../../services/api';
import { logout } from '../../services/auth';
import { isAdmin, isClerk, useSession } from '../../store/session';
import { go, routes } from '../../utils/routes';
import './index.scss';
import { useCartBadge } from '../../store/cart-badge';

/** The rotating member code: fetched again every `refreshInS` (30 s) while the page is visible. */
function MemberCode() {
  const [code, setCode] = useState<MemberCodeResponse | null>(null);
  const [left, setLeft] = useState(30);
  const [error, setError] = useState<string | null>(null);
  const [visible, setVisible] = useState(true);
  const due = useRef(0);
  const inFlight = useRef(false);

  const refresh = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const r = await api.memberCode();
      due.current = Date.now() + r.refreshInS * 1000;
      setCode(r);
      setLeft(r.refreshInS);
      setError(null);
    } catch (e) {
      due.current = Date.now() + 5000;
      setError((e as Error).message);
    } finally {
      inFlight.current = false;
    }
  }, []);

  useDidShow(() => setVisible(true));
  useDidHide(() => setVisible(false));
  useEffect(() => {
    if (!visible) return undefined;
    void refresh();
    const t = setInterval(() => {
      const remaining = Math.max(0, Math.ceil((due.current - Date.now()) / 1000));
      setLeft(remaining);
      if (remaining <= 0) void refresh();
    }, 1000);
    return () => clearInterval(t);
  }, [visible, refresh]);

  return (
    <View className='card mcode' data-testid='member-code'>
      <Text className='mcode__title'>会员码</Text>
      {error && <Text className='state__text'>{error}</Text>}
      {code ? (
        <>
          <Image className='mcode__qr' src={code.qr} />
          <Text className='mcode__digits' data-testid='member-code-text'>
            {code.code}
          </Text>
          <Text className='muted'>{left} 秒后自动刷新 · 结账时出示给店员扫码积分</Text>
        </>
      ) : (
        !error && <Text className='muted'>加载中…</Text>
      )}
    </View>
  );
}

/** Member: card with level and points, bind phone / offline card, points history, member code. */
export default function MemberPage() {
  useCartBadge();
  const session = useSession();
  const [data, setData] = useState<MemberResponse | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [phone, setPhone] = useState('');
  const [cardNo, setCardNo] = useState('');
  const [sms, setSms] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!session.tokens) return setLoading(false);
    try {
      setData(await api.member());
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [session.tokens]);

  useDidShow(() => {
    void load();
  });
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const run = async (fn: () => Promise<MemberResponse | void>) => {
    setBusy(true);
    setFormError(null);
    try {
      const r = await fn();
      if (r) setData(r);
    } catch (e) {
      setFormError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const bindPhoneWeapp = (e: { detail: { code?: string } }) => {
    const code = e.detail.code;
    if (!code) return setFormError('需要授权手机号才能绑定');
    void run(() => api.bindPhone(code));
  };
  const bindPhoneH5 = () =>
    run(async () => {
      if (!/^1\d{10}$/.test(phone)) throw new Error('请输入 11 位手机号');
      const code = await host.devPhoneCode!(session.openid ?? '', phone);
      return api.bindPhone(code);
    });
  const sendSms = () =>
    run(async () => {
      if (!/^(88|66)\d{8}$/.test(cardNo)) throw new Error('请输入 10 位会员卡号');
      const r = await api.cardSms(cardNo);
      setSentTo(r.sentTo);
    });
  const bindCard = () =>
    run(async () => {
      if (!/^\d{6}$/.test(sms)) throw new Error('请输入 6 位验证码');
      return api.bindCard(cardNo, sms);
    });

  if (!session.tokens) return <LoginPrompt text='登录后查看会员卡和积分' />;

  const m = data?.member;
  const user = session.user;
  return (
    <View className='member'>
      <View className='member__user'>
        {user?.avatar && <Image className='member__avatar' src={user.avatar} />}
        <View className='member__who'>
          <Text className='member__nick' data-testid='nickname'>{user?.nickname ?? '邻里用户'}</Text>
          <Text className='member__phone'>{data?.phone ?? '未绑定手机号'}</Text>
        </View>
        {host.target === 'h5' && (
          <Text
            className='member__switch'
            onClick={() => {
              logout();
              void go(routes.login(routes.member()));
            }}
            data-testid='switch-identity'
          >
            切换身份
          </Text>
        )}
      </View>

      <StateView loading={loading} error={error} onRetry={() => void load()}>
        {m ? (
          <>
            <View className={`mcard mcard--${m.level.code}`} data-testid='member-card'>
              <View className='mcard__top'>
                <Text className='mcard__level' data-testid='member-level'>{m.level.name}</Text>
                <Text className='mcard__no'>No. {m.cardNo}</Text>
              </View>
              <Text className='mcard__points' data-testid='member-points'>{m.points}</Text>
              <Text className='mcard__label'>可用积分 · 累计 {m.lifetimePoints}</Text>
              {(m.level.pricePercent ?? 100) < 100 && (
                <Text className='mcard__next' data-testid='level-benefit'>
                  {m.level.name}专享：会员价再打{(m.level.pricePercent ?? 100) / 10}折
                </Text>
              )}
              {m.nextLevel && (
                <Text className='mcard__next'>
                  再得 {m.nextLevel.pointsToGo} 积分升级{m.nextLevel.name}
                </Text>
              )}
            </View>
            <MemberCode />
            <View className='card member__row' onClick={() => go(routes.points())} data-testid='points-link'>
              <Text>积分明细</Text>
              <Text className='muted'>›</Text>
            </View>
            <View className='card member__row' onClick={() => go(routes.coupons('usable'))} data-testid='coupons-link'>
              <Text>我的优惠券</Text>
              <Text className='muted'>›</Text>
            </View>
          </>
        ) : (
          <View className='card bind' data-testid='bind'>
            <Text className='bind__title'>成为会员，享会员价和积分</Text>
            {data?.hint === 'SEVERAL_CARDS_FOR_PHONE' && <Text className='bind__hint'>这个手机号有多张会员卡，请在下方输入卡号绑定</Text>}
            {!data?.phone &&
              (host.target === 'weapp' ? (
                <Button className='btn-primary' openType='getPhoneNumber' onGetPhoneNumber={bindPhoneWeapp} loading={busy}>
                  手机号一键绑定
                </Button>
              ) : (
                <View className='bind__row'>
                  <Input className='bind__input' type='number' maxlength={11} placeholder='手机号（演示）' value={phone} onInput={(e) => setPhone(e.detail.value)} data-testid='phone-input' />
                  <Button className='btn-primary bind__btn' size='mini' onClick={() => void bindPhoneH5()} loading={busy} data-testid='bind-phone'>
                    绑定
                  </Button>
                </View>
              ))}
            <Text className='bind__or'>已有门店会员卡？</Text>
            <View className='bind__row'>
              <Input className='bind__input' type='number' maxlength={10} placeholder='会员卡号 88xxxxxxxx' value={cardNo} onInput={(e) => setCardNo(e.detail.value)} data-testid='card-input' />
              <Button className='btn-ghost bind__btn' size='mini' onClick={() => void sendSms()} disabled={busy} data-testid='send-sms'>
                发验证码
              </Button>
            </View>
            {sentTo !== null && <Text className='muted' data-testid='sms-sent'>{sentTo ? `验证码已发送至 ${sentTo}` : '如卡号有效，验证码已发送至卡上登记的手机'}</Text>}
            <View className='bind__row'>
              <Input className='bind__input' type='number' maxlength={6} placeholder='6 位验证码' value={sms} onInput={(e) => setSms(e.detail.value)} data-testid='sms-input' />
              <Button className='btn-primary bind__btn' size='mini' onClick={() => void bindCard()} loading={busy} data-testid='bind-card'>
                绑定
              </Button>
            </View>
          </View>
        )}
        {formError && <View className='member__error' data-testid='form-error'>{formError}</View>}

        {isAdmin(session) && (
          <View className='card member__row member__clerk' onClick={() => go(routes.adminHome())} data-testid='admin-entry'>
            <Text>运营后台</Text>
            <Text className='muted'>›</Text>
          </View>
        )}
        {isClerk(session) && (
          <View className='card member__row member__clerk' onClick={() => go(routes.clerkOrders())} data-testid='clerk-entry'>
            <Text>店员工作台 · {session.user?.clerkStoreIds.join('、')}</Text>
            <Text className='muted'>›</Text>
          </View>
        )}
      </StateView>
    </View>
  );
}
