import type { PriceAdjustmentDto, PricingDto } from '@linli/contracts';
import { deliveryFeeCents, type DeliveryRules } from './delivery-fee.js';

/**
 * The one pricing function of Linli: `POST /orders/preview` and `POST /orders` (and group seats) all
 * price through `priceOrder`, so what the customer is shown is what they are charged. Pure: no I/O,
 * no clock; everything it needs is in its input.
 *
 * Order of the steps (each takes cents off what the previous left, never below zero):
 *   1. shelf price × qty (the store's price)            → `itemsCents`
 *   2. unit price for this customer: the deal price of a group seat, else the member price for members
 *      (`member` / `deal` adjustments, per line)
 *   3. automatic offers (满额/满件), 4. one coupon, 5. points   — added by the promotions module
 *   6. + delivery fee                                     — added by the delivery module
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
}

export interface PriceContext {
  /** The customer holds a member card: member prices apply. */
  member: boolean;
  /** A group seat: every unit costs the deal's price instead (the deal id names the adjustment). */
  deal?: { id: string; title: string; unitPriceCents: number };
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

export interface PricedOrder {
  items: PricedLine[];
  pricing: PricingDto;
}

/** Prices an order's lines for one customer; see the module comment for the steps and their order. */
export function priceOrder(lines: readonly PriceLineInput[], ctx: PriceContext): PricedOrder {
  const adjustments: PriceAdjustmentDto[] = [];
  let itemsCents = 0;
  let memberOff = 0;
  let dealOff = 0;
  const items = lines.map((l) => {
    let shelf = Math.max(0, l.shelfPriceCents);
    let unit = shelf;
    if (ctx.deal) {
      unit = Math.max(0, ctx.deal.unitPriceCents);
      // A deal priced above the shelf is its own list price: adjustments are never negative.
      shelf = Math.max(shelf, unit);
      dealOff += (shelf - unit) * l.qty;
    } else if (ctx.member) {
      unit = Math.min(shelf, Math.max(0, l.memberPriceCents));
      memberOff += (shelf - unit) * l.qty;
    }
    itemsCents += shelf * l.qty;
    return { productId: l.productId, title: l.title, image: l.image, qty: l.qty, shelfPriceCents: shelf, unitPriceCents: unit };
  });
  if (ctx.deal && dealOff > 0) adjustments.push({ kind: 'deal', ref: ctx.deal.id, label: ctx.deal.title, amountCents: dealOff });
  if (memberOff > 0) adjustments.push({ kind: 'member', ref: '', label: '会员价', amountCents: memberOff });
  const goods = itemsCents - dealOff - memberOff;
  // Step 6: delivery (delivery-fee.ts), on the goods after every discount.
  const fee = ctx.delivery ? deliveryFeeCents(Math.max(0, goods), ctx.delivery) : Math.max(0, ctx.deliveryFeeCents ?? 0);
  return {
    items,
    pricing: { itemsCents, adjustments, deliveryFeeCents: fee, pointsUsed: 0, totalCents: Math.max(0, goods) + fee },
  };
}
