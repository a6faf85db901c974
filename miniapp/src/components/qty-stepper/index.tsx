import { Text, View } from '@tarojs/components';
import './index.scss';

/** －n＋ for a cart line; at 0 only ＋ (加入购物车). Taps do not reach the card underneath. */
export function QtyStepper({ qty, max = 99, onChange, testid = 'stepper', disabled = false }: { qty: number; max?: number; onChange: (n: number) => void; testid?: string; disabled?: boolean }) {
  const tap = (n: number) => (e: { stopPropagation?: () => void }) => {
    e.stopPropagation?.();
    if (!disabled) onChange(Math.max(0, Math.min(max, n)));
  };
  return (
    <View className={`qty ${disabled ? 'qty--off' : ''}`} data-testid={testid} onClick={(e) => e.stopPropagation?.()}>
      {qty > 0 && (
        <>
          <Text className='qty__btn' onClick={tap(qty - 1)} data-testid={`${testid}-minus`}>－</Text>
          <Text className='qty__n' data-testid={`${testid}-qty`}>{qty}</Text>
        </>
      )}
      <Text className={`qty__btn qty__btn--add ${qty >= max ? 'qty__btn--max' : ''}`} onClick={tap(qty + 1)} data-testid={`${testid}-plus`}>＋</Text>
    </View>
  );
}
