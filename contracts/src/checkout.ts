import { z } from 'zod';
import { StoreId } from './common.js';
import { DealId, ShareId } from './groupbuy.js';
import { PreviewDeliveryDto } from './delivery.js';
import { CreateOrderBody, OrderItemDto, OrdersQuery, PricingDto, type OrderStatusName } from './order.js';
import { CheckoutPromotionsDto } from './promotions.js';

/**
 * `POST /orders/preview`: the same body as `POST /orders` (so whatever an order takes — a coupon, a
 * fulfilment — the preview takes too). Answers what that order would be charged; never writes.
 */
export const PreviewOrderBody = CreateOrderBody;
export type PreviewOrderBody = CreateOrderBody;

/**
 * Why a line cannot be ordered as asked: not sold at the store (or taken off the shelf), none left,
 * or fewer left than asked (`stock` says how many).
 */
export const LineProblemEnum = z.enum(['UNAVAILABLE', 'OUT_OF_STOCK', 'INSUFFICIENT_STOCK']);
export type LineProblem = z.infer<typeof LineProblemEnum>;

/** One asked-for line as the store would sell it now. */
export const PreviewLineDto = OrderItemDto.extend({
  /** `unitPriceCents × qty`, before order-level offers (0 for a line not sold here). */
  lineCents: z.number().int().min(0),
  /** Units on the shelf now (null for a group seat, whose units the deal holds). */
  stock: z.number().int().min(0).nullable(),
  problem: LineProblemEnum.nullable(),
});
export type PreviewLineDto = z.infer<typeof PreviewLineDto>;

/** Why a group seat cannot be taken now (DEAL_SOLD_OUT, GROUP_FULL, …: the code `POST` would answer). */
export const PreviewProblemDto = z.object({ code: z.string(), message: z.string() });
export type PreviewProblemDto = z.infer<typeof PreviewProblemDto>;

/**
 * The answer of every preview. `pricing` prices exactly the lines whose `problem` is null: placing
 * the order with those lines charges `pricing.totalCents`, to the cent. `orderable` is true when
 * every line can be ordered as asked (and, for a group seat, the seat can be taken).
 */
export const OrderPreviewDto = z.object({
  storeId: z.string(),
  kind: z.enum(['normal', 'group']),
  /** Member prices applied (a group seat always pays the deal's price). */
  member: z.boolean(),
  lines: z.array(PreviewLineDto),
  pricing: PricingDto,
  orderable: z.boolean(),
  problem: PreviewProblemDto.nullable(),
  /** Group seats: the deal, the group joined (null when opening) and the seat's role. */
  dealId: z.string().nullable(),
  groupId: z.string().nullable(),
  seat: z.enum(['leader', 'member']).nullable(),
  /** Promotions (normal orders of a signed-in customer): the coupon applied, the ones to pick from, offers, points. */
  promotions: CheckoutPromotionsDto.optional(),
  /** A delivery preview (issue 16): address distance, window, and the fee rules (the fee itself is in `pricing`). */
  delivery: PreviewDeliveryDto.optional(),
});
export type OrderPreviewDto = z.infer<typeof OrderPreviewDto>;

export const OrderPreviewResponse = z.object({ preview: OrderPreviewDto });
export type OrderPreviewResponse = z.infer<typeof OrderPreviewResponse>;

/** `POST /groups/preview`: what opening a group of this deal at this store charges the leader. */
export const PreviewOpenGroupBody = z.object({ dealId: DealId, storeId: StoreId, shareId: ShareId.optional() }).strict();
export type PreviewOpenGroupBody = z.infer<typeof PreviewOpenGroupBody>;

/** `POST /groups/:id/join/preview` (body optional): what joining this group charges. */
export const PreviewJoinGroupBody = z.object({ shareId: ShareId.optional() }).strict();
export type PreviewJoinGroupBody = z.infer<typeof PreviewJoinGroupBody>;

/**
 * The shopper's order tabs (`GET /orders?tab=`): 待付款, 待取货 (paid and on its way, a group still
 * forming included), 已完成, 退款 (asked, under way or done). 全部 is no tab.
 */
export const OrderTabEnum = z.enum(['unpaid', 'pickup', 'done', 'refund']);
export type OrderTab = z.infer<typeof OrderTabEnum>;
export const ORDER_TAB_STATUSES: Readonly<Record<OrderTab, readonly OrderStatusName[]>> = {
  unpaid: ['pending_payment'],
  pickup: ['paid', 'grouping', 'awaiting_pickup', 'preparing', 'delivering'],
  done: ['picked_up', 'delivered'],
  refund: ['refund_requested', 'refunding', 'refunded'],
};

/** `GET /orders?tab&status&cursor&limit`: a tab, or one status, or neither (全部). */
export const OrdersListQuery = OrdersQuery.extend({ tab: OrderTabEnum.optional() }).strict();
export type OrdersListQuery = z.infer<typeof OrdersListQuery>;
