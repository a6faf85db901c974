import type {
  AdminDealGroupsResponse,
  AdminInventoryResponse,
  AdminInvitesResponse,
  AdminStoreDto,
  AdminStoresResponse,
  BackofficeAuditDto,
  BulkStockResponse,
  CouponTemplateDto,
  CreateCouponBody,
  CreateDealBody,
  CreateOfferBody,
  CreateProductBody,
  DealDto,
  FunnelDto,
  GroupStatsResponse,
  InventoryDto,
  InventoryPatchBody,
  InviteDto,
  OfferDto,
  PatchDealBody,
  SalesStatsResponse,
  StorePatchBody,
} from '@linli/contracts';
import type { z } from 'zod';
import { client } from '../../services/api';

const path = encodeURIComponent;
/**
 * A request body as a form sends it: the schema's input (its defaults are filled in by the BFF),
 * dates as ISO strings (JSON has no dates; the schema coerces them).
 */
type In<S extends z.ZodTypeAny> = { [K in keyof z.input<S>]: z.input<S>[K] extends Date | undefined ? string | Exclude<z.input<S>[K], Date> : z.input<S>[K] };

/** The operator console's calls (role admin); every one is also checked and audited by the BFF. */
export const adminApi = {
  inventory: (storeId: string) => client.get<AdminInventoryResponse>('/admin/inventory', { storeId }),
  bulkStock: (storeId: string, edits: { productId: string; stockDelta: number }[]) =>
    client.post<BulkStockResponse>(`/admin/inventory/${path(storeId)}/stock`, { edits }),
  patchInventory: (storeId: string, productId: string, body: InventoryPatchBody) =>
    client.call<{ inventory: InventoryDto }>('PATCH', `/admin/inventory/${path(storeId)}/${path(productId)}`, { body }),
  createProduct: (body: In<typeof CreateProductBody>) => client.post<{ product: { id: string; title: string } }>('/admin/products', body),

  deals: () => client.get<{ deals: DealDto[] }>('/admin/deals'),
  deal: (id: string) => client.get<{ deal: DealDto }>(`/deals/${path(id)}`),
  createDeal: (body: In<typeof CreateDealBody>) => client.post<{ deal: DealDto }>('/admin/deals', body),
  patchDeal: (id: string, body: In<typeof PatchDealBody>) => client.call<{ deal: DealDto }>('PATCH', `/admin/deals/${path(id)}`, { body }),
  stopDeal: (id: string) => client.post<{ deal: DealDto }>(`/admin/deals/${path(id)}/stop`),
  dealGroups: (id: string) => client.get<AdminDealGroupsResponse>(`/admin/deals/${path(id)}/groups`),

  coupons: () => client.get<{ templates: CouponTemplateDto[] }>('/admin/coupons'),
  createCoupon: (body: In<typeof CreateCouponBody>) => client.post<{ template: CouponTemplateDto }>('/admin/coupons', body),
  stopCoupon: (id: string) => client.post<{ template: CouponTemplateDto }>(`/admin/coupons/${path(id)}/stop`),
  offers: () => client.get<{ offers: OfferDto[] }>('/admin/offers'),
  createOffer: (body: In<typeof CreateOfferBody>) => client.post<{ offer: OfferDto }>('/admin/offers', body),
  stopOffer: (id: string) => client.post<{ offer: OfferDto }>(`/admin/offers/${path(id)}/stop`),

  stores: () => client.get<AdminStoresResponse>('/admin/stores'),
  patchStore: (id: string, body: StorePatchBody) => client.call<{ store: AdminStoreDto }>('PATCH', `/admin/stores/${path(id)}`, { body }),

  invites: (storeId?: string) => client.get<AdminInvitesResponse>('/admin/invites', { storeId }),
  createInvite: (storeId: string) => client.post<InviteDto>('/admin/invites', { storeId }),

  funnel: (dealId: string) => client.get<FunnelDto>('/admin/funnel', { dealId }),
  sales: (days = 7) => client.get<SalesStatsResponse>('/admin/stats/sales', { days }),
  groupStats: () => client.get<GroupStatsResponse>('/admin/stats/groups'),
  audit: (storeId?: string) => client.get<{ actions: BackofficeAuditDto[] }>('/admin/audit', { storeId }),
};
