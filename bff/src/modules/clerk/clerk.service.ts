import type { ClerkAuditQuery, ClerkOrderDto, ClerkOrdersQuery, VoucherAuditDto } from '@linli/contracts';
import { assertStoreScope, type AuthUser } from '../../common/auth.js';
import type { Clock } from '../../common/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../common/errors.js';
import { outboxEntry } from '../../common/outbox.js';
import type { OrderService } from '../order/order.service.js';
import type { VoucherService } from '../voucher/voucher.service.js';
import { startOfStoreDay as storeDayStart } from '../../common/time.js';

/** Midnight that starts the store's day containing `now`, in the store's zone (common/time.ts). */
function startOfStoreDay(now: Date): Date {
  return storeDayStart(now);
}

/** Opaque page cursor: `<epochMs>:<id>` in base64url. */
function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.getTime()}:${id}`).toString('base64url');
}
function decodeCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const m = /^(\d{1,15}):([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new ValidationError('Invalid cursor', { issues: [{ path: 'cursor', message: 'not a cursor' }] });
  return { at: new Date(Number(m[1])), id: m[2] };
}

/**
 * The store the clerk asks about: the given one (403 WRONG_STORE unless the clerk acts for it), or the
 * clerk's only store. A clerk of several stores (or an admin) must name one.
 */
function storeOf(user: AuthUser, storeId: string | undefined): string {
  if (storeId) {
    assertStoreScope(user, storeId);
    return storeId;
  }
  if (user.storeIds.length === 1) return user.storeIds[0];
  throw new ValidationError('storeId is required', { issues: [{ path: 'storeId', message: 'name the store' }] });
}

export interface ClerkServiceDeps {
  clock: Clock;
  orders: OrderService;
  vouchers: VoucherService;
  storeName(storeId: string): Promise<string | null>;
  nicknames(userIds: string[]): Promise<Map<string, string>>;
}

/** The clerk workspace: the store's order queue, marking orders ready, the redemption audit. */
export class ClerkService {
  constructor(private readonly d: ClerkServiceDeps) {}

  /**
   * One page of the store's orders in a status, newest first, so today's orders come before older
   * ones; with items and the customer's nickname (one batched read of users).
   */
  async queue(user: AuthUser, q: ClerkOrdersQuery): Promise<{ orders: ClerkOrderDto[]; nextCursor: string | null }> {
    const storeId = storeOf(user, q.storeId);
    const rows = await this.d.orders.listForStore(storeId, q.status, q.limit + 1, decodeCursor(q.cursor));
    const page = rows.slice(0, q.limit);
    const names = await this.d.nicknames(page.map((o) => o.userId));
    const dayStart = startOfStoreDay(this.d.clock.now()).getTime();
    const last = page[page.length - 1];
    return {
      orders: page.map((o) => ({
        id: o._id,
        storeId: o.storeId,
        status: o.status,
        amountCents: o.amountCents,
        items: (o.items ?? []).map((i) => ({ productId: i.productId, title: i.title, image: i.image, qty: i.qty, unitPriceCents: i.unitPriceCents })),
        customer: { id: o.userId, nickname: names.get(o.userId) ?? null },
        createdAt: new Date(o.createdAt).toISOString(),
        today: new Date(o.createdAt).getTime() >= dayStart,
        readyAt: o.readyAt ? new Date(o.readyAt).toISOString() : null,
        pickedUpAt: o.pickedUpAt ? new Date(o.pickedUpAt).toISOString() : null,
      })),
      nextCursor: rows.length > q.limit && last ? encodeCursor(new Date(last.createdAt), last._id) : null,
    };
  }

  /**
   * Marks an awaiting-pickup order of the clerk's store ready, once: ONE update guarded by
   * `{status: awaiting_pickup, readyAt: null}` sets readyAt and pushes the OrderReady outbox entry.
   * 409 ALREADY_READY on a second call, 409 ORDER_NOT_AWAITING_PICKUP for an order in another status.
   */
  async markReady(user: AuthUser, orderId: string): Promise<{ orderId: string; readyAt: string }> {
    const order = await this.d.orders.get(orderId);
    if (!order || order.abandoned) throw new NotFoundError('Order', 'ORDER_NOT_FOUND', { orderId });
    assertStoreScope(user, order.storeId);
    const now = this.d.clock.now();
    const notAwaiting = (status: string | null) =>
      new ConflictError('ORDER_NOT_AWAITING_PICKUP', `The order is ${status ?? 'gone'}, not awaiting pickup`, { orderId, status });
    const alreadyReady = (at: Date) => new ConflictError('ALREADY_READY', 'The order was already marked ready', { orderId, readyAt: new Date(at).toISOString() });
    if (order.readyAt) throw alreadyReady(order.readyAt);
    if (order.status !== 'awaiting_pickup') throw notAwaiting(order.status);
    const entry = outboxEntry(
      'OrderReady',
      order._id,
      order.userId,
      {
        orderId: order._id,
        storeName: (await this.d.storeName(order.storeId)) ?? order.storeId,
        items: order.items.map((i) => `${i.title}×${i.qty}`).join('、').slice(0, 20),
        readyAt: now.toISOString(),
      },
      `pages/order-detail/index?id=${order._id}`,
      now,
    );
    if (await this.d.orders.update(order._id, { status: 'awaiting_pickup', readyAt: null }, { $set: { readyAt: now, updatedAt: now }, $push: { outbox: entry } })) {
      return { orderId: order._id, readyAt: now.toISOString() };
    }
    const after = await this.d.orders.mustGet(order._id);
    if (after.readyAt) throw alreadyReady(after.readyAt);
    throw notAwaiting(after.status);
  }

  /** One page of the store's redemption attempts, newest first. */
  async audit(user: AuthUser, q: ClerkAuditQuery): Promise<{ attempts: VoucherAuditDto[]; nextCursor: string | null }> {
    const storeId = storeOf(user, q.storeId);
    const rows = await this.d.vouchers.auditOf(storeId, q.limit + 1, decodeCursor(q.cursor));
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      attempts: page.map((a) => ({
        id: String(a._id),
        at: a.at.toISOString(),
        clerkId: a.clerkId,
        storeId: a.storeId ?? null,
        clerkStoreIds: a.clerkStoreIds,
        outcome: a.outcome as VoucherAuditDto['outcome'],
        orderId: a.orderId ?? null,
        codeFingerprint: a.codeFingerprint,
      })),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.at, String(last._id)) : null,
    };
  }
}
