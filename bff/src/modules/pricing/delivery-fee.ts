/**
 * Step 6 of `priceOrder` (pricing.ts): the delivery fee, decided from the goods after every discount.
 * Kept apart from the discount steps so each module owns its step.
 */
export interface DeliveryRules {
  feeCents: number;
  /** Goods at or above this deliver free; null: never free. */
  freeOverCents: number | null;
  /** Goods below this are not delivered (the order module refuses; the preview flags it). */
  minOrderCents: number;
}

/** The fee for goods worth `goodsCents` (after discounts): free from the threshold, else the store's fee. */
export function deliveryFeeCents(goodsCents: number, rules: DeliveryRules): number {
  if (rules.freeOverCents !== null && goodsCents >= rules.freeOverCents) return 0;
  return Math.max(0, rules.feeCents);
}

/** Whether the goods reach the store's minimum for delivery. */
export function meetsDeliveryMinimum(goodsCents: number, rules: DeliveryRules): boolean {
  return goodsCents >= rules.minOrderCents;
}
