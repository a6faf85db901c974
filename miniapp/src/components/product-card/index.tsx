import { Image, Text, View } from '@tarojs/components';
import type { ProductDto } from '@linli/contracts';
import { yuan } from '../../utils/format';
import './index.scss';
import { imageUrl } from '../../services/api';
import { QtyStepper } from '../qty-stepper';

/** One product in the home waterfall: image, title, store price and member price; a cart stepper when given. */
export function ProductCard({ product, onClick, cartQty, onQty }: { product: ProductDto; onClick: () => void; cartQty?: number; onQty?: (n: number) => void }) {
  return (
    <View className={`pcard ${product.available ? '' : 'pcard--off'}`} onClick={onClick} data-testid='product-card'>
      <Image className='pcard__img' src={imageUrl(product.image)} mode='aspectFill' lazyLoad />
      <View className='pcard__body'>
        <Text className='pcard__title'>{product.title}</Text>
        {product.subtitle && <Text className='pcard__sub'>{product.subtitle}</Text>}
        <View className='pcard__prices'>
          <Text className='price'>{yuan(product.priceCents)}</Text>
          <Text className='pcard__unit'>/{product.unit}</Text>
        </View>
        {product.memberPriceCents < product.priceCents && <Text className='pcard__member'>会员 {yuan(product.memberPriceCents)}</Text>}
        {!product.available && <Text className='pcard__soldout'>已售罄</Text>}
        {product.available && onQty && (
          <View className='pcard__cart'>
            <QtyStepper qty={cartQty ?? 0} max={Math.min(99, product.stock)} testid='card-stepper' onChange={onQty} />
          </View>
        )}
      </View>
    </View>
  );
}
