import { Image, Text, View } from '@tarojs/components';
import type { OrderPreviewDto, PreviewLineDto, PricingDto } from '@linli/contracts';
import type { ReactNode } from 'react';
import { imageUrl } from '../../services/api';
import { yuan } from '../../utils/format';
import './index.scss';

/** Why a line cannot be bought, as the shopper reads it. */
export function lineProblemText(l: Pick<PreviewLineDto, 'problem' | 'stock'>): string {
  if (l.problem === 'OUT_OF_STOCK') return '已售罄';
  if (l.problem === 'INSUFFICIENT_STOCK') return `库存不足，仅剩 ${l.stock ?? 0} 件`;
  if (l.problem === 'UNAVAILABLE') return '本店已下架';
  return '';
}

/** One line as the BFF priced it: unit price, quantity, line amount (all from the preview). */
export function PreviewLine({ line, fallback, extra }: { line: PreviewLineDto; fallback?: { title: string; image: string }; extra?: ReactNode }) {
  const problem = lineProblemText(line);
  return (
    <View className={`pline ${problem ? 'pline--off' : ''}`} data-testid='preview-line' data-product={line.productId}>
      <Image className='pline__img' src={imageUrl(line.image || fallback?.image)} mode='aspectFill' />
      <View className='pline__info'>
        <Text className='pline__title'>{line.title || fallback?.title || line.productId}</Text>
        {problem ? (
          <Text className='pline__problem' data-testid='line-problem'>{problem}</Text>
        ) : (
          <View className='pline__prices'>
            <Text className='price' data-testid='line-unit'>{yuan(line.unitPriceCents)}</Text>
            {line.unitPriceCents < line.shelfPriceCents && <Text className='pline__shelf'>{yuan(line.shelfPriceCents)}</Text>}
            <Text className='muted'> ×{line.qty}</Text>
          </View>
        )}
      </View>
      <View className='pline__side'>
        {!problem && <Text className='pline__amount' data-testid='line-amount'>{yuan(line.lineCents)}</Text>}
        {extra}
      </View>
    </View>
  );
}

/** 商品金额, each discount the BFF applied, and the total it will charge. */
export function PricingRows({ pricing, totalLabel = '应付' }: { pricing: PricingDto; totalLabel?: string }) {
  return (
    <View className='prows' data-testid='pricing'>
      <View className='prows__row'>
        <Text className='muted'>商品金额</Text>
        <Text>{yuan(pricing.itemsCents)}</Text>
      </View>
      {pricing.adjustments.map((a) => (
        <View key={`${a.kind}-${a.ref}`} className='prows__row' data-testid='adjustment'>
          <Text className='muted'>{a.label}</Text>
          <Text className='prows__off'>-{yuan(a.amountCents)}</Text>
        </View>
      ))}
      {pricing.deliveryFeeCents > 0 && (
        <View className='prows__row'>
          <Text className='muted'>配送费</Text>
          <Text>{yuan(pricing.deliveryFeeCents)}</Text>
        </View>
      )}
      <View className='prows__row prows__total'>
        <Text>{totalLabel}</Text>
        <Text className='price' data-testid='pricing-total'>{yuan(pricing.totalCents)}</Text>
      </View>
    </View>
  );
}

/** Lines of a preview that will be charged, and those that will not (flagged). */
export const chargeable = (p: OrderPreviewDto | null) => (p ? p.lines.filter((l) => !l.problem) : []);
