import Taro from '@tarojs/taro';
import { createTinyStore, useTinyStore } from './tiny-store';

/**
 * What the shopper put in a store's cart: which products and how many. Titles and pictures are kept
 * only to show a line the store no longer sells; every price shown comes from the BFF's preview.
 */
export interface CartLine {
  productId: string;
  qty: number;
  title: string;
  image: string;
}

/** Carts by store id (a cart belongs to the store it was filled at). */
export type Carts = Record<string, CartLine[]>;

const CART_KEY = 'linli.cart';
/** The API takes at most 20 lines and 99 of each. */
export const MAX_LINES = 20;
export const MAX_QTY = 99;

function load(): Carts {
  try {
    const v = Taro.getStorageSync(CART_KEY);
    const parsed = v ? (JSON.parse(v) as Carts) : {};
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

/** Every cart, kept in Taro storage so it survives a reload (h5) or a restart (weapp). */
export const cartStore = createTinyStore<Carts>(load(), (v) => {
  try {
    Taro.setStorageSync(CART_KEY, JSON.stringify(v));
  } catch {
    /* storage full or unavailable: the cart lives in memory only */
  }
});

export const useCarts = () => useTinyStore(cartStore);

const clamp = (n: number) => Math.max(0, Math.min(MAX_QTY, Math.floor(n)));

/** Sets a line's quantity (0 removes it); a new product is added at the end while there is room. */
export function setQty(storeId: string, product: { id: string; title: string; image: string }, qty: number): void {
  cartStore.set((all) => {
    const lines = all[storeId] ?? [];
    const n = clamp(qty);
    const at = lines.findIndex((l) => l.productId === product.id);
    let next: CartLine[];
    if (at >= 0) next = n === 0 ? lines.filter((_, i) => i !== at) : lines.map((l, i) => (i === at ? { ...l, qty: n } : l));
    else if (n === 0 || lines.length >= MAX_LINES) next = lines;
    else next = [...lines, { productId: product.id, qty: n, title: product.title, image: product.image }];
    return { ...all, [storeId]: next };
  });
}

/** How many of a product are in the store's cart. */
export const qtyOf = (carts: Carts, storeId: string, productId: string) => carts[storeId]?.find((l) => l.productId === productId)?.qty ?? 0;

/** Units in the store's cart (the tab's badge). */
export const unitsIn = (carts: Carts, storeId: string) => (carts[storeId] ?? []).reduce((n, l) => n + l.qty, 0);

/** Takes the ordered products out of the store's cart. */
export function removeLines(storeId: string, productIds: string[]): void {
  const gone = new Set(productIds);
  cartStore.set((all) => ({ ...all, [storeId]: (all[storeId] ?? []).filter((l) => !gone.has(l.productId)) }));
}

/** 再来一单: puts an order's lines into its store's cart (adding to what is there). */
export function refill(storeId: string, lines: CartLine[]): void {
  for (const l of lines) setQty(storeId, { id: l.productId, title: l.title, image: l.image }, qtyOf(cartStore.get(), storeId, l.productId) + l.qty);
}
