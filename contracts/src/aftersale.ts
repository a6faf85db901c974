import { z } from 'zod';
import { StoreId } from './common.js';
import { OrderDto, OrderStatusEnum } from './order.js';
import { StoreDto } from './store.js';

/** What a shopper or a clerk writes as the reason of a refund (shown to the other side as typed). */
export const RefundReason = z
  .string()
  .trim()
  .min(1, 'say why')
  .max(200, 'at most 200 characters')
  .refine((s) => !/\p{Cc}/u.test(s), 'no control characters');

/** `POST /orders/:id/refund-request`: the shopper asks for a refund of a paid, not collected order. */
export const RefundRequestBody = z.object({ reason: RefundReason }).strict();
export type RefundRequestBody = z.infer<typeof RefundRequestBody>;

/** `POST /clerk/orders/:id/refund/refuse`: the store says no, and why. */
export const RefuseRefundBody = z.object({ reason: RefundReason }).strict();
export type RefuseRefundBody = z.infer<typeof RefuseRefundBody>;

/** `GET /clerk/refunds`: refunds of the clerk's store waiting for a decision, oldest first. */
export const ClerkRefundsQuery = z
  .object({
    storeId: StoreId.optional(),
    cursor: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'not a cursor').optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type ClerkRefundsQuery = z.infer<typeof ClerkRefundsQuery>;

/** One refund waiting for the store: the order, who asked, why and when. */
export const ClerkRefundDto = z.object({
  orderId: z.string(),
  storeId: z.string(),
  kind: z.enum(['normal', 'group']),
  amountCents: z.number().int(),
  items: z.array(z.object({ productId: z.string(), title: z.string(), image: z.string(), qty: z.number().int(), unitPriceCents: z.number().int() })),
  customer: z.object({ id: z.string(), nickname: z.string().nullable() }),
  reason: z.string(),
  requestedAt: z.string(),
  /** Where the order goes back to if the store refuses. */
  returnTo: OrderStatusEnum,
  readyAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ClerkRefundDto = z.infer<typeof ClerkRefundDto>;

export const ClerkRefundsResponse = z.object({ refunds: z.array(ClerkRefundDto), nextCursor: z.string().nullable() });
export type ClerkRefundsResponse = z.infer<typeof ClerkRefundsResponse>;

/** The answer of the refund routes (request, approve, refuse): the order as its owner sees it. */
export const RefundDecisionResponse = z.object({ order: OrderDto });
export type RefundDecisionResponse = z.infer<typeof RefundDecisionResponse>;

/** `GET /orders/:id`: the order, and the store it is collected at (null if that store closed). */
export const OrderDetailResponse = z.object({ order: OrderDto, store: StoreDto.nullable().optional() });
export type OrderDetailResponse = z.infer<typeof OrderDetailResponse>;

/** `GET /stores/:id?lat&lng`: one store, with its distance when a point is given. */
export const StoreQuery = z
  .object({ lat: z.coerce.number().min(-90).max(90).optional(), lng: z.coerce.number().min(-180).max(180).optional() })
  .strict()
  .refine((q) => (q.lat === undefined) === (q.lng === undefined), 'give both lat and lng, or neither');
export type StoreQuery = z.infer<typeof StoreQuery>;

export const StoreResponse = z.object({ store: StoreDto });
export type StoreResponse = z.infer<typeof StoreResponse>;
