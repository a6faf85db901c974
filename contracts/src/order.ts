import { z } from 'zod';
import { StoreId } from './common.js';
import { VoucherDto } from './voucher.js';
import { FulfilmentChoice, FulfilmentDto } from './delivery.js';

/**
 * Every status an order can be in; the machine itself lives in the BFF (order.state.ts): a common
 * part (payment, cancellation, after-sale) and one part per fulfilment type (pickup, delivery).
 */
export const OrderStatusEnum = z.enum([
  'pending_payment',
  'paid',
  'grouping',
  // pickup
  'awaiting_pickup',
  'picked_up',
  // delivery
  'preparing',
  'delivering',
  'delivered',
  // ended or after-sale
  'cancelled',
  'refund_requested',
  'refunding',
  'refunded',
]);
export type OrderStatusName = z.infer<typeof OrderStatusEnum>;

/** How an order reaches the customer: collected in store, or delivered from the store. */
export const FulfilmentTypeEnum = z.enum(['pickup', 'delivery']);
export type FulfilmentType = z.infer<typeof FulfilmentTypeEnum>;

/** What changed the price of an order, in the order the pricing module applies them. */
export const DiscountKindEnum = z.enum(['member', 'level', 'deal', 'offer', 'coupon', 'points']);

/** One step of an order's price: what it was, and how many cents it took off (always ≥ 0). */
export const PriceAdjustmentDto = z.object({
  kind: DiscountKindEnum,
  /** The offer, coupon or deal id, or the level name; '' for the member price. */
  ref: z.string(),
  label: z.string(),
  amountCents: z.number().int().min(0),
});
export type PriceAdjustmentDto = z.infer<typeof PriceAdjustmentDto>;

/** The money of an order as the pricing module computed it; `totalCents` is what is charged. */
export const PricingDto = z.object({
  /** Shelf prices × quantities. */
  itemsCents: z.number().int().min(0),
  adjustments: z.array(PriceAdjustmentDto),
  deliveryFeeCents: z.number().int().min(0),
  pointsUsed: z.number().int().min(0),
  totalCents: z.number().int().min(0),
});
export type PricingDto = z.infer<typeof PricingDto>;

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
    /** Promotions: a coupon id, 'best' (the one taking the most off) or 'none' (the default). */
    coupon: z.union([z.literal('best'), z.literal('none'), z.string().regex(/^cp_[a-z0-9]{6,32}$/)]).optional(),
    /** Promotions: pay part with points (as many as allowed). */
    usePoints: z.boolean().optional(),
    /** Pickup (the default) or delivery to an address of the shopper's book, as soon as possible or in a slot. */
    fulfilment: FulfilmentChoice.optional(),
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
  /** The store's shelf price of one unit when the order was placed. */
  shelfPriceCents: z.number().int(),
  /** What one unit costs this customer before order-level offers (member, level or deal price). */
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
  fulfilment: FulfilmentDto,
  groupId: z.string().nullable(),
  dealId: z.string().nullable(),
  items: z.array(OrderItemDto),
  /** What is charged: always `pricing.totalCents`. */
  amountCents: z.number().int(),
  pricing: PricingDto,
  status: OrderStatusEnum,
  payBy: z.string(),
  paidAt: z.string().nullable(),
  readyAt: z.string().nullable(),
  pickedUpAt: z.string().nullable(),
  /**
   * After-sale: `review` while the store decides, `refused` when it said no (the order went back to
   * where it was), then `requested` (asked of the host), `succeeded` or `failed`.
   */
  refund: z
    .object({
      status: z.enum(['review', 'refused', 'requested', 'succeeded', 'failed']),
      requestedAt: z.string().nullable(),
      completedAt: z.string().nullable(),
      reason: z.string(),
      refusedAt: z.string().nullable().optional(),
      refusedReason: z.string().nullable().optional(),
    })
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
