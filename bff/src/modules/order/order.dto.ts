import type { DeliveryInfoDto, FulfilmentDto, OrderDto } from '@linli/contracts';
import type { OrderDoc } from './order.types.js';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** Statuses in which the shopper still needs the delivery code. */
const CODE_SHOWN = new Set(['paid', 'preparing', 'delivering']);

/** A delivery order's address, window, courier and times (the code only when asked for, while it is needed). */
export function deliveryInfoOf(o: OrderDoc, withCode = false): DeliveryInfoDto | undefined {
  const f = o.fulfilment as Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (f?.type !== 'delivery' || !f.address) return undefined;
  const info: DeliveryInfoDto = {
    address: { name: f.address.name, phone: f.address.phone, address: f.address.address, detail: f.address.detail ?? '', lat: f.address.lat, lng: f.address.lng },
    distanceM: f.distanceM ?? 0,
    when: { kind: f.when?.kind ?? 'asap', start: iso(f.when?.start) ?? '', end: iso(f.when?.end) ?? '', label: f.when?.label ?? '' },
    courier: f.courier ? { id: f.courier.id, nickname: f.courier.nickname ?? null } : null,
    outAt: iso(f.outAt),
    deliveredAt: iso(f.deliveredAt),
  };
  if (withCode) info.code = CODE_SHOWN.has(o.status) ? (f.code ?? null) : null;
  return info;
}

function fulfilmentOf(o: OrderDoc, withCode: boolean): FulfilmentDto {
  const type = o.fulfilment?.type ?? 'pickup';
  const delivery = deliveryInfoOf(o, withCode);
  return delivery ? { type, delivery } : { type };
}

/**
 * The owner's view of an order (internal fields such as the outbox and stock flags stay inside).
 * `deliveryCode` adds the delivery code for the shopper's own detail view; other views never carry it.
 */
export function toOrderDto(o: OrderDoc, voucher?: unknown, opts: { deliveryCode?: boolean } = {}): OrderDto {
  return {
    id: o._id,
    userId: o.userId,
    storeId: o.storeId,
    kind: o.kind,
    fulfilment: fulfilmentOf(o, !!opts.deliveryCode),
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
