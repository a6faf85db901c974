import Taro, { useDidShow } from '@tarojs/taro';
import { cartStore, unitsIn } from './cart';
import { currentStore } from './session';

/** The 购物车 tab's place in app.config's tabBar list. */
export const CART_TAB_INDEX = 1;

/** Shows how many units the current store's cart holds on the 购物车 tab (nothing when empty). */
export function syncCartBadge(): void {
  const storeId = currentStore.get()?.id;
  const n = storeId ? unitsIn(cartStore.get(), storeId) : 0;
  // Off a tab page (or before the tab bar exists) the host refuses: the next tab page shown syncs it.
  const done = n > 0 ? Taro.setTabBarBadge({ index: CART_TAB_INDEX, text: n > 99 ? '99+' : String(n) }) : Taro.removeTabBarBadge({ index: CART_TAB_INDEX });
  void Promise.resolve(done).catch(() => undefined);
}

cartStore.subscribe(syncCartBadge);
currentStore.subscribe(syncCartBadge);

/** Tab pages call this: the badge is right whenever one is shown. */
export function useCartBadge(): void {
  useDidShow(() => syncCartBadge());
}
