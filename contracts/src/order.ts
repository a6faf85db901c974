import { z } from 'zod';
import { StoreId } from './common.js';
import { VoucherDto } from './voucher.js';

/** Every status an order can be in; the machine itself lives in the BFF (order.state.ts). */
export const OrderStatusEnum = z.enum([
  'pending_payment',
  'paid',
  'grouping',
  'awaiting_pickup',
  'picked_up',
  'cancelled',
  'refunding',
  'refunded',
]);
export type OrderStatusName = z.infer<typeof OrderStatusEnum>;

/** A product code: P0001, … */
export const OrderProductId = z.string().regex(/^P\d{4,8}$/, 'must be a product code like P0001');

/** `POST /orders`: what to buy; prices always come from the store's catalog, never from here. */
export const CreateOrderBody = z
  .object({
    storeId: StoreId,
    items: z
      .array(z.object({ productId: OrderProductId, qty: z.number().int().min(1).max(99) }).strict())
      .min(1)
      .max(20)
      .refine((items) => new Set(items.map((i) => i.productId)).size === items.length, 'each product at most once'),
  })
  .strict();
export type CreateOrderBody = z.infer<typeof CreateOrderBody>;

/** `Idempotency-Key` header: the same key (per user) always answers the same order. */
export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/, '8–100 letters, digits or _.:-');

export const OrdersQuery = z
  .object({
    status: OrderStatusEnum.optional(),
    cursor: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .strict();
export type OrdersQuery = z.infer<typeof OrdersQuery>;

export const OrderIdParam = z.string().regex(/^o_[a-z2-7]{16}$/, 'not an order id');

export const OrderItemDto = z.object({
  productId: z.string(),
  title: z.string(),
  image: z.string(),
  qty: z.number().int(),
  unitPriceCents: z.number().int(),
});

export const OrderHistoryDto = z.object({
  from: z.string().nullable(),
  to: z.string(),
  at: z.string(),
  actor: z.object({ type: z.enum(['user', 'clerk', 'system', 'host']), id: z.string() }),
  reason: z.string(),
});

export const OrderDto = z.object({
  id: z.string(),
  userId: z.string(),
  storeId: z.string(),
  kind: z.enum(['normal', 'group']),
  groupId: z.string().nullable(),
  dealId: z.string().nullable(),
  items: z.array(OrderItemDto),
  amountCents: z.number().int(),
  status: OrderStatusEnum,
  payBy: z.string(),
  paidAt: z.string().nullable(),
  readyAt: z.string().nullable(),
  pickedUpAt: z.string().nullable(),
  refund: z
    .object({ status: z.enum(['requested', 'succeeded', 'failed']), requestedAt: z.string(), completedAt: z.string().nullable(), reason: z.string() })
    .nullable(),
  history: z.array(OrderHistoryDto),
  createdAt: z.string(),
  voucher: VoucherDto.nullable().optional(),
});
export type OrderDto = z.infer<typeof OrderDto>;

/** What the miniapp hands to `requestPayment` (JSAPI): signed by the merchant key. */
export const PaymentParamsDto = z.object({
  prepayId: z.string(),
  timeStamp: z.string(),
  nonceStr: z.string(),
  package: z.string(),
  signType: z.literal('RSA'),
  paySign: z.string(),
});
export type PaymentParamsDto = z.infer<typeof PaymentParamsDto>;

export const CreateOrderResponse = z.object({ order: OrderDto, payment: PaymentParamsDto });
export type CreateOrderResponse = z.infer<typeof CreateOrderResponse>;

export const OrdersPage = z.object({ orders: z.array(OrderDto), nextCursor: z.string().nullable() });
export type OrdersPage = z.infer<typeof OrdersPage>;
