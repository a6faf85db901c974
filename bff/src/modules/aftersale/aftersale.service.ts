import type { ClerkRefundDto, ClerkRefundsQuery } from '@linli/contracts';
import { assertStoreScope, type AuthUser } from '../../common/auth.js';
import type { Clock } from '../../common/clock.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../common/errors.js';
import type { OrderService } from '../order/order.service.js';
import type { OrderStatus } from '../order/order.state.js';
import type { Actor, OrderDoc } from '../order/order.types.js';

/** Where a shopper may ask for a refund, and what the store then decides about. */
const REVIEWED_FROM: ReadonlySet<OrderStatus> = new Set(['awaiting_pickup', 'preparing']);
/** A group not yet formed handed nothing over: its refund needs no review. */
const AT_ONCE_FROM: ReadonlySet<OrderStatus> = new Set(['grouping']);
/** The shopper's wish already holds: asking again answers the order as it is. */
const ALREADY: ReadonlySet<OrderStatus> = new Set(['refund_requested', 'refunding', 'refunded']);

const APPROVED = 'refund approved by the store';

/** 409 REFUND_NOT_ALLOWED: the order is not paid, or already collected or on its way. */
export class RefundNotAllowedError extends ConflictError {
  constructor(orderId: string, status: string) {
    super('REFUND_NOT_ALLOWED', `A refund cannot be asked for an order that is ${status}`, { orderId, status });
  }
}

/** 409 REFUND_NOT_REQUESTED: no refund of this order waits for the store (none asked, or already decided). */
export class RefundNotRequestedError extends ConflictError {
  constructor(orderId: string, status: string) {
    super('REFUND_NOT_REQUESTED', `No refund of this order waits for a decision (it is ${status})`, { orderId, status });
  }
}

export interface AfterSaleDeps {
  clock: Clock;
  orders: OrderService;
  /** The payment module's one refund of an order (`payments.refund`). */
  refund(orderId: string, reason: string, opts: { actor: Actor; onlyFrom: OrderStatus[] }): Promise<OrderDoc>;
  /** A refunded member of a group still open gives the seat back (the group module). */
  releaseSeat(order: OrderDoc): Promise<unknown>;
  nicknames(userIds: string[]): Promise<Map<string, string>>;
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

function encodeCursor(o: OrderDoc): string {
  return Buffer.from(`${new Date(o.createdAt).getTime()}:${o._id}`).toString('base64url');
}
function decodeCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const m = /^(\d{1,15}):(o_[a-z2-7]{16})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new ValidationError('Invalid cursor', { issues: [{ path: 'cursor', message: 'not a cursor' }] });
  return { at: new Date(Number(m[1])), id: m[2] };
}

/** The store the clerk asks about: the named one (403 unless theirs), or their only store. */
function storeOf(user: AuthUser, storeId: string | undefined): string {
  if (storeId) {
    assertStoreScope(user, storeId);
    return storeId;
  }
  if (user.storeIds.length === 1) return user.storeIds[0];
  throw new ValidationError('storeId is required', { issues: [{ path: 'storeId', message: 'name the store' }] });
}

/** The store approved this order's refund (it left refund_requested for refunding). */
function wasApproved(o: OrderDoc): boolean {
  return (o.status === 'refunding' || o.status === 'refunded') && o.history.some((h) => h.from === 'refund_requested' && h.to === 'refunding');
}

/**
 * After-sale: a shopper asks for the refund of a paid order not yet collected; the store approves
 * (the payment module refunds it once: stock back once, the voucher dead because the order no longer
 * awaits pickup, a RefundCompleted message) or refuses with a reason (the order goes back to exactly
 * where it was). Every decision is ONE compare-and-set on the order's status, recorded in its history
 * with who made it, so racing taps, clerks and sweeps decide once.
 */
export class AfterSaleService {
  constructor(private readonly d: AfterSaleDeps) {}

  private async load(orderId: string): Promise<OrderDoc> {
    const o = await this.d.orders.get(orderId);
    if (!o || o.abandoned) throw new NotFoundError('Order', 'ORDER_NOT_FOUND', { orderId });
    return o;
  }

  /**
   * The shopper's refund request. An order awaiting pickup (or being prepared) moves to
   * `refund_requested` with the reason and where it was (`refund.returnTo`), in one CAS; a group
   * order whose group is not formed yet is refunded at once and its seat freed. Asking again, or for
   * an order already refunding, answers the order as it is. 409 REFUND_NOT_ALLOWED otherwise.
   */
  async request(userId: string, orderId: string, reason: string): Promise<OrderDoc> {
    let order = await this.load(orderId);
    if (order.userId !== userId) throw new NotFoundError('Order', 'ORDER_NOT_FOUND', { orderId });
    const actor: Actor = { type: 'user', id: userId };
    for (let attempt = 0; attempt < 5; attempt++) {
      const from = order.status;
      if (ALREADY.has(from)) return order;
      if (REVIEWED_FROM.has(from)) {
        const set = {
          'refund.requestedAt': this.d.clock.now(),
          'refund.reason': reason,
          'refund.returnTo': from,
          'refund.refusedAt': null,
          'refund.refusedReason': null,
        };
        if (await this.d.orders.move(order, [from, 'refund_requested'], actor, reason, { set })) return this.d.orders.mustGet(orderId);
      } else if (AT_ONCE_FROM.has(from)) {
        try {
          const refunded = await this.d.refund(orderId, reason, { actor, onlyFrom: [from] });
          await this.d.releaseSeat(refunded);
          return (await this.d.orders.get(orderId)) ?? refunded;
        } catch (err) {
          if (!(err instanceof AppError && err.code === 'ORDER_STATE')) throw err;
        }
      } else {
        throw new RefundNotAllowedError(orderId, from);
      }
      order = await this.d.orders.mustGet(orderId); // lost a race: see what it is now
    }
    throw new ConflictError('ORDER_BUSY', 'The order changed while asking for the refund; try again', { orderId });
  }

  /**
   * The store approves a requested refund: the payment module refunds it once (CAS refund_requested →
   * refunding, one outRefundNo). Approving again answers the same refund; an order whose refund was
   * refused (or never asked) is 409 REFUND_NOT_REQUESTED and refunds nothing. 403 for another store.
   */
  async approve(clerk: AuthUser, orderId: string): Promise<OrderDoc> {
    const order = await this.load(orderId);
    assertStoreScope(clerk, order.storeId);
    if (order.status !== 'refund_requested') {
      if (wasApproved(order)) return order;
      throw new RefundNotRequestedError(orderId, order.status);
    }
    try {
      return await this.d.refund(orderId, APPROVED, { actor: { type: 'clerk', id: clerk.id }, onlyFrom: ['refund_requested'] });
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'ORDER_STATE')) throw err;
      const now = await this.d.orders.mustGet(orderId);
      if (wasApproved(now)) return now;
      throw new RefundNotRequestedError(orderId, now.status);
    }
  }

  /**
   * The store refuses a requested refund, saying why: the order goes back to `refund.returnTo` (the
   * state machine's guard checks it is exactly that), in one CAS that records the refusal. 409
   * REFUND_NOT_REQUESTED when no refund waits (decided already, or never asked). 403 for another store.
   */
  async refuse(clerk: AuthUser, orderId: string, reason: string): Promise<OrderDoc> {
    const order = await this.load(orderId);
    assertStoreScope(clerk, order.storeId);
    const back = order.refund?.returnTo;
    if (order.status !== 'refund_requested' || !back) throw new RefundNotRequestedError(orderId, order.status);
    const set = {
      'refund.requestedAt': null,
      'refund.reason': null,
      'refund.returnTo': null,
      'refund.refusedAt': this.d.clock.now(),
      'refund.refusedReason': reason,
    };
    if (await this.d.orders.move(order, ['refund_requested', back], { type: 'clerk', id: clerk.id }, reason, { set })) return this.d.orders.mustGet(orderId);
    const now = await this.d.orders.mustGet(orderId);
    throw new RefundNotRequestedError(orderId, now.status);
  }

  /** One page of the store's refunds waiting for a decision, newest first, with who asked and why. */
  async pending(clerk: AuthUser, q: ClerkRefundsQuery): Promise<{ refunds: ClerkRefundDto[]; nextCursor: string | null }> {
    const storeId = storeOf(clerk, q.storeId);
    const rows = await this.d.orders.listForStore(storeId, 'refund_requested', q.limit + 1, decodeCursor(q.cursor));
    const page = rows.slice(0, q.limit);
    const names = await this.d.nicknames([...new Set(page.map((o) => o.userId))]);
    const last = page[page.length - 1];
    return {
      refunds: page.map((o) => ({
        orderId: o._id,
        storeId: o.storeId,
        kind: o.kind,
        amountCents: o.amountCents,
        items: o.items.map((i) => ({ productId: i.productId, title: i.title, image: i.image, qty: i.qty, unitPriceCents: i.unitPriceCents })),
        customer: { id: o.userId, nickname: names.get(o.userId) ?? null },
        reason: o.refund?.reason ?? '',
        requestedAt: iso(o.refund?.requestedAt) ?? iso(o.updatedAt)!,
        returnTo: o.refund?.returnTo ?? 'awaiting_pickup',
        readyAt: iso(o.readyAt),
        createdAt: iso(o.createdAt)!,
      })),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null,
    };
  }
}
