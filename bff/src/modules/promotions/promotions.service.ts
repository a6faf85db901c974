import type { CheckoutPromotionsDto } from '@linli/contracts';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { MemberSummary } from '../member/member.service.js';
import type { OrderDoc } from '../order/order.types.js';
import { bestCoupon, LEVEL_PERCENT, POINTS_MAX_SHARE_PCT, priceOrder, type PriceContext, type PriceLineInput } from '../pricing/pricing.js';
import { CouponNotUsableError, couponDto, couponRule, type CouponService } from './coupon.service.js';
import { offerRule, type OfferService } from './offer.service.js';
import type { PointsService } from './points.service.js';

/** What the customer asked of promotions at checkout (the body of `POST /orders` and its preview). */
export interface PromotionChoice {
  coupon?: string;
  usePoints?: boolean;
}

/**
 * Promotions at checkout, for the order module's one quote: the pricing context (level, offers, the
 * chosen or best coupon, points) and the picker's data; at order creation the coupon's CAS and the
 * points' guarded `$inc`; and their give-back when the order is cancelled or refunded.
 */
export class PromotionsService {
  constructor(
    private readonly d: {
      clock: Clock;
      logger: Logger;
      coupons: CouponService;
      offers: OfferService;
      points: PointsService;
      memberSummary(userId: string): Promise<MemberSummary>;
    },
  ) {}

  /** The pricing context of a normal order, and what the confirm page shows (null for a guest). */
  async checkoutContext(input: { userId?: string; storeId: string; member: boolean; lines: PriceLineInput[]; choice: PromotionChoice }): Promise<{ ctx: Partial<PriceContext>; extras: CheckoutPromotionsDto | null }> {
    const offers = await this.d.offers.activeAt(input.storeId);
    const ctx: Partial<PriceContext> = { offers: offers.map(offerRule) };
    if (!input.userId) return { ctx, extras: null };
    const [summary, held, balance] = await Promise.all([
      input.member ? this.d.memberSummary(input.userId) : Promise.resolve(null),
      this.d.coupons.usableAt(input.userId, input.storeId),
      this.d.points.peek(input.userId),
    ]);
    if (summary?.level) ctx.level = { code: summary.level.code, name: summary.level.name, percent: LEVEL_PERCENT[summary.level.code] ?? 100 };
    const base: PriceContext = { member: input.member, ...ctx };
    const now = this.d.clock.now();
    const rated = held.map((c) => {
      const out = priceOrder(input.lines, { ...base, coupon: couponRule(c) }).coupon!;
      return { doc: c, amountCents: out.amountCents, problem: out.problem };
    });
    rated.sort((a, b) => b.amountCents - a.amountCents);
    const choice = input.choice.coupon ?? 'none';
    let chosen: (typeof rated)[number] | undefined;
    if (choice === 'best') {
      const best = bestCoupon(input.lines, base, rated.map((r) => couponRule(r.doc)));
      chosen = best ? rated.find((r) => r.doc._id === best.coupon.id) : undefined;
    } else if (choice !== 'none') {
      chosen = rated.find((r) => r.doc._id === choice);
      if (!chosen) throw new CouponNotUsableError(choice, 'not yours, used, expired or not for this store');
    }
    if (chosen) ctx.coupon = couponRule(chosen.doc);
    if (input.choice.usePoints) ctx.points = { balance, use: true };
    const priced = priceOrder(input.lines, { ...base, ...ctx });
    const extras: CheckoutPromotionsDto = {
      couponId: priced.coupon?.applied ? chosen!.doc._id : null,
      coupons: rated.map((r) => ({ ...couponDto(r.doc, now), amountCents: r.amountCents, problem: r.problem })),
      offers,
      points: { balance, usable: Math.min(balance, Math.floor((priced.pricing.totalCents + priced.pricing.pointsUsed - priced.pricing.deliveryFeeCents) * POINTS_MAX_SHARE_PCT / 100)), used: priced.pricing.pointsUsed, maxSharePct: POINTS_MAX_SHARE_PCT },
    };
    return { ctx, extras };
  }

  /** The order's coupon (CAS) and points (guarded $inc), before the order is inserted; undone on failure. */
  async commit(order: OrderDoc): Promise<void> {
    const couponId = order.pricing.adjustments.find((a) => a.kind === 'coupon')?.ref;
    if (couponId) await this.d.coupons.use(order.userId, couponId, order._id);
    try {
      await this.d.points.spend(order.userId, order._id, order.pricing.pointsUsed);
    } catch (err) {
      if (couponId) await this.d.coupons.giveBack(couponId, order._id, 'order not placed');
      throw err;
    }
  }

  /** Gives an ended order's coupon and points back (each exactly once; safe to repeat). */
  async release(order: OrderDoc, reason: string): Promise<void> {
    const couponId = order.pricing?.adjustments?.find((a) => a.kind === 'coupon')?.ref;
    if (couponId) await this.d.coupons.giveBack(couponId, order._id, reason);
    if (order.pricing?.pointsUsed) await this.d.points.giveBack(order.userId, order._id, order.pricing.pointsUsed);
  }

  /**
   * Gives back what a request that died before saving its order took for it (the sweep calls this
   * once it has fenced the order id, so the request can no longer save it): the coupon used under
   * that id and the points spent for it, each exactly once.
   */
  async releaseUnsaved(orderId: string): Promise<{ coupons: number; points: number }> {
    let coupons = 0;
    for (const couponId of await this.d.coupons.usedBy(orderId)) if (await this.d.coupons.giveBack(couponId, orderId, 'order never saved')) coupons++;
    const spent = await this.d.points.spentBy(orderId);
    const points = spent && (await this.d.points.giveBack(spent.userId, orderId, spent.points)) ? spent.points : 0;
    return { coupons, points };
  }

  /** A refunded order gives back its coupon and points, and loses what it earned. */
  async onRefunded(order: OrderDoc): Promise<void> {
    await this.release(order, 'order refunded');
    await this.d.points.unearn(order.userId, order._id);
  }

  /** A collected order earns points. */
  async onPickedUp(order: OrderDoc): Promise<void> {
    await this.d.points.earn(order.userId, order._id, order.amountCents);
  }
}
