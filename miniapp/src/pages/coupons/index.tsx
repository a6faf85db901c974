import { Button, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import type { CouponDto, CouponStatus, CouponTemplateDto } from '@linli/contracts';
import { useCallback, useEffect, useState } from 'react';
import { CouponCard } from '../../components/coupon-card';
import { StateView } from '../../components/state-view';
import { Tabs } from '../../components/tabs';
import { api } from '../../services/api';
import { ensureLogin } from '../../services/auth';
import './index.scss';

type Tab = 'centre' | CouponStatus;
const TABS: { key: Tab; label: string }[] = [
  { key: 'centre', label: '领券中心' },
  { key: 'usable', label: '可用' },
  { key: 'used', label: '已用' },
  { key: 'expired', label: '已过期' },
];

/** 领券中心 and 我的优惠券 (可用 / 已用 / 已过期): what the customer can claim and what they hold. */
export default function CouponsPage() {
  const { params } = useRouter();
  const [tab, setTab] = useState<Tab>((params.tab as Tab) ?? 'usable');
  const [templates, setTemplates] = useState<CouponTemplateDto[]>([]);
  const [coupons, setCoupons] = useState<CouponDto[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [claiming, setClaiming] = useState('');

  const load = useCallback(async () => {
    setError(null);
    try {
      if (tab === 'centre') setTemplates((await api.couponCentre(params.storeId)).templates);
      else setCoupons((await api.myCoupons(tab)).coupons);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [tab, params.storeId]);

  useEffect(() => {
    setLoading(true);
    void load();
  }, [load]);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const claim = async (id: string) => {
    if (claiming || !(await ensureLogin())) return;
    setClaiming(id);
    try {
      await api.claimCoupon(id);
      void Taro.showToast({ title: '领取成功', icon: 'success' });
      await load();
    } catch (e) {
      void Taro.showToast({ title: (e as Error).message, icon: 'none' });
    } finally {
      setClaiming('');
    }
  };

  const list = tab === 'centre' ? templates : coupons;
  return (
    <View className='coupons'>
      <Tabs tabs={TABS} active={tab} onChange={setTab} />
      <StateView loading={loading} error={error} empty={list.length === 0} emptyText={tab === 'centre' ? '暂时没有可领的券' : '这里还没有优惠券'} onRetry={() => void load()}>
        {tab === 'centre'
          ? templates.map((t) => (
              <CouponCard
                key={t.id}
                c={t}
                testid='centre-coupon'
                right={
                  t.canClaim === false ? (
                    <Text className='coupons__state'>{t.claimed ? '已领取' : '已抢光'}</Text>
                  ) : (
                    <Button className='btn-primary coupons__btn' loading={claiming === t.id} onClick={() => void claim(t.id)} data-testid='claim'>
                      领取
                    </Button>
                  )
                }
              />
            ))
          : coupons.map((c) => <CouponCard key={c.id} c={c} dim={c.status !== 'usable'} right={c.status === 'used' ? <Text className='coupons__state'>已使用</Text> : c.status === 'expired' ? <Text className='coupons__state'>已过期</Text> : undefined} />)}
      </StateView>
    </View>
  );
}
