import Taro from '@tarojs/taro';
import type {
  AuthResponse,
  CardSmsResponse,
  CategoriesResponse,
  ClerkRefundsResponse,
  CouponDto,
  CouponStatus,
  CouponTemplateDto,
  OfferDto,
  ClerkOrderReadyResponse,
  ClerkOrdersResponse,
  CreateOrderResponse,
  DealDto,
  DealPageDto,
  GroupViewDto,
  HomeResponse,
  MeResponse,
  MemberCodeResponse,
  MemberResponse,
  MemberScanResponse,
  MemberScanPreviewResponse,
  ClerkStoresResponse,
  VoucherPreviewResponse,
  ClerkSummaryResponse,
  BackofficeAuditDto,
  ClerkAuditResponse,
  OrderDetailResponse,
  OrderDto,
  OrdersPage,
  OrderPreviewResponse,
  OrderTab,
  OrderStatusName,
  PaymentParamsDto,
  PointsPage,
  ProductDetailResponse,
  ProductsResponse,
  RedeemInviteResponse,
  RedeemVoucherResponse,
  ShareDto,
  ShareVisitDto,
  StoreResponse,
  StoresResponse,
  AddressDto,
  AddressesResponse,
  ClerkDeliveriesResponse,
  CouriersResponse,
  DeliveryOptionsDto,
  FulfilmentChoice,
} from '@linli/contracts';
import { host } from '../host';
import { tokenStore } from '../store/session';
import { createApiClient, resolveImageUrl, type RequestFn } from './api-core';

export { ApiError } from './api-core';

/** Where to load a product image from (the BFF serves catalog pictures under the API base). */
export const imageUrl = (image: string | null | undefined) => resolveImageUrl(host.apiBase, image);

const taroRequest: RequestFn = async (req) => {
  const res = await Taro.request({ url: req.url, method: req.method, data: req.data as never, header: req.header, dataType: 'json' });
  return { statusCode: res.statusCode, data: res.data };
};

/** The one API client of the app. Pages call the functions below, never build URLs. */
export const client = createApiClient({
  baseUrl: host.apiBase,
  request: taroRequest,
  tokens: tokenStore,
  onLoggedOut: () => {
    void Taro.showToast({ title: '登录已过期，请重新登录', icon: 'none' });
  },
});

/** `POST /groups`, `POST /groups/:id/join`: the held seat's order and what to pay with. */
export interface SeatOrderResponse {
  groupId: string;
  order: OrderDto;
  payment: PaymentParamsDto;
}

/** A group still open to join, when the product detail lists them (optional: older BFFs give counts only). */
export interface OpenGroupSummary {
  id: string;
  seatsLeft: number;
  expiresAt: string;
  leader?: { nickname: string; avatar: string };
}

/** A fresh Idempotency-Key: make one per checkout and reuse it for retries of that checkout. */
export const newIdempotencyKey = () => `mp-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
const path = encodeURIComponent;

export const api = {
  // identity
  login: (code: string) => client.call<AuthResponse>('POST', '/auth/login', { body: { code }, anonymous: true }),
  me: () => client.get<MeResponse>('/me'),
  redeemInvite: (code: string) => client.post<RedeemInviteResponse>(`/clerk/invites/${path(code)}/redeem`),

  // catalog
  stores: (lat: number, lng: number, limit = 20) => client.get<StoresResponse>('/stores', { lat, lng, limit }),
  home: (q: { lat: number; lng: number } | { storeId: string }) => client.get<HomeResponse>('/home', q),
  categories: () => client.get<CategoriesResponse>('/categories'),
  products: (q: { storeId: string; category?: string; q?: string; cursor?: string | null; limit?: number }) =>
    client.get<ProductsResponse>('/products', q),
  product: (id: string, storeId: string) => client.get<ProductDetailResponse>(`/products/${path(id)}`, { storeId }),
  /** One store (with its distance from the point when given). */
  store: (id: string, point?: { lat: number; lng: number } | null) => client.get<StoreResponse>(`/stores/${path(id)}`, point ? { lat: point.lat, lng: point.lng } : undefined),

  // groups & shares
  deal: (id: string) => client.get<{ deal: DealDto }>(`/deals/${path(id)}`),
  openGroup: (dealId: string, storeId: string, shareId?: string, idempotencyKey = newIdempotencyKey()) =>
    client.post<SeatOrderResponse>('/groups', { dealId, storeId, shareId }, { 'Idempotency-Key': idempotencyKey }),
  group: (id: string) => client.get<GroupViewDto>(`/groups/${path(id)}`),
  recordConsent: (templateIds: string[]) => client.post<unknown>('/messages/consent', { templateIds }),
  joinGroup: (id: string, shareId?: string) => client.post<SeatOrderResponse>(`/groups/${path(id)}/join`, shareId ? { shareId } : {}),
  /** Groups open to join for a deal at a store; empty while the BFF has no such route (404). */
  openGroupsOf: async (dealId: string, storeId: string): Promise<OpenGroupSummary[]> => {
    try {
      return (await client.get<{ groups: OpenGroupSummary[] }>(`/deals/${path(dealId)}/groups`, { storeId })).groups ?? [];
    } catch (e) {
      if ((e as { status?: number }).status === 404) return [];
      throw e;
    }
  },
  /** Really shared (copied, sent, posted): the share id and link, counted from now on. */
  share: (targetType: 'group' | 'deal' | 'product', targetId: string, storeId?: string) => client.post<{ share: ShareDto }>('/shares', { targetType, targetId, storeId }),
  visitShare: (id: string) => client.post<ShareVisitDto>(`/shares/${path(id)}/visit`),
  // sharing (issue 13)
  /** The deal page in one round trip (prices from the BFF, open groups, the viewer's share card). */
  dealPage: (id: string, storeId: string) => client.get<DealPageDto>(`/deals/${path(id)}/page`, { storeId }),
  /** The viewer's share card, prepared before a tap (not counted as shared). */
  shareLink: (targetType: 'group' | 'deal' | 'product', targetId: string, storeId?: string) => client.get<{ share: ShareDto }>('/shares/link', { targetType, targetId, storeId }),
  /** What a share id opens at a store (the mini-program code's landing page). */
  resolveShare: (id: string, storeId?: string | null) => client.get<{ share: ShareDto }>(`/shares/${path(id)}`, { storeId }),

  // orders
  /** The same key always answers the same order (a retried or double-tapped checkout pays once). */
  createOrder: (storeId: string, items: { productId: string; qty: number }[], idempotencyKey = newIdempotencyKey(), extra: CheckoutChoice = {}) =>
    client.post<CreateOrderResponse>('/orders', { storeId, items, ...checkoutBody(extra) }, { 'Idempotency-Key': idempotencyKey }),
  orders: (status?: OrderStatusName, cursor?: string | null) => client.get<OrdersPage>('/orders', { status, cursor }),
  order: (id: string) => client.get<OrderDetailResponse>(`/orders/${path(id)}`),
  cancelOrder: (id: string) => client.post<{ order: OrderDto }>(`/orders/${path(id)}/cancel`),
  /** After-sale: asks the store for a refund (a group not yet formed is refunded at once). */
  requestRefund: (id: string, reason: string) => client.post<{ order: OrderDto }>(`/orders/${path(id)}/refund-request`, { reason }),

  // checkout (server-priced: the confirm and cart pages show these answers, never their own sums)
  previewOrder: (storeId: string, items: { productId: string; qty: number }[], extra: CheckoutChoice = {}) =>
    client.post<OrderPreviewResponse>('/orders/preview', { storeId, items, ...checkoutBody(extra) }),
  previewOpen: (dealId: string, storeId: string) => client.post<OrderPreviewResponse>('/groups/preview', { dealId, storeId }),
  previewJoin: (groupId: string) => client.post<OrderPreviewResponse>(`/groups/${path(groupId)}/join/preview`, {}),
  /** Pay again: fresh requestPayment parameters for an unpaid order. */
  payOrder: (id: string) => client.post<CreateOrderResponse>(`/orders/${path(id)}/pay`),
  ordersByTab: (tab?: OrderTab, cursor?: string | null) => client.get<OrdersPage>('/orders', { tab, cursor }),

  // member
  member: () => client.get<MemberResponse>('/member'),
  bindPhone: (code: string) => client.post<MemberResponse>('/member/phone', { code }),
  cardSms: (cardNo: string) => client.post<CardSmsResponse>('/member/card/sms', { cardNo }),
  bindCard: (cardNo: string, smsCode: string) => client.post<MemberResponse>('/member/card', { cardNo, smsCode }),
  memberCode: () => client.get<MemberCodeResponse>('/member/code'),
  points: (cursor?: string | null) => client.get<PointsPage>('/member/points', { cursor }),

  // clerk
  clerkOrders: (q: { status?: string; storeId?: string; cursor?: string | null }) => client.get<ClerkOrdersResponse>('/clerk/orders', q),
  markReady: (id: string) => client.post<ClerkOrderReadyResponse>(`/clerk/orders/${path(id)}/ready`),
  clerkRefunds: (q: { storeId?: string; cursor?: string | null }) => client.get<ClerkRefundsResponse>('/clerk/refunds', q),
  approveRefund: (id: string) => client.post<{ order: OrderDto }>(`/clerk/orders/${path(id)}/refund/approve`),
  refuseRefund: (id: string, reason: string) => client.post<{ order: OrderDto }>(`/clerk/orders/${path(id)}/refund/refuse`, { reason }),
  redeemVoucher: (code: string) => client.post<RedeemVoucherResponse>('/clerk/vouchers/redeem', { code }),
  memberScan: (body: { storeId: string; receiptNo: string; amount: number; confirmToken: string }) =>
    client.post<MemberScanResponse>('/clerk/members/scan', body),

  // promotions
  couponCentre: (storeId?: string) => client.get<{ templates: CouponTemplateDto[] }>('/coupons/centre', { storeId }),
  claimCoupon: (templateId: string) => client.post<{ coupon: CouponDto }>(`/coupons/${path(templateId)}/claim`),
  myCoupons: (status?: CouponStatus) => client.get<{ coupons: CouponDto[] }>('/coupons/mine', { status }),
  offers: (storeId: string) => client.get<{ offers: OfferDto[] }>('/offers', { storeId }),

  // back office (issue 15): clerk workspace
  memberScanPreview: (body: { storeId: string; memberCode: string; receiptNo: string; amount: number }) =>
    client.post<MemberScanPreviewResponse>('/clerk/members/scan/preview', body),
  clerkStores: () => client.get<ClerkStoresResponse>('/clerk/stores'),
  previewVoucher: (code: string) => client.post<VoucherPreviewResponse>('/clerk/vouchers/preview', { code }),
  clerkSummary: (storeId?: string) => client.get<ClerkSummaryResponse>('/clerk/summary', { storeId }),
  clerkActions: (storeId?: string) => client.get<{ actions: BackofficeAuditDto[] }>('/clerk/actions', { storeId }),
  clerkAudit: (storeId?: string) => client.get<ClerkAuditResponse>('/clerk/audit', { storeId }),
  outOfStock: (id: string, reason: string) => client.post<{ order: { id: string; status: string } }>(`/clerk/orders/${path(id)}/out-of-stock`, { reason }),
  // delivery (同城配送): the address book, the store's options, and the clerk's delivery desk
  addresses: () => client.get<AddressesResponse>('/addresses'),
  addAddress: (body: AddressInput) => client.post<{ address: AddressDto }>('/addresses', body),
  updateAddress: (id: string, body: AddressInput) => client.call<{ address: AddressDto }>('PUT', `/addresses/${path(id)}`, { body }),
  deleteAddress: (id: string) => client.call<unknown>('DELETE', `/addresses/${path(id)}`),
  deliveryOptions: (storeId: string, addressId?: string) => client.get<{ options: DeliveryOptionsDto }>('/delivery/options', { storeId, addressId }),
  clerkDeliveries: (q: { status: 'preparing' | 'delivering' | 'delivered'; storeId?: string }) => client.get<ClerkDeliveriesResponse>('/clerk/deliveries', q),
  couriers: (storeId?: string) => client.get<CouriersResponse>('/clerk/couriers', { storeId }),
  assignCourier: (id: string, courierId: string) => client.post<{ order: OrderDto }>(`/clerk/deliveries/${path(id)}/assign`, { courierId }),
  sendOut: (id: string) => client.post<{ order: OrderDto }>(`/clerk/deliveries/${path(id)}/out`),
  confirmDelivery: (id: string, code: string) => client.post<{ order: OrderDto }>(`/clerk/deliveries/${path(id)}/confirm`, { code }),
};

/** An address as the book's form sends it. */
export interface AddressInput {
  name: string;
  phone: string;
  address: string;
  detail: string;
  lat: number;
  lng: number;
  isDefault?: boolean;
}

/** Promotions asked of a checkout: a coupon id, 'best' or 'none', and whether to pay part with points. */
export interface Promo {
  coupon?: string;
  usePoints?: boolean;
}

/** What a checkout asks besides its lines: promotions, and pickup (the default) or delivery. */
export interface CheckoutChoice extends Promo {
  fulfilment?: FulfilmentChoice;
}

/** The body fields of a checkout choice (absent ones left out, so the server's defaults apply). */
function checkoutBody(c: CheckoutChoice): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (c.coupon !== undefined) out.coupon = c.coupon;
  if (c.usePoints !== undefined) out.usePoints = c.usePoints;
  if (c.fulfilment) out.fulfilment = c.fulfilment;
  return out;
}
