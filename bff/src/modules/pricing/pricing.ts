import { LEVEL_PRICE_PERCENT, type PriceAdjustmentDto, type PricingDto } from '@linli/contracts';
import { deliveryFeeCents, type DeliveryRules } from './delivery-fee.js';

/**
 * The one pricing function of Linli: `POST /orders/preview` and `POST /orders` (and group seats) all
 * price through `priceOrder`, so what the customer is shown is what they are charged. Pure: no I/O,
 * no clock; everything it needs is in its input (offers, the coupon and the points balance are looked
 * up by the order's quote before it calls this).
 *
 * Order of the steps (each step takes cents off what the previous ones left, never below zero):
 *   1. shelf price × qty (the store's price)                                → `itemsCents`
 *   2. unit price for this customer, per line:
 *      a group seat: the deal price (`deal`); else for members the member price (`member`), then the
 *      level benefit (`level`): the member price × the level's percentage, ROUNDED UP to the cent
 *      (so the level discount is rounded down: the customer never gets a fraction of a cent)
 *   3. automatic offers (`offer`, not for group seats): the best 满额 offer (goods ≥ threshold cents)
 *      and then the best 满件 offer (units ≥ threshold), each a fixed number of cents off
 *   4. one coupon (`coupon`, not for group seats), measured on its in-scope lines (products or
 *      categories; all lines when unscoped) but never on more than what is left after offers:
 *      满X减Y (base ≥ X), 无门槛 (Y off), 折扣 (base × (100 − percent)/100 ROUNDED DOWN, at most its cap)
 *   5. points (`points`, not for group seats): 1 point = 1 cent (100 points = ¥1), at most POINTS_MAX_SHARE_PCT % of what
 *      is left after the coupon (rounded down), at most the balance
 *   6. + delivery fee (`delivery`, delivery-fee.ts): the store's fee, free when the goods after offers and
 *      the coupon (not points: they are a way to pay) reach its free-over threshold
 * All amounts are integer cents; a discount is never larger than what is left to pay.
 */
export interface PriceLineInput {
  productId: string;
  title: string;
  image: string;
  qty: number;
  /** The store's shelf price of one unit. */
  shelfPriceCents: number;
  /** The store's member price of one unit (≤ shelf). */
  memberPriceCents: number;
  /** The product's category (coupon scopes by category). */
  categoryId?: string;
}

/** A member level's benefit: members of this level pay `percent` % of the member price. */
export interface LevelBenefit {
  code: string;
  name: string;
  /** 1..100; 100 = no benefit beyond the member price. */
  percent: number;
}

/** The level benefits of Linli's levels (member/levels.ts names the levels). */
export const LEVEL_PERCENT: Readonly<Record<string, number>> = LEVEL_PRICE_PERCENT;

/** An automatic offer: 满额 (`amount`: goods ≥ threshold cents) or 满件 (`count`: units ≥ threshold). */
export interface OfferRule {
  id: string;
  title: string;
  kind: 'amount' | 'count';
  threshold: number;
  offCents: number;
}

/** A coupon as pricing needs it: 满X减Y (`threshold`), 无门槛 (`cash`) or 折扣 (`percent`, with a cap). */
export interface CouponRule {
  id: string;
  title: string;
  kind: 'threshold' | 'cash' | 'percent';
  /** 满X: the in-scope base must reach this (threshold coupons; 0 otherwise). */
  minSpendCents: number;
  /** 减Y: cents off (threshold and cash coupons). */
  offCents: number;
  /** 折扣: the percentage paid (85 = 八五折). */
  percent: number;
  /** 折扣: the most cents it takes off (0 = no cap). */
  maxOffCents: number;
  /** Scope: only these products / categories count (null or empty = all lines). */
  productIds?: string[] | null;
  categoryIds?: string[] | null;
}

/** Points: 1 point is 1 cent; points pay at most this share (%) of what is left after the coupon. */
export const POINTS_CENTS_EACH = 1;
export const POINTS_MAX_SHARE_PCT = 50;

export interface PriceContext {
  /** The customer holds a member card: member prices apply. */
  member: boolean;
  /** The member's level benefit (only with `member`). */
  level?: LevelBenefit | null;
  /** A group seat: every unit costs the deal's price instead (the deal id names the adjustment). */
  deal?: { id: string; title: string; unitPriceCents: number };
  /** Active automatic offers at the store. */
  offers?: readonly OfferRule[];
  /** The coupon the customer chose (at most one). */
  coupon?: CouponRule | null;
  /** Points to spend: `use` asks for as many as allowed, up to `balance`. */
  points?: { balance: number; use: boolean } | null;
  /** Delivery fee of the chosen fulfilment, already decided by the delivery rules. */
  deliveryFeeCents?: number;
  /** A delivery order: the store's fee rules, applied by step 6 to the goods after discounts (delivery-fee.ts). */
  delivery?: DeliveryRules;
}

export interface PricedLine {
  productId: string;
  title: string;
  image: string;
  qty: number;
  shelfPriceCents: number;
  unitPriceCents: number;
}

/** Why a chosen coupon did not apply (the order is priced without it). */
export type CouponProblem = 'BELOW_THRESHOLD' | 'OUT_OF_SCOPE' | 'NOT_FOR_GROUPS';

export interface PricedOrder {
  items: PricedLine[];
  pricing: PricingDto;
  /** The chosen coupon's outcome (absent when none was chosen). */
  coupon?: { id: string; applied: boolean; problem: CouponProblem | null; amountCents: number };
}

const pos = (n: number) => (Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0);

/** A level price: the member price × percent, rounded up to the cent (the discount rounded down). */
export function levelUnitPrice(memberUnitCents: number, percent: number): number {
  const pct = Math.min(100, Math.max(1, Math.floor(percent)));
  return Math.ceil((pos(memberUnitCents) * pct) / 100);
}

/** Cents a coupon takes off a base (already the in-scope amount, capped by what is left); 0 when it does not apply. */
export function couponCents(c: CouponRule, base: number): number {
  if (base <= 0) return 0;
  if (c.kind === 'percent') {
    const pct = Math.min(100, Math.max(0, Math.floor(c.percent)));
    const off = Math.floor((base * (100 - pct)) / 100);
    return Math.min(base, c.maxOffCents > 0 ? Math.min(off, pos(c.maxOffCents)) : off);
  }
  if (c.kind === 'threshold' && base < pos(c.minSpendCents)) return 0;
  return Math.min(base, pos(c.offCents));
}

function inScope(c: CouponRule, line: PriceLineInput): boolean {
  const products = c.productIds ?? [];
  const categories = c.categoryIds ?? [];
  if (products.length === 0 && categories.length === 0) return true;
  return products.includes(line.productId) || (line.categoryId !== undefined && categories.includes(line.categoryId));
}

/** Prices an order's lines for one customer; see the module comment for the steps and their order. */
export function priceOrder(lines: readonly PriceLineInput[], ctx: PriceContext): PricedOrder {
  const adjustments: PriceAdjustmentDto[] = [];
  let itemsCents = 0;
  let memberOff = 0;
  let levelOff = 0;
  let dealOff = 0;
  const level = !ctx.deal && ctx.member && ctx.level && ctx.level.percent < 100 ? ctx.level : null;
  // Step 1 and 2: per line.
  const items = lines.map((l) => {
    let shelf = pos(l.shelfPriceCents);
    let unit = shelf;
    if (ctx.deal) {
      unit = pos(ctx.deal.unitPriceCents);
      // A deal priced above the shelf is its own list price: adjustments are never negative.
      shelf = Math.max(shelf, unit);
      dealOff += (shelf - unit) * l.qty;
    } else if (ctx.member) {
      const member = Math.min(shelf, pos(l.memberPriceCents));
      memberOff += (shelf - member) * l.qty;
      unit = member;
      if (level) {
        unit = Math.min(member, levelUnitPrice(member, level.percent));
        levelOff += (member - unit) * l.qty;
      }
    }
    itemsCents += shelf * l.qty;
    return { productId: l.productId, title: l.title, image: l.image, qty: l.qty, shelfPriceCents: shelf, unitPriceCents: unit };
  });
  if (ctx.deal && dealOff > 0) adjustments.push({ kind: 'deal', ref: ctx.deal.id, label: ctx.deal.title, amountCents: dealOff });
  if (memberOff > 0) adjustments.push({ kind: 'member', ref: '', label: '会员价', amountCents: memberOff });
  if (level && levelOff > 0) adjustments.push({ kind: 'level', ref: level.code, label: `${level.name}价`, amountCents: levelOff });
  const goods = items.reduce((s, i) => s + i.unitPriceCents * i.qty, 0);
  let left = goods;

  // Step 3: automatic offers, the best 满额 then the best 满件 (group seats take none).
  if (!ctx.deal && ctx.offers?.length) {
    const units = items.reduce((s, i) => s + i.qty, 0);
    for (const kind of ['amount', 'count'] as const) {
      const reached = ctx.offers.filter((o) => o.kind === kind && (kind === 'amount' ? goods : units) >= pos(o.threshold) && pos(o.offCents) > 0);
      const best = reached.sort((a, b) => b.offCents - a.offCents || a.id.localeCompare(b.id))[0];
      const off = best ? Math.min(left, pos(best.offCents)) : 0;
      if (best && off > 0) {
        adjustments.push({ kind: 'offer', ref: best.id, label: best.title, amountCents: off });
        left -= off;
      }
    }
  }

  // Step 4: one coupon.
  let coupon: PricedOrder['coupon'];
  if (ctx.coupon) {
    const c = ctx.coupon;
    let problem: CouponProblem | null = null;
    let off = 0;
    if (ctx.deal) problem = 'NOT_FOR_GROUPS';
    else {
      const scoped = lines.reduce((s, l, n) => s + (inScope(c, l) ? items[n].unitPriceCents * l.qty : 0), 0);
      const base = Math.min(scoped, left);
      off = scoped === 0 ? 0 : couponCents(c, base);
      if (scoped === 0) problem = 'OUT_OF_SCOPE';
      else if (off === 0) problem = 'BELOW_THRESHOLD';
    }
    if (off > 0) {
      adjustments.push({ kind: 'coupon', ref: c.id, label: c.title, amountCents: off });
      left -= off;
    }
    coupon = { id: c.id, applied: off > 0, problem, amountCents: off };
  }

  // What step 6 measures: the goods after offers and the coupon (points are a way to pay, so spending
  // them never costs the customer free delivery).
  const discountedGoods = Math.max(0, left);

  // Step 5: points.
  let pointsUsed = 0;
  if (ctx.points?.use && !ctx.deal) {
    const most = Math.floor((left * POINTS_MAX_SHARE_PCT) / 100 / POINTS_CENTS_EACH);
    pointsUsed = Math.min(pos(ctx.points.balance), most);
    if (pointsUsed > 0) {
      adjustments.push({ kind: 'points', ref: '', label: `积分抵扣 ${pointsUsed} 分`, amountCents: pointsUsed * POINTS_CENTS_EACH });
      left -= pointsUsed * POINTS_CENTS_EACH;
    }
  }

  // Step 6: delivery (delivery-fee.ts), on the goods after offers and the coupon.
  const fee = ctx.delivery ? deliveryFeeCents(discountedGoods, ctx.delivery) : pos(ctx.deliveryFeeCents ?? 0);
  const out: PricedOrder = {
    items,
    pricing: { itemsCents, adjustments, deliveryFeeCents: fee, pointsUsed, totalCents: Math.max(0, left) + fee },
  };
  if (coupon) out.coupon = coupon;
  return out;
}

/**
 * The coupon of `coupons` that takes the most off this order (ties: the one expiring first, as the
 * caller sorted them), priced with everything else of `ctx`; null when none applies.
 */
export function bestCoupon<C extends CouponRule>(lines: readonly PriceLineInput[], ctx: PriceContext, coupons: readonly C[]): { coupon: C; amountCents: number } | null {
  let best: { coupon: C; amountCents: number } | null = null;
  for (const c of coupons) {
    const amount = priceOrder(lines, { ...ctx, coupon: c, points: null }).coupon?.amountCents ?? 0;
    if (amount > 0 && (!best || amount > best.amountCents)) best = { coupon: c, amountCents: amount };
  }
  return best;
}
