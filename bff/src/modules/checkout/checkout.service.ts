import type { PreviewDeliveryDto } from '@linli/contracts';
import type { OrderPreviewDto, PreviewLineDto, PreviewProblemDto } from '@linli/contracts';
import { AppError } from '../../common/errors.js';
import { leaderPriceCents, type DealService } from '../groupbuy/deal.service.js';
import type { GroupJoin } from '../groupbuy/group.join.js';
import type { OrderQuote, OrderService, QuoteInput } from '../order/order.service.js';
import { priceOrder } from '../pricing/pricing.js';

export interface CheckoutDeps {
  orders: Pick<OrderService, 'quote'>;
  deals: Pick<DealService, 'load'>;
  join: Pick<GroupJoin, 'loadGroup' | 'whyNotJoinable' | 'assertDealOpenTo'>;
}

const asProblem = (err: unknown): PreviewProblemDto => {
  if (err instanceof AppError && err.status < 500 && err.status !== 404) return { code: err.code, message: err.message };
  throw err;
};

/**
 * Previews of what an order or a group seat will charge, through the order module's one quote
 * (`OrderService.quote`, which `create` uses too): the same lines, membership and `priceOrder`, so
 * the money shown is the money charged. Reads only; a line or seat that cannot be had is flagged.
 */
export class CheckoutService {
  constructor(private readonly d: CheckoutDeps) {}

  /** `POST /orders/preview`. */
  async previewOrder(userId: string | undefined, input: Omit<QuoteInput, 'userId' | 'group'>): Promise<OrderPreviewDto> {
    const q = await this.d.orders.quote({ ...input, userId });
    return toPreview(q, { kind: 'normal', problem: null, dealId: null, groupId: null, seat: null });
  }

  /** `POST /groups/preview`: the leader's seat of a new group (the leader's price). */
  async previewOpen(userId: string | undefined, input: { dealId: string; storeId: string }): Promise<OrderPreviewDto> {
    const deal = await this.d.deals.load(input.dealId);
    // A guest (no user) is told about the deal's window and cap; the per-user rules wait for sign-in.
    const problem = await this.d.join.assertDealOpenTo(deal, input.storeId, userId ?? '', true).then(() => null, asProblem);
    const q = await this.d.orders.quote({ userId, storeId: input.storeId, items: [{ productId: deal.productId, qty: 1 }], group: { dealId: deal._id, dealTitle: deal.title, unitPriceCents: leaderPriceCents(deal) } });
    return toPreview(q, { kind: 'group', problem, dealId: deal._id, groupId: null, seat: 'leader' });
  }

  /** `POST /groups/:id/join/preview`: a member's seat in this group (the deal's group price). */
  async previewJoin(userId: string | undefined, groupId: string): Promise<OrderPreviewDto> {
    const g = await this.d.join.loadGroup(groupId);
    const deal = await this.d.deals.load(g.dealId);
    const refused = this.d.join.whyNotJoinable(g, userId ?? '');
    const problem = refused ? { code: refused.code, message: refused.message } : await this.d.join.assertDealOpenTo(deal, g.storeId, userId ?? '', false).then(() => null, asProblem);
    const q = await this.d.orders.quote({ userId, storeId: g.storeId, items: [{ productId: g.productId, qty: 1 }], group: { dealId: deal._id, dealTitle: deal.title, unitPriceCents: deal.groupPriceCents } });
    return toPreview(q, { kind: 'group', problem, dealId: deal._id, groupId: g._id, seat: 'member' });
  }
}

/** The quote as the API shows it: every asked line (flagged ones priced alone, for display), and the pricing of the rest. */
export function toPreview(q: OrderQuote, extra: Pick<OrderPreviewDto, 'kind' | 'problem' | 'dealId' | 'groupId' | 'seat'>): OrderPreviewDto {
  const chargeable = new Map(q.priced.items.map((i) => [i.productId, i]));
  const lines: PreviewLineDto[] = q.lines.map((l) => {
    const item = chargeable.get(l.productId) ?? (l.input ? priceOrder([l.input], q.ctx).items[0] : null);
    if (!item) return { productId: l.productId, title: '', image: '', qty: l.qty, shelfPriceCents: 0, unitPriceCents: 0, lineCents: 0, stock: 0, problem: l.problem };
    const { productId, title, image, qty, shelfPriceCents, unitPriceCents } = item;
    return { productId, title, image, qty, shelfPriceCents, unitPriceCents, lineCents: unitPriceCents * qty, stock: l.stock, problem: l.problem };
  });
  const delivery = previewDelivery(q);
  // A delivery below the store's minimum is refused by POST /orders: the preview says so.
  const problem = extra.problem ?? (delivery && !delivery.minimumMet ? { code: 'DELIVERY_MINIMUM_NOT_MET', message: `Delivery needs at least ${delivery.minOrderCents} cents of goods` } : null);
  const orderable = !problem && lines.length > 0 && lines.every((l) => !l.problem);
  return { storeId: q.storeId, member: q.member, lines, pricing: q.priced.pricing, orderable, ...extra, problem, ...(delivery ? { delivery } : {}), ...(q.promotions ? { promotions: q.promotions } : {}) };
}

/** The delivery part of a preview (issue 16): where and when, and the store's fee rules as applied. */
function previewDelivery(q: OrderQuote): PreviewDeliveryDto | undefined {
  const f = q.fulfilment as { distanceM?: number; when?: { kind: 'asap' | 'slot'; start: Date; end: Date; label: string } } | undefined;
  if (!q.delivery || !f?.when) return undefined;
  const { rules, goodsCents, minimumMet } = q.delivery;
  const when = { kind: f.when.kind, start: new Date(f.when.start).toISOString(), end: new Date(f.when.end).toISOString(), label: f.when.label };
  return { distanceM: f.distanceM ?? 0, when, feeCents: rules.feeCents, freeOverCents: rules.freeOverCents, minOrderCents: rules.minOrderCents, goodsCents, minimumMet };
}
