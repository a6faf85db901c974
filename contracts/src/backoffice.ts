import { z } from 'zod';
import { Cents, StoreId } from './common.js';

// The back office (issue 15): the clerk workspace's extra screens and the operator console.

/** `GET /clerk/stores`: the stores the caller works for (a clerk's, or every store for an admin). */
export const ClerkStoresResponse = z.object({ stores: z.array(z.object({ id: z.string(), name: z.string(), openHours: z.string() })) });
export type ClerkStoresResponse = z.infer<typeof ClerkStoresResponse>;

/** `POST /clerk/vouchers/preview {code}`: what a code would redeem, before 确认核销. Redeems nothing. */
export const VoucherPreviewBody = z.object({ code: z.string().trim().min(1).max(512) }).strict();
export type VoucherPreviewBody = z.infer<typeof VoucherPreviewBody>;

export const VoucherPreviewResponse = z.object({
  order: z.object({
    id: z.string(),
    storeId: z.string(),
    status: z.string(),
    amountCents: z.number().int(),
    items: z.array(z.object({ productId: z.string(), title: z.string(), qty: z.number().int(), unitPriceCents: z.number().int() })),
    /** The customer, masked (爱**, 138****0001). */
    customer: z.object({ nickname: z.string(), phone: z.string().nullable() }),
    createdAt: z.string(),
  }),
  /** True when 确认核销 would succeed now (awaiting pickup, this clerk's store, not expired). */
  redeemable: z.boolean(),
  expiresAt: z.string(),
});
export type VoucherPreviewResponse = z.infer<typeof VoucherPreviewResponse>;

/** `GET /clerk/summary?storeId`: today in the store's zone. */
export const ClerkSummaryQuery = z.object({ storeId: StoreId.optional() }).strict();
export type ClerkSummaryQuery = z.infer<typeof ClerkSummaryQuery>;

export const ClerkSummaryResponse = z.object({
  storeId: z.string(),
  /** The store's calendar day (YYYY-MM-DD) and the instant it began. */
  day: z.string(),
  dayStart: z.string(),
  timeZone: z.string(),
  /** Orders placed today and paid (not counting unpaid or cancelled). */
  orders: z.number().int(),
  /** Orders collected (核销) today. */
  collected: z.number().int(),
  /** Orders waiting for pickup now. */
  waiting: z.number().int(),
  /** Orders refunded or being refunded, asked today. */
  refunds: z.number().int(),
  /** Paid today minus refunded today, in cents. */
  revenueCents: z.number().int(),
});
export type ClerkSummaryResponse = z.infer<typeof ClerkSummaryResponse>;

/** `POST /clerk/orders/:id/out-of-stock {reason}`: 缺货/无法履约, the order is refunded. */
export const OutOfStockBody = z.object({ reason: z.string().trim().min(1).max(200) }).strict();
export type OutOfStockBody = z.infer<typeof OutOfStockBody>;

/** One back-office action as audited (`GET /clerk/actions`, `GET /admin/audit`). */
export const BackofficeAuditDto = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string(),
  actorName: z.string().nullable(),
  storeId: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  /** `ok`, or the error code the action was refused with. */
  outcome: z.string(),
});
export type BackofficeAuditDto = z.infer<typeof BackofficeAuditDto>;

export const AuditQuery = z
  .object({ storeId: StoreId.optional(), limit: z.coerce.number().int().min(1).max(100).default(30) })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuery>;

/** Admin: a stock edit is a delta (`$inc` with a floor), never a value, so a concurrent sale is kept. */
export const StockEdit = z.object({ productId: z.string().regex(/^P\d{4,}$/), stockDelta: z.number().int().min(-1_000_000).max(1_000_000) }).strict();
export const BulkStockBody = z.object({ edits: z.array(StockEdit).min(1).max(200) }).strict();
export type BulkStockBody = z.infer<typeof BulkStockBody>;

export const AdminInventoryQuery = z.object({ storeId: StoreId }).strict();

/** Admin: a store's opening hours and listing. */
export const StorePatchBody = z
  .object({
    name: z.string().trim().min(1).max(40).optional(),
    openHours: z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, 'HH:mm-HH:mm').optional(),
    phone: z.string().min(5).max(20).optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');
export type StorePatchBody = z.infer<typeof StorePatchBody>;

export const AdminInviteBody = z.object({ storeId: StoreId }).strict();

/** Admin stats window. */
export const StatsQuery = z.object({ days: z.coerce.number().int().min(1).max(60).default(7) }).strict();

export const SalesStatsResponse = z.object({
  days: z.array(z.string()),
  rows: z.array(z.object({ storeId: z.string(), storeName: z.string(), day: z.string(), orders: z.number().int(), salesCents: Cents })),
  /** Over every store and day of `rows` (the console shows them; it does no money arithmetic). */
  totalOrders: z.number().int(),
  totalSalesCents: Cents,
});
export type SalesStatsResponse = z.infer<typeof SalesStatsResponse>;

export const GroupStatsResponse = z.object({
  deals: z.array(z.object({ dealId: z.string(), title: z.string(), succeeded: z.number().int(), failed: z.number().int(), open: z.number().int(), successRate: z.number() })),
});
export type GroupStatsResponse = z.infer<typeof GroupStatsResponse>;

/** `GET /admin/inventory?storeId`: every product with this store's price, stock and listing (null: not sold there). */
export const AdminInventoryResponse = z.object({
  storeId: z.string(),
  items: z.array(
    z.object({
      productId: z.string(),
      title: z.string(),
      unit: z.string(),
      categoryId: z.string(),
      basePriceCents: z.number().int(),
      inventory: z.object({ priceCents: z.number().int(), memberPriceCents: z.number().int(), stock: z.number().int(), active: z.boolean() }).nullable(),
    }),
  ),
});
export type AdminInventoryResponse = z.infer<typeof AdminInventoryResponse>;

/** `POST /admin/inventory/:storeId/stock`: each line its new stock, or the code it was refused with. */
export const BulkStockResponse = z.object({
  storeId: z.string(),
  results: z.array(z.union([z.object({ productId: z.string(), ok: z.literal(true), stock: z.number().int() }), z.object({ productId: z.string(), ok: z.literal(false), code: z.string() })])),
});
export type BulkStockResponse = z.infer<typeof BulkStockResponse>;

export const AdminStoreDto = z.object({
  id: z.string(),
  name: z.string(),
  city: z.string(),
  district: z.string(),
  address: z.string(),
  phone: z.string(),
  openHours: z.string(),
  active: z.boolean(),
});
export type AdminStoreDto = z.infer<typeof AdminStoreDto>;
export const AdminStoresResponse = z.object({ stores: z.array(AdminStoreDto) });
export type AdminStoresResponse = z.infer<typeof AdminStoresResponse>;

/** `GET /admin/invites?storeId`: newest first, with a QR (PNG data URL) while the code can be redeemed. */
export const AdminInvitesResponse = z.object({
  invites: z.array(
    z.object({
      code: z.string(),
      storeId: z.string(),
      expiresAt: z.string(),
      redeemedBy: z.string().nullable(),
      redeemedAt: z.string().nullable(),
      state: z.enum(['open', 'redeemed', 'expired']),
      qr: z.string().nullable(),
    }),
  ),
});
export type AdminInvitesResponse = z.infer<typeof AdminInvitesResponse>;

/** `GET /admin/deals/:id/groups`: a deal's groups, newest first. */
export const AdminDealGroupsResponse = z.object({
  groups: z.array(
    z.object({
      id: z.string(),
      storeId: z.string(),
      status: z.string(),
      size: z.number().int(),
      seatsLeft: z.number().int(),
      expiresAt: z.string().nullable(),
      createdAt: z.string().nullable(),
    }),
  ),
});
export type AdminDealGroupsResponse = z.infer<typeof AdminDealGroupsResponse>;
