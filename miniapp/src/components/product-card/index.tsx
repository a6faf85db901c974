import { Image, Text, View } from '@tarojs/components';
import type { ProductDto } from '@linli/contracts';
import { yuan } from '../../utils/format';
import './index.scss';
import { imageUrl } from '../../services/api';

/** One product in the home waterfall: image, title, store price and member price. */
export function ProductCard({ product, onClick }: { product: ProductDto; onClick: () => void }) {
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
      </View>
    </View>
  );
}
