import type { OrderDto } from '@linli/contracts';
import type { OrderDoc } from './order.types.js';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** The owner's view of an order (internal fields such as the outbox and stock flags stay inside). */
export function toOrderDto(o: OrderDoc, voucher?: unknown): OrderDto {
  return {
    id: o._id,
    userId: o.userId,
    storeId: o.storeId,
    kind: o.kind,
    fulfilment: { type: o.fulfilment?.type ?? 'pickup' },
    groupId: o.groupId ?? null,
    dealId: o.dealId ?? null,
    items: o.items.map((i) => ({ productId: i.productId, title: i.title, image: i.image, qty: i.qty, shelfPriceCents: i.shelfPriceCents ?? i.unitPriceCents, unitPriceCents: i.unitPriceCents })),
    amountCents: o.amountCents,
    pricing: o.pricing ?? { itemsCents: o.amountCents, adjustments: [], deliveryFeeCents: 0, pointsUsed: 0, totalCents: o.amountCents },
    status: o.status,
    payBy: iso(o.payBy)!,
    paidAt: iso(o.payment?.paidAt),
    readyAt: iso(o.readyAt),
    pickedUpAt: iso(o.pickedUpAt),
    refund: refundOf(o),
    history: o.history.map((h) => ({ from: h.from ?? null, to: h.to, at: iso(h.at)!, actor: { type: h.actor.type, id: h.actor.id }, reason: h.reason ?? '' })),
    createdAt: iso(o.createdAt)!,
    ...(voucher === undefined ? {} : { voucher: (voucher ?? null) as OrderDto['voucher'] }),
  };
}

/**
 * The after-sale part of an order: under review while the store decides, refused (the order is back
 * where it was), or the refund asked of the host and its outcome.
 */
function refundOf(o: OrderDoc): OrderDto['refund'] {
  const r = o.refund;
  if (!r) return null;
  const refusal = { refusedAt: iso(r.refusedAt), refusedReason: r.refusedReason ?? null };
  if (r.status) return { status: r.status, requestedAt: iso(r.requestedAt), completedAt: iso(r.completedAt), reason: r.reason ?? '', ...refusal };
  if (o.status === 'refund_requested') return { status: 'review', requestedAt: iso(r.requestedAt), completedAt: null, reason: r.reason ?? '', ...refusal };
  if (r.refusedAt) return { status: 'refused', requestedAt: null, completedAt: null, reason: '', ...refusal };
  return null;
}
