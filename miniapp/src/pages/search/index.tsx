import { Image, Input, Text, View } from '@tarojs/components';
import { useReachBottom, useRouter } from '@tarojs/taro';
import type { ProductDto } from '@linli/contracts';
import { useRef, useState } from 'react';
import { QtyStepper } from '../../components/qty-stepper';
import { StateView } from '../../components/state-view';
import { api, imageUrl } from '../../services/api';
import { qtyOf, setQty, useCarts } from '../../store/cart';
import { useCurrentStore } from '../../store/session';
import { yuan } from '../../utils/format';
import { go, routes } from '../../utils/routes';
import './index.scss';

/** Search the current store's shelf by name or category (one `GET /products?q` per search), add to the cart. */
export default function SearchPage() {
  const { params } = useRouter();
  const store = useCurrentStore();
  const carts = useCarts();
  const storeId = store?.id ?? '';
  const [text, setText] = useState(params.q ?? '');
  const [items, setItems] = useState<ProductDto[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(0);

  const search = async (q: string, after: string | null = null) => {
    const word = q.trim();
    if (!word || !storeId) return;
    const n = ++asked.current;
    setLoading(true);
    setError(null);
    try {
      const r = await api.products({ storeId, q: word.slice(0, 40), cursor: after });
      if (n !== asked.current) return;
      setItems((prev) => (after && prev ? [...prev, ...r.items] : r.items));
      setCursor(r.nextCursor);
    } catch (e) {
      if (n === asked.current) setError((e as Error).message);
    } finally {
      if (n === asked.current) setLoading(false);
    }
  };

  useReachBottom(() => {
    if (cursor && !loading) void search(text, cursor);
  });

  return (
    <View className='search'>
      <View className='search__bar'>
        <Input
          className='search__input'
          value={text}
          placeholder='搜索商品或分类，如 苹果、水果'
          confirmType='search'
          focus
          onInput={(e) => setText(e.detail.value)}
          onConfirm={() => void search(text)}
          data-testid='search-input'
        />
        <Text className='search__go' onClick={() => void search(text)} data-testid='search-go'>
          搜索
        </Text>
      </View>
      <StateView loading={loading && !items} error={error} onRetry={() => void search(text)} empty={items !== null && items.length === 0} emptyText={`没有找到“${text.trim()}”相关的商品，换个词试试`}>
        {(items ?? []).map((p) => (
          <View key={p.id} className={`search__row ${p.available ? '' : 'search__row--off'}`} onClick={() => void go(routes.product(p.id, storeId))} data-testid='search-result'>
            <Image className='search__img' src={imageUrl(p.image)} mode='aspectFill' lazyLoad />
            <View className='search__info'>
              <Text className='search__title'>{p.title}</Text>
              <View>
                <Text className='price'>{yuan(p.priceCents)}</Text>
                {p.memberPriceCents < p.priceCents && <Text className='search__member'>会员 {yuan(p.memberPriceCents)}</Text>}
              </View>
            </View>
            {p.available ? (
              <QtyStepper qty={qtyOf(carts, storeId, p.id)} max={Math.min(99, p.stock)} testid='search-stepper' onChange={(n) => setQty(storeId, p, n)} />
            ) : (
              <Text className='search__soldout'>已售罄</Text>
            )}
          </View>
        ))}
        {items && items.length > 0 && <View className='search__more'>{loading ? '加载中…' : cursor ? '上拉加载更多' : '没有更多了'}</View>}
      </StateView>
    </View>
  );
}
