import type { ClerkStoresResponse, ClerkSummaryResponse, VoucherPreviewResponse } from '@linli/contracts';
import { assertStoreScope, type AuthUser } from '../../common/auth.js';
import type { Clock } from '../../common/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../common/errors.js';
import { DEFAULT_STORE_TIME_ZONE, formatStoreTime, startOfStoreDay } from '../../common/time.js';
import type { OrderStatus } from '../order/order.state.js';
import type { Actor, OrderDoc } from '../order/order.types.js';
import { maskName } from '../member/scan-confirm.js';

/** The fields of an order today's summary reads. */
export interface SummaryOrder {
  status: string;
  amountCents: number;
  createdAt: Date;
  pickedUpAt?: Date | null;
  payment?: { paidAt?: Date | null } | null;
  refund?: { requestedAt?: Date | null } | null;
}

export interface ClerkDeskDeps {
  clock: Clock;
  stores(): Promise<{ id: string; name: string; openHours: string }[]>;
  preview(clerk: AuthUser, code: string): Promise<{ order: OrderDoc; expiresAt: Date; redeemable: boolean }>;
  customer(userId: string): Promise<{ nickname: string; phone: string | null }>;
  order(orderId: string): Promise<OrderDoc | null>;
  /** Orders of a store touched since `since` (placed, paid, collected or refund asked), and the count waiting now. */
  storeDay(storeId: string, since: Date): Promise<{ orders: SummaryOrder[]; waiting: number }>;
  refund(orderId: string, reason: string, opts: { actor: Actor; onlyFrom: OrderStatus[] }): Promise<OrderDoc>;
}

/** Orders a store may still refuse to fulfil (缺货/无法履约): paid and not handed over. */
const UNFULFILLABLE_FROM: OrderStatus[] = ['paid', 'awaiting_pickup', 'preparing', 'refund_requested'];
const REFUNDS: ReadonlySet<string> = new Set(['refunding', 'refunded']);

/** The store the clerk asks about: the named one (403 WRONG_STORE unless theirs), or their only store. */
export function storeOf(user: AuthUser, storeId: string | undefined): string {
  if (storeId) {
    assertStoreScope(user, storeId);
    return storeId;
  }
  if (user.storeIds.length === 1) return user.storeIds[0];
  throw new ValidationError('storeId is required', { issues: [{ path: 'storeId', message: 'name the store' }] });
}

/** The clerk workspace's store switcher, voucher preview, today's summary and 缺货 refunds. */
export class ClerkDesk {
  constructor(private readonly d: ClerkDeskDeps) {}

  /** The stores the caller works for (every store for an admin). */
  async stores(user: AuthUser): Promise<ClerkStoresResponse> {
    const all = await this.d.stores();
    const mine = user.roles.includes('admin') ? all : all.filter((s) => user.storeIds.includes(s.id));
    return { stores: mine.map((s) => ({ id: s.id, name: s.name, openHours: s.openHours })) };
  }

  /** What a code would redeem (items, masked customer, order time), redeeming nothing. */
  async previewVoucher(clerk: AuthUser, code: string): Promise<VoucherPreviewResponse> {
    const { order, expiresAt, redeemable } = await this.d.preview(clerk, code);
    const who = await this.d.customer(order.userId);
    return {
      order: {
        id: order._id,
        storeId: order.storeId,
        status: order.status,
        amountCents: order.amountCents,
        items: order.items.map((i) => ({ productId: i.productId, title: i.title, qty: i.qty, unitPriceCents: i.unitPriceCents })),
        customer: { nickname: maskName(who.nickname), phone: who.phone },
        createdAt: new Date(order.createdAt).toISOString(),
      },
      redeemable,
      expiresAt: expiresAt.toISOString(),
    };
  }

  /**
   * Today at the store, in its zone: orders placed and paid, collected, waiting now, refunds asked,
   * and revenue (paid today, less what of it is refunded).
   */
  async summary(user: AuthUser, storeIdAsked: string | undefined): Promise<ClerkSummaryResponse> {
    const storeId = storeOf(user, storeIdAsked);
    const now = this.d.clock.now();
    const start = startOfStoreDay(now);
    const since = (d: Date | null | undefined) => !!d && new Date(d).getTime() >= start.getTime();
    const { orders, waiting } = await this.d.storeDay(storeId, start);
    let placed = 0;
    let collected = 0;
    let refunds = 0;
    let revenueCents = 0;
    for (const o of orders) {
      const paidToday = since(o.payment?.paidAt);
      if (since(o.createdAt) && o.payment?.paidAt) placed++;
      if (o.status === 'picked_up' && since(o.pickedUpAt)) collected++;
      if (REFUNDS.has(o.status) && since(o.refund?.requestedAt)) refunds++;
      if (paidToday && !REFUNDS.has(o.status)) revenueCents += o.amountCents;
    }
    return {
      storeId,
      day: formatStoreTime(now, 'YYYY-MM-DD'),
      dayStart: start.toISOString(),
      timeZone: DEFAULT_STORE_TIME_ZONE,
      orders: placed,
      collected,
      waiting,
      refunds,
      revenueCents,
    };
  }

  /**
   * 缺货/无法履约: the store cannot fulfil a paid order, so it is refunded with the clerk's reason: ONE
   * compare-and-set through the state machine (→ refunding, by the payment module's refund), the stock
   * coming back when the refund completes, as for every refund. 404 for an unknown order, 403
   * WRONG_STORE for another store's, 409 ORDER_NOT_FULFILLABLE once collected, cancelled or refunded.
   */
  async outOfStock(clerk: AuthUser, orderId: string, reason: string): Promise<OrderDoc> {
    const order = await this.d.order(orderId);
    if (!order || order.abandoned) throw new NotFoundError('Order', 'ORDER_NOT_FOUND', { orderId });
    assertStoreScope(clerk, order.storeId);
    if (!UNFULFILLABLE_FROM.includes(order.status)) {
      throw new ConflictError('ORDER_NOT_FULFILLABLE', `An order that is ${order.status} cannot be refunded as out of stock`, { orderId, status: order.status });
    }
    try {
      return await this.d.refund(orderId, `缺货/无法履约：${reason}`, { actor: { type: 'clerk', id: clerk.id }, onlyFrom: UNFULFILLABLE_FROM });
    } catch (err) {
      if (err instanceof ConflictError && err.code === 'ORDER_STATE') {
        const now = await this.d.order(orderId);
        throw new ConflictError('ORDER_NOT_FULFILLABLE', `An order that is ${now?.status ?? 'gone'} cannot be refunded as out of stock`, { orderId, status: now?.status ?? null });
      }
      throw err;
    }
  }
}
