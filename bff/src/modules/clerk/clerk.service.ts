import type { ClerkAuditQuery, ClerkOrderDto, ClerkOrdersQuery, VoucherAuditDto } from '@linli/contracts';
import type { Core } from '../../core.js';
import { assertStoreScope, type AuthUser } from '../../common/auth.js';
import { ConflictError, NotFoundError, ValidationError, isDuplicateKeyError } from '../../common/errors.js';
import { outboxEntry } from '../../common/outbox.js';
import { orderPort, type OrderRow } from '../voucher/order-port.js';
import { startOfStoreDay as storeDayStart } from '../../common/time.js';

/** A ready mark older than this on an order still not ready was left by a crashed request. */
const STALE_MARK_MS = 60_000;

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

/** The clerk workspace: the store's order queue, marking orders ready, the redemption audit. */
export function createClerkService(core: Core) {
  const orders = orderPort(core);

  async function nicknames(userIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(userIds)];
    if (ids.length === 0) return new Map();
    const users = await core.m.User.find({ _id: { $in: ids } }).lean();
    return new Map(users.map((u) => [u._id, u.nickname]));
  }

  return {
    /**
     * One page of the store's orders in a status, newest first, so today's orders come before older
     * ones; with items and the customer's nickname (one batched read of users).
     */
    async queue(user: AuthUser, q: ClerkOrdersQuery): Promise<{ orders: ClerkOrderDto[]; nextCursor: string | null }> {
      const storeId = storeOf(user, q.storeId);
      const after = decodeCursor(q.cursor);
      const base = { storeId, status: q.status };
      const filter = after ? { $and: [base, { $or: [{ createdAt: { $lt: after.at } }, { createdAt: after.at, _id: { $lt: after.id } }] }] } : base;
      const rows = (await core.m.Order.find(filter).sort({ createdAt: -1, _id: -1 }).limit(q.limit + 1).lean()) as OrderRow[];
      const page = rows.slice(0, q.limit);
      const names = await nicknames(page.map((o) => o.userId));
      const dayStart = startOfStoreDay(core.clock.now()).getTime();
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
    },

    /**
     * Marks an awaiting-pickup order of the clerk's store ready, once: one CAS update sets readyAt and
     * pushes the OrderReady outbox entry. 409 ALREADY_READY on a second call, 409 ORDER_NOT_AWAITING_PICKUP
     * for an order in another status.
     */
    async markReady(user: AuthUser, orderId: string): Promise<{ orderId: string; readyAt: string }> {
      const order = await orders.findById(orderId);
      if (!order) throw new NotFoundError('Order', 'ORDER_NOT_FOUND', { orderId });
      assertStoreScope(user, order.storeId);
      const now = core.clock.now();
      const store = await core.m.Store.findById(order.storeId).lean();
      const entry = outboxEntry(
        'OrderReady',
        order._id,
        order.userId,
        {
          orderId: order._id,
          storeName: store?.name ?? order.storeId,
          items: order.items.map((i) => `${i.title}×${i.qty}`).join('、').slice(0, 20),
          readyAt: now.toISOString(),
        },
        `pages/order-detail/index?id=${order._id}`,
        now,
      );
      const notAwaiting = (status: string | null) =>
        new ConflictError('ORDER_NOT_AWAITING_PICKUP', `The order is ${status ?? 'gone'}, not awaiting pickup`, { orderId, status });
      const alreadyReady = (at: Date) => new ConflictError('ALREADY_READY', 'The order was already marked ready', { orderId, readyAt: new Date(at).toISOString() });
      if (order.readyAt) throw alreadyReady(order.readyAt);
      if (order.status !== 'awaiting_pickup') throw notAwaiting(order.status);
      try {
        await core.m.ReadyMark.create({ _id: order._id, clerkId: user.id, at: now });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const mark = await core.m.ReadyMark.findById(order._id).lean();
        const fresh = await orders.findById(order._id);
        // A mark left by a BFF that died before updating the order is released once it is stale.
        if (mark && !fresh?.readyAt && fresh?.status === 'awaiting_pickup' && now.getTime() - mark.at.getTime() > STALE_MARK_MS) {
          await core.m.ReadyMark.deleteOne({ _id: order._id, clerkId: mark.clerkId, at: mark.at });
          return this.markReady(user, orderId);
        }
        throw alreadyReady(fresh?.readyAt ?? mark?.at ?? now);
      }
      const moved = await orders.update(order._id, { status: 'awaiting_pickup', readyAt: null }, { $set: { readyAt: now, updatedAt: now }, $push: { outbox: entry } });
      if (moved) return { orderId: order._id, readyAt: now.toISOString() };
      // The order left awaiting_pickup meanwhile: take the mark back.
      await core.m.ReadyMark.deleteOne({ _id: order._id, clerkId: user.id, at: now });
      const after = await orders.findById(order._id);
      if (after?.readyAt) throw alreadyReady(after.readyAt);
      throw notAwaiting(after?.status ?? null);
    },

    /** One page of the store's redemption attempts, newest first. */
    async audit(user: AuthUser, q: ClerkAuditQuery): Promise<{ attempts: VoucherAuditDto[]; nextCursor: string | null }> {
      const storeId = storeOf(user, q.storeId);
      const rows = await core.services.voucher.auditOf(storeId, q.limit + 1, decodeCursor(q.cursor));
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
    },
  };
}
export type ClerkService = ReturnType<typeof createClerkService>;

declare module '../../core.js' {
  interface Services {
    clerk: ClerkService;
  }
}
