import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { CouponTemplateDto } from '@linli/contracts';
import { useState } from 'react';
import { StateView } from '../../components/state-view';
import { useScreenData } from '../../utils/use-screen-data';
import { Tabs } from '../../components/tabs';
import { yuan } from '../../utils/format';
import { adminApi } from '../shared/admin-api';
import { AdminGuard } from '../shared/admin-guard';
import { Field } from '../shared/field';
import { formError, toCents, toInt } from '../shared/form';
import '../shared/admin.scss';

type Kind = CouponTemplateDto['kind'];
const KINDS: [Kind, string][] = [
  ['threshold', '满减'],
  ['cash', '无门槛'],
  ['percent', '折扣'],
];

function couponRule(c: Pick<CouponTemplateDto, 'kind' | 'minSpendCents' | 'offCents' | 'percent' | 'maxOffCents'>): string {
  if (c.kind === 'threshold') return `满 ${yuan(c.minSpendCents)} 减 ${yuan(c.offCents)}`;
  if (c.kind === 'cash') return `无门槛减 ${yuan(c.offCents)}`;
  return `${c.percent / 10} 折${c.maxOffCents ? `，最多减 ${yuan(c.maxOffCents)}` : ''}${c.minSpendCents ? `，满 ${yuan(c.minSpendCents)} 可用` : ''}`;
}

function NewCoupon({ onCreated }: { onCreated: () => void }) {
  const [kind, setKind] = useState<Kind>('threshold');
  const [f, setF] = useState({ title: '', minSpend: '', off: '', percent: '90', maxOff: '', validDays: '7', total: '100', perUser: '1' });
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const save = async () => {
    const num = { minSpendCents: toCents(f.minSpend || '0'), offCents: toCents(f.off || '0'), maxOffCents: toCents(f.maxOff || '0'), percent: toInt(f.percent), validDays: toInt(f.validDays), total: toInt(f.total), perUser: toInt(f.perUser) };
    const missing = Object.entries(num).find(([, v]) => v === null);
    if (!f.title.trim()) return setError('请填写券名称');
    if (missing) return setError('金额填 12.5 这样的数字，数量填整数');
    try {
      const n = num as Record<keyof typeof num, number>;
      await adminApi.createCoupon({ title: f.title.trim(), kind, ...n, percent: kind === 'percent' ? n.percent : 100 });
      void Taro.showToast({ title: '已创建', icon: 'success' });
      setF((x) => ({ ...x, title: '' }));
      setError(null);
      onCreated();
    } catch (e) {
      setError(formError(e, { title: '券名称', minSpendCents: '使用门槛', offCents: '减免金额', percent: '折扣', maxOffCents: '最多减', validDays: '有效天数', validTo: '有效天数', total: '发放总量', perUser: '每人限领' }));
    }
  };
  return (
    <View className='card' data-testid='new-coupon'>
      <Text className='admin__title'>新建优惠券</Text>
      <View className='admin__chips'>
        {KINDS.map(([k, label]) => (
          <Text key={k} className={`admin__chip ${k === kind ? 'admin__chip--on' : ''}`} onClick={() => setKind(k)} data-testid={`coupon-kind-${k}`}>
            {label}
          </Text>
        ))}
      </View>
      <Field label='券名称' value={f.title} onInput={set('title')} id='coupon-title' />
      {kind !== 'cash' && <Field label='满（元）可用' value={f.minSpend} onInput={set('minSpend')} id='coupon-min' type='digit' />}
      {kind !== 'percent' && <Field label='减（元）' value={f.off} onInput={set('off')} id='coupon-off' type='digit' />}
      {kind === 'percent' && <Field label='支付比例 %' value={f.percent} onInput={set('percent')} id='coupon-percent' type='number' />}
      {kind === 'percent' && <Field label='最多减（元）' value={f.maxOff} onInput={set('maxOff')} id='coupon-maxoff' type='digit' />}
      <Field label='领取后有效天数' value={f.validDays} onInput={set('validDays')} id='coupon-days' type='number' />
      <Field label='发放总量' value={f.total} onInput={set('total')} id='coupon-total' type='number' />
      <Field label='每人限领' value={f.perUser} onInput={set('perUser')} id='coupon-peruser' type='number' />
      {error && <View className='admin__bad' data-testid='coupon-error'>{error}</View>}
      <Button className='btn-primary' onClick={() => void save()} data-testid='coupon-save'>
        创建优惠券
      </Button>
    </View>
  );
}

function NewOffer({ onCreated }: { onCreated: () => void }) {
  const [kind, setKind] = useState<'amount' | 'count'>('amount');
  const [f, setF] = useState({ title: '', threshold: '', off: '' });
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const save = async () => {
    const threshold = kind === 'amount' ? toCents(f.threshold) : toInt(f.threshold);
    const offCents = toCents(f.off);
    if (!f.title.trim()) return setError('请填写活动名称');
    if (threshold === null || offCents === null) return setError(kind === 'amount' ? '门槛和减免填金额，例如 39 和 5' : '件数填整数，减免填金额');
    try {
      await adminApi.createOffer({ title: f.title.trim(), kind, threshold, offCents });
      void Taro.showToast({ title: '已创建', icon: 'success' });
      setF({ title: '', threshold: '', off: '' });
      setError(null);
      onCreated();
    } catch (e) {
      setError(formError(e, { title: '活动名称', threshold: '门槛', offCents: '减免金额' }));
    }
  };
  return (
    <View className='card' data-testid='new-offer'>
      <Text className='admin__title'>新建满减活动</Text>
      <View className='admin__chips'>
        <Text className={`admin__chip ${kind === 'amount' ? 'admin__chip--on' : ''}`} onClick={() => setKind('amount')}>
          满额减
        </Text>
        <Text className={`admin__chip ${kind === 'count' ? 'admin__chip--on' : ''}`} onClick={() => setKind('count')}>
          满件减
        </Text>
      </View>
      <Field label='活动名称' value={f.title} onInput={set('title')} id='offer-title' />
      <Field label={kind === 'amount' ? '满（元）' : '满（件）'} value={f.threshold} onInput={set('threshold')} id='offer-threshold' type='digit' />
      <Field label='减（元）' value={f.off} onInput={set('off')} id='offer-off' type='digit' />
      {error && <View className='admin__bad'>{error}</View>}
      <Button className='btn-primary' onClick={() => void save()} data-testid='offer-save'>
        创建满减
      </Button>
    </View>
  );
}

function Promotions() {
  const [tab, setTab] = useState<'coupons' | 'offers'>('coupons');
  const { data, error, reload: load } = useScreenData(() => Promise.all([adminApi.coupons(), adminApi.offers()]), []);
  const coupons = data?.[0].templates ?? null;
  const offers = data?.[1].offers ?? null;

  const stop = async (what: string, run: () => Promise<unknown>) => {
    const ok = await Taro.showModal({ title: '停止', content: `停止「${what}」？已领的券在有效期内仍可使用。`, confirmText: '停止' });
    if (!ok.confirm) return;
    try {
      await run();
      load();
    } catch (e) {
      void Taro.showToast({ title: (e as Error).message, icon: 'none' });
    }
  };

  return (
    <View className='admin'>
      <Tabs
        tabs={[
          { key: 'coupons', label: '优惠券' },
          { key: 'offers', label: '满减活动' },
        ]}
        active={tab}
        onChange={setTab}
      />
      <StateView loading={!coupons && !error} error={error} onRetry={load}>
        {tab === 'coupons' && (
          <>
            <View className='card' data-testid='coupon-list'>
              {coupons?.length === 0 && <Text className='admin__muted'>还没有优惠券</Text>}
              {coupons?.map((c) => (
                <View key={c.id} className='admin__row' data-testid='coupon-row'>
                  <View className='admin__grow'>
                    <Text>
                      {c.title} {c.newMember && <Text className='admin__tag'>新人券</Text>}
                    </Text>
                    <Text className='admin__muted'>
                      {couponRule(c)} · 已发 {c.issued}/{c.total} · {c.validDays ? `领取后 ${c.validDays} 天有效` : `至 ${c.validTo?.slice(0, 10)}`}
                    </Text>
                  </View>
                  {c.active ? (
                    <Button size='mini' onClick={() => void stop(c.title, () => adminApi.stopCoupon(c.id))} data-testid='stop-coupon'>
                      停止
                    </Button>
                  ) : (
                    <Text className='admin__tag admin__tag--off'>已停止</Text>
                  )}
                </View>
              ))}
            </View>
            <NewCoupon onCreated={load} />
          </>
        )}
        {tab === 'offers' && (
          <>
            <View className='card' data-testid='offer-list'>
              {offers?.length === 0 && <Text className='admin__muted'>还没有满减活动</Text>}
              {offers?.map((o) => (
                <View key={o.id} className='admin__row' data-testid='offer-row'>
                  <View className='admin__grow'>
                    <Text>{o.title}</Text>
                    <Text className='admin__muted'>
                      {o.kind === 'amount' ? `满 ${yuan(o.threshold)}` : `满 ${o.threshold} 件`} 减 {yuan(o.offCents)} · {o.storeIds ? o.storeIds.join('、') : '全部门店'}
                    </Text>
                  </View>
                  {o.active ? (
                    <Button size='mini' onClick={() => void stop(o.title, () => adminApi.stopOffer(o.id))} data-testid='stop-offer'>
                      停止
                    </Button>
                  ) : (
                    <Text className='admin__tag admin__tag--off'>已停止</Text>
                  )}
                </View>
              ))}
            </View>
            <NewOffer onCreated={load} />
          </>
        )}
      </StateView>
    </View>
  );
}

/** Coupon templates and 满减 offers: the lists, new ones, and stopping them. */
export default function AdminPromotions() {
  return (
    <AdminGuard>
      <Promotions />
    </AdminGuard>
  );
}
