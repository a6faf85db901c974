import { z } from 'zod';
import { StoreId } from './common.js';
import { VOUCHER_AUDIT_OUTCOMES } from './voucher.js';

const CLERK_ORDER_STATUSES = ['paid', 'grouping', 'awaiting_pickup', 'picked_up', 'cancelled', 'refunding', 'refunded'] as const;
const Cursor = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'not a cursor');
const Limit = z.coerce.number().int().min(1).max(100).default(20);

/** `GET /clerk/orders`: the queue of the clerk's store (status defaults to awaiting_pickup). */
export const ClerkOrdersQuery = z
  .object({
    status: z.enum(CLERK_ORDER_STATUSES).default('awaiting_pickup'),
    storeId: StoreId.optional(),
    cursor: Cursor.optional(),
    limit: Limit,
  })
  .strict();
export type ClerkOrdersQuery = z.infer<typeof ClerkOrdersQuery>;

export const ClerkOrderDto = z.object({
  id: z.string(),
  storeId: z.string(),
  status: z.string(),
  amountCents: z.number().int(),
  items: z.array(z.object({ productId: z.string(), title: z.string(), image: z.string().optional(), qty: z.number().int(), unitPriceCents: z.number().int() })),
  customer: z.object({ id: z.string(), nickname: z.string().nullable() }),
  createdAt: z.string(),
  /** Placed today (store time, UTC+8). Today's orders come first. */
  today: z.boolean(),
  readyAt: z.string().nullable(),
  pickedUpAt: z.string().nullable(),
});
export type ClerkOrderDto = z.infer<typeof ClerkOrderDto>;

export const ClerkOrdersResponse = z.object({ orders: z.array(ClerkOrderDto), nextCursor: z.string().nullable() });
export type ClerkOrdersResponse = z.infer<typeof ClerkOrdersResponse>;

export const ClerkOrderReadyResponse = z.object({ orderId: z.string(), readyAt: z.string() });
export type ClerkOrderReadyResponse = z.infer<typeof ClerkOrderReadyResponse>;

/** `GET /clerk/audit`: redemption attempts that touched the store (its vouchers or its clerks), newest first. */
export const ClerkAuditQuery = z
  .object({
    storeId: StoreId.optional(),
    cursor: Cursor.optional(),
    limit: Limit,
  })
  .strict();
export type ClerkAuditQuery = z.infer<typeof ClerkAuditQuery>;

export const VoucherAuditDto = z.object({
  id: z.string(),
  at: z.string(),
  clerkId: z.string(),
  /** The voucher's store when the code named one, else null (unreadable code). */
  storeId: z.string().nullable(),
  clerkStoreIds: z.array(z.string()),
  outcome: z.enum(VOUCHER_AUDIT_OUTCOMES),
  orderId: z.string().nullable(),
  /** A keyed hash of the code, never the code itself. */
  codeFingerprint: z.string(),
});
export type VoucherAuditDto = z.infer<typeof VoucherAuditDto>;

export const ClerkAuditResponse = z.object({ attempts: z.array(VoucherAuditDto), nextCursor: z.string().nullable() });
export type ClerkAuditResponse = z.infer<typeof ClerkAuditResponse>;
