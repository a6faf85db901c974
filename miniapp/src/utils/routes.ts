import Taro from '@tarojs/taro';

/** Every page path of the app, in one place (tab pages are switched to, the others navigated to). */
export const TAB_PAGES = ['/pages/home/index', '/pages/cart/index', '/pages/orders/index', '/pages/member/index'] as const;

const q = (params: Record<string, string | number | undefined | null>) => {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
};

export const routes = {
  home: () => '/pages/home/index',
  product: (id: string, storeId: string) => `/pages/product/index${q({ id, storeId })}`,
  group: (id: string, shareId?: string | null) => `/pages/group/index${q({ id, shareId })}`,
  confirmSolo: (productId: string, storeId: string) => `/pages/order-confirm/index${q({ type: 'solo', productId, storeId })}`,
  confirmOpen: (dealId: string, productId: string, storeId: string) => `/pages/order-confirm/index${q({ type: 'open', dealId, productId, storeId })}`,
  confirmJoin: (groupId: string, shareId?: string | null) => `/pages/order-confirm/index${q({ type: 'join', groupId, shareId })}`,
  orders: () => '/pages/orders/index',
  order: (id: string) => `/pages/order-detail/index${q({ id })}`,
  member: () => '/pages/member/index',
  points: () => '/pages/points/index',
  login: (redirect?: string) => `/pages/login/index${q({ redirect })}`,
  clerkOrders: () => '/clerk/orders/index',
  clerkRedeem: () => '/clerk/redeem/index',
  clerkMemberScan: () => '/clerk/member-scan/index',
  clerkRefunds: () => '/clerk/refunds/index',
  // back office (issue 15)
  clerkHome: () => '/clerk/today/index',
  clerkAudit: () => '/clerk/audit/index',
  clerkInvite: (code?: string) => `/clerk/invite/index${q({ code })}`,
  cart: () => '/pages/cart/index',
  search: () => '/pages/search/index',
  confirmCart: (storeId: string) => `/pages/order-confirm/index${q({ type: 'cart', storeId })}`,
  notFound: (from?: string) => `/pages/not-found/index${q({ from })}`,
  coupons: (tab?: 'centre' | 'usable' | 'used' | 'expired', storeId?: string) => `/pages/coupons/index${q({ tab, storeId })}`,
  addresses: (select?: boolean) => `/pages/addresses/index${q({ select: select ? 1 : undefined })}`,
  clerkDelivery: () => '/clerk/delivery/index',
  // sharing (issue 13)
  deal: (id: string, storeId: string, shareId?: string | null) => `/pages/deal/index${q({ id, storeId, shareId })}`,
  poster: (type: 'product' | 'deal' | 'group', id: string, storeId: string) => `/pages/poster/index${q({ type, id, storeId })}`,
  // operator console (issue 15)
  adminHome: (dealId?: string) => `/admin/home/index${q({ dealId })}`,
  adminProducts: () => '/admin/products/index',
  adminDeals: () => '/admin/deals/index',
  adminDealEdit: (id?: string) => `/admin/deal-edit/index${q({ id })}`,
  adminDealGroups: (id: string) => `/admin/deal-groups/index${q({ id })}`,
  adminPromotions: () => '/admin/promotions/index',
  adminStores: () => '/admin/stores/index',
  adminInvites: () => '/admin/invites/index',
  adminAudit: () => '/admin/audit/index',
  confirmOpenShared: (dealId: string, productId: string, storeId: string, shareId?: string | null) =>
    `/pages/order-confirm/index${q({ type: 'open', dealId, productId, storeId, shareId })}`,
};

/** Opens a page: tab pages by switchTab, others by navigateTo (or redirectTo with `replace`). */
export async function go(url: string, opts: { replace?: boolean } = {}): Promise<void> {
  const bare = url.split('?')[0];
  if ((TAB_PAGES as readonly string[]).includes(bare)) {
    await Taro.switchTab({ url: bare });
  } else if (opts.replace) {
    await Taro.redirectTo({ url });
  } else {
    await Taro.navigateTo({ url });
  }
}
