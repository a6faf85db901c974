import { Text, View } from '@tarojs/components';
import type { CouponDto, CouponTemplateDto } from '@linli/contracts';
import { shortTime, yuan } from '../../utils/format';
import './index.scss';

/** What a coupon gives, in words (amounts are the server's, formatted only). */
export function couponText(c: Pick<CouponDto, 'kind' | 'minSpendCents' | 'offCents' | 'percent' | 'maxOffCents'>): { big: string; rule: string } {
  if (c.kind === 'threshold') return { big: yuan(c.offCents), rule: `满${yuan(c.minSpendCents)}可用` };
  if (c.kind === 'cash') return { big: yuan(c.offCents), rule: '无门槛' };
  const zhe = `${c.percent % 10 === 0 ? c.percent / 10 : c.percent / 10}折`;
  return { big: zhe, rule: c.maxOffCents > 0 ? `最多减${yuan(c.maxOffCents)}` : '不限额' };
}

/** A coupon (held or in the claim centre) as a ticket; `right` is its button or state. */
export function CouponCard({ c, sub, right, dim, testid }: { c: CouponDto | CouponTemplateDto; sub?: string; right?: React.ReactNode; dim?: boolean; testid?: string }) {
  const t = couponText(c);
  const validity = 'status' in c ? `${shortTime(c.validFrom)} 至 ${shortTime(c.validTo)}` : c.validDays ? `领取后${c.validDays}天内有效` : c.validTo ? `${shortTime(c.validTo)}前有效` : '';
  return (
    <View className={`coupon ${dim ? 'coupon--dim' : ''}`} data-testid={testid ?? 'coupon'}>
      <View className='coupon__value'>
        <Text className='coupon__big'>{t.big}</Text>
        <Text className='coupon__rule'>{t.rule}</Text>
      </View>
      <View className='coupon__body'>
        <Text className='coupon__title'>{c.title}</Text>
        <Text className='muted'>{c.storeIds?.length ? '指定门店可用' : '全部门店可用'}</Text>
        <Text className='muted'>{sub ?? validity}</Text>
      </View>
      {right && <View className='coupon__right'>{right}</View>}
    </View>
  );
}
