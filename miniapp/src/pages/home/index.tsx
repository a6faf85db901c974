import { Image, ScrollView, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import type { CategoryDto, DealSummaryDto, HomeResponse, ProductDto, StoreDto } from '@linli/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ProductCard } from '../../components/product-card';
import { StateView } from '../../components/state-view';
import { StoreCard } from '../../components/store-card';
import { host } from '../../host';
import { api } from '../../services/api';
import { currentStore, useCurrentStore, useSession } from '../../store/session';
import { qtyOf, setQty, useCarts } from '../../store/cart';
import { useCartBadge } from '../../store/cart-badge';
import { devicePoint, useDevicePoint } from '../../store/location';
import { distance, yuan } from '../../utils/format';
import { locate } from '../../utils/location';
import { go, routes } from '../../utils/routes';
import './index.scss';

/** Home: current store with a switcher, categories, group deals strip, product waterfall. */
export default function HomePage() {
  useCartBadge();
  const store = useCurrentStore();
  const session = useSession();
  const carts = useCarts();
  const [home, setHome] = useState<HomeResponse | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [items, setItems] = useState<ProductDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [category, setCategory] = useState('');
  const [more, setMore] = useState<'idle' | 'loading' | 'error'>('idle');
  const [switcher, setSwitcher] = useState<{ open: boolean; stores: StoreDto[]; loading: boolean }>({ open: false, stores: [], loading: false });
  const point = useRef<{ lat: number; lng: number } | null>(null);
  // Location refused (or unavailable): distances from the default point would mislead, so none are shown.
  const located = useDevicePoint();
  const refused = located?.refused === true;

  const load = useCallback(async () => {
    setError(null);
    try {
      point.current ??= await locate();
      const cur = currentStore.get();
      const r = await api.home(cur?.chosen ? { storeId: cur.id } : { lat: point.current.lat, lng: point.current.lng });
      setHome(r);
      const distanceM = devicePoint.get()?.refused ? undefined : r.store.distanceM;
      if (!cur || cur.id !== r.store.id || cur.distanceM !== distanceM) {
        currentStore.set({ id: r.store.id, name: r.store.name, distanceM, chosen: !!cur?.chosen && cur.id === r.store.id });
      }
      setCategory('');
      setItems(r.products?.items ?? []);
      setCursor(r.products?.nextCursor ?? null);
      // Parts the BFF left out (slow or failed) are fetched on their own.
      if (!r.products) void fetchPage('', null, r.store.id);
      if (!r.categories) {
        api
          .categories()
          .then((c) => setHome((h) => (h ? { ...h, categories: c.categories, partial: h.partial.filter((x) => x !== 'categories') } : h)))
          .catch(() => undefined);
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  async function fetchPage(cat: string, after: string | null, forStore?: string) {
    const storeId = forStore ?? currentStore.get()?.id;
    if (!storeId) return;
    setMore('loading');
    try {
      const r = await api.products({ storeId, category: cat || undefined, cursor: after });
      setItems((prev) => (after ? [...prev, ...r.items] : r.items));
      setCursor(r.nextCursor);
      setMore('idle');
      if (!after) setHome((h) => (h ? { ...h, partial: h.partial.filter((x) => x !== 'products') } : h));
    } catch {
      setMore('error');
    }
  }

  useReachBottom(() => {
    if (cursor && more !== 'loading') void fetchPage(category, cursor);
  });

  const pickCategory = (c: CategoryDto | null) => {
    const id = c?.id ?? '';
    if (id === category) return;
    setCategory(id);
    setItems([]);
    setCursor(null);
    void fetchPage(id, null);
  };

  const openSwitcher = async () => {
    if (switcher.open) return setSwitcher((s) => ({ ...s, open: false }));
    setSwitcher({ open: true, stores: [], loading: true });
    try {
      point.current ??= await locate();
      const r = await api.stores(point.current.lat, point.current.lng);
      setSwitcher({ open: true, stores: r.stores, loading: false });
    } catch (e) {
      setSwitcher({ open: false, stores: [], loading: false });
      void Taro.showToast({ title: (e as Error).message, icon: 'none' });
    }
  };

  const choose = (s: StoreDto) => {
    setSwitcher({ open: false, stores: [], loading: false });
    setLoading(true);
    currentStore.set({ id: s.id, name: s.name, distanceM: s.distanceM, chosen: true });
    void load();
  };

  const storeId = store?.id ?? home?.store.id ?? '';
  const deals = home?.deals ?? [];

  return (
    <View className='home'>
      <View className='home__bar'>
        <View className='home__store' onClick={openSwitcher} data-testid='current-store'>
          <Text className='home__store-name'>{store?.name ?? home?.store.name ?? '正在定位门店…'}</Text>
          {store?.distanceM !== undefined && <Text className='home__dist'>{distance(store.distanceM)}</Text>}
          <Text className='home__switch'>{switcher.open ? '收起 ▲' : '切换 ▼'}</Text>
        </View>
        {host.target === 'h5' && !session.tokens && (
          <Text className='home__login' onClick={() => go(routes.login(routes.home()))} data-testid='home-login'>
            登录
          </Text>
        )}
      </View>

      <View className='home__search' onClick={() => void go(routes.search())} data-testid='search-box'>
        <Text className='home__search-text'>🔍 搜索商品或分类</Text>
      </View>
      <View className='card home__coupons' onClick={() => void go(routes.coupons('centre', storeId || undefined))} data-testid='claim-centre'>
        <Text className='price'>🎫 领券中心</Text>
        <Text className='muted'> 新人券、满减券，领了再买 ›</Text>
      </View>

      {home && storeId === home.store.id && <StoreCard store={refused ? { ...home.store, distanceM: undefined } : { ...home.store, distanceM: store?.distanceM ?? home.store.distanceM }} compact testid='home-store' />}

      {switcher.open && (
        <View className='home__switcher' data-testid='store-switcher'>
          <StateView loading={switcher.loading} empty={!switcher.loading && switcher.stores.length === 0} emptyText='附近没有门店'>
            <ScrollView scrollY className='home__stores'>
              {switcher.stores.map((s) => (
                <View key={s.id} className={`store-row ${storeId === s.id ? 'store-row--current' : ''}`} onClick={() => choose(s)} data-testid='store-row'>
                  <View className='store-row__main'>
                    <Text className='store-row__name'>{s.name}</Text>
                    <Text className='muted'>{s.address} · {s.openHours}</Text>
                  </View>
                  <Text className='store-row__dist'>{refused ? '' : distance(s.distanceM)}</Text>
                </View>
              ))}
            </ScrollView>
          </StateView>
        </View>
      )}

      {refused && !store?.chosen && (
        <View className='card home__noloc' data-testid='location-refused'>
          <Text className='home__noloc-text'>没有获取到你的位置，先为你显示默认门店。</Text>
          <Text className='home__noloc-pick' onClick={() => void (switcher.open || openSwitcher())} data-testid='pick-store'>
            从门店列表选择离你近的门店 ›
          </Text>
        </View>
      )}

      <StateView loading={loading} error={error} onRetry={() => void load()}>
        {home && home.partial.length > 0 && <View className='home__partial'>部分内容暂时没加载出来，下拉刷新试试</View>}

        {(home?.categories?.length ?? 0) > 0 && (
          <ScrollView scrollX className='cats' enableFlex>
            <View className='cats__row'>
              <View className={`cat ${category === '' ? 'cat--on' : ''}`} onClick={() => pickCategory(null)}>
                <Text className='cat__icon'>🏪</Text>
                <Text className='cat__name'>全部</Text>
              </View>
              {home!.categories!.map((c) => (
                <View key={c.id} className={`cat ${category === c.id ? 'cat--on' : ''}`} onClick={() => pickCategory(c)} data-testid='category'>
                  {c.icon.startsWith('data:') || c.icon.startsWith('http') ? <Image className='cat__img' src={c.icon} /> : <Text className='cat__icon'>{c.icon}</Text>}
                  <Text className='cat__name'>{c.name}</Text>
                </View>
              ))}
            </View>
          </ScrollView>
        )}

        {deals.length > 0 && category === '' && (
          <View className='deals'>
            <View className='section-title'>拼团特惠</View>
            <ScrollView scrollX className='deals__scroll' enableFlex>
              <View className='deals__row'>
                {deals.map((d: DealSummaryDto) => (
                  <View key={d.id} className='deal' onClick={() => go(routes.deal(d.id, storeId))} data-testid='deal-card'>
                    <Text className='deal__title'>{d.title}</Text>
                    <View>
                      <Text className='tag'>{d.groupSize}人团</Text>
                      {d.openGroups > 0 && <Text className='tag'>{d.openGroups}个团在拼</Text>}
                    </View>
                    <View className='deal__prices'>
                      <Text className='price'>{yuan(d.groupPriceCents)}</Text>
                      <Text className='deal__solo'>{yuan(d.soloPriceCents)}</Text>
                    </View>
                  </View>
                ))}
              </View>
            </ScrollView>
          </View>
        )}

        <View className='section-title'>{category ? (home?.categories?.find((c) => c.id === category)?.name ?? '商品') : '为你推荐'}</View>
        {items.length === 0 && more === 'idle' ? (
          <StateView empty emptyText='这个分类暂时没有商品' />
        ) : (
          <View className='waterfall'>
            {[0, 1].map((col) => (
              <View key={col} className='waterfall__col'>
                {items
                  .filter((_, i) => i % 2 === col)
                  .map((p) => (
                    <ProductCard key={p.id} product={p} onClick={() => go(routes.product(p.id, storeId))} cartQty={qtyOf(carts, storeId, p.id)} onQty={(n) => setQty(storeId, p, n)} />
                  ))}
              </View>
            ))}
          </View>
        )}
        <View className='home__more' onClick={() => more === 'error' && void fetchPage(category, cursor)}>
          {more === 'loading' ? '加载中…' : more === 'error' ? '加载失败，点击重试' : cursor ? '上拉加载更多' : items.length ? '没有更多了' : ''}
        </View>
      </StateView>
    </View>
  );
}
