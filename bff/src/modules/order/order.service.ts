import { createHash, randomBytes } from 'node:crypto';
import type { Core } from '../../core.js';
import { AppError, ConflictError, NotFoundError, isDuplicateKeyError } from '../../common/errors.js';
import type { PaymentParams } from '../payment/payment.provider.js';
import { assertTransition, type OrderStatus } from './order.state.js';
import { peers } from './order.peers.js';
import { createKeyedLock } from './order.lock.js';
import { holdTag, invId, release, reserve, rowsWithHolds, settleHolds, unreserve, wasReclaimed } from './order.stock.js';
import type { Actor, OrderDoc, OrderItem, TransitionExtra } from './order.types.js';

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** `o_` + 16 random base32 characters (80 bits): not guessable, not enumerable. */
export function newOrderId(): string {
  const bytes = randomBytes(16);
  let s = 'o_';
  for (let i = 0; i < 16; i++) s += B32[bytes[i] & 31];
  return s;
}

/** 409 OUT_OF_STOCK: not enough stock for one of the items; nothing was taken. */
export class OutOfStockError extends ConflictError {
  constructor(productId: string) {
    super('OUT_OF_STOCK', 'Not enough stock for this product', { productId });
  }
}

export interface CreateOrderInput {
  userId: string;
  storeId: string;
  items: { productId: string; qty: number }[];
  idempotencyKey?: string;
  kind?: 'normal' | 'group';
  groupId?: string;
  dealId?: string;
  shareId?: string;
  /** Group deals: the unit price the deal fixes (instead of the store's price). */
  unitPriceOverrideCents?: number;
  /** Pay deadline in minutes (15 for normal orders; group holds pass their own). */
  payWithinMinutes?: number;
}

const DEFAULT_PAY_MINUTES = 15;
/** How long an idempotent replay waits for the first request to finish its order. */
const REPLAY_WAIT_MS = 30_000;
/** A key whose order never appeared this long after it was taken belongs to a crashed request. */
const ABANDONED_KEY_MS = 2 * 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Orders: creation with priced, reserved stock; moves along the state machine; cancellation that
 * gives stock back exactly once.
 */
export function createOrderService(core: Core) {
  const { m } = core;
  const lock = createKeyedLock(m);

  /**
   * Any other write to an order, under the order's lease (FerretDB rewrites the whole document on
   * every update, so unlocked writes could undo each other). True when the filter matched and it changed.
   */
  async function update(orderId: string, filter: Record<string, unknown>, change: Record<string, unknown>): Promise<boolean> {
    return lock(`order:${orderId}`, async () => {
      // Read, then write by _id: under the lease nothing can come between (and FerretDB scans on
      // an update whose filter matches nothing, while a find by _id is an index lookup).
      if (!(await m.Order.exists({ ...filter, _id: orderId }))) return false;
      const r = await m.Order.updateOne({ _id: orderId }, change);
      return r.modifiedCount === 1;
    });
  }

  /**
   * Moves an order `from → to` if (and only if) it is still in `from`: one update whose filter is
   * `{_id, status: from}` and which appends the history entry. Returns whether this call made the move.
   */
  async function transition(orderId: string, from: OrderStatus, to: OrderStatus, actor: Actor, reason: string, extra: TransitionExtra = {}): Promise<boolean> {
    assertTransition(from, to);
    const now = core.clock.now();
    return update(
      orderId,
      { status: from },
      {
        $set: { ...extra.set, status: to, updatedAt: now },
        $push: { ...extra.push, history: { from, to, at: now, actor, reason } },
      },
    );
  }

  async function get(orderId: string): Promise<OrderDoc | null> {
    return (await m.Order.findById(orderId).lean()) as OrderDoc | null;
  }

  async function mustGet(orderId: string): Promise<OrderDoc> {
    const o = await get(orderId);
    if (!o) throw new NotFoundError('Order', 'ORDER_NOT_FOUND', { orderId });
    return o;
  }

  /** Prices every line from the store's inventory (member price for members) and builds the order. */
  async function priceOrder(input: CreateOrderInput, orderId: string): Promise<OrderDoc> {
    await core.services.store.get(input.storeId);
    const ids = input.items.map((i) => invId(input.storeId, i.productId));
    // One lookup by _id per line: the embedded database pushes `_id` equality down, not `$in`.
    const [invs, products, member] = await Promise.all([
      Promise.all(ids.map((id) => m.Inventory.findById(id).lean())).then((rows) => rows.filter((r) => r !== null)),
      Promise.all(input.items.map((i) => m.Product.findById(i.productId).lean())).then((rows) => rows.filter((r) => r !== null)),
      input.unitPriceOverrideCents === undefined ? peers(core).member?.isMember(input.userId) : Promise.resolve(false),
    ]);
    const items: OrderItem[] = input.items.map((i) => {
      const row = invs.find((x) => x._id === invId(input.storeId, i.productId));
      const product = products.find((p) => p._id === i.productId);
      if (!row || !row.active || !product || !product.active) {
        throw new NotFoundError('Product', 'PRODUCT_NOT_FOUND', { productId: i.productId, storeId: input.storeId });
      }
      // Fast refusal without touching the row; the conditional decrement is what really decides.
      if (row.stock < i.qty) throw new OutOfStockError(i.productId);
      const unit = input.unitPriceOverrideCents ?? (member ? row.memberPriceCents : row.priceCents);
      return { productId: i.productId, title: product.title, image: product.image, qty: i.qty, unitPriceCents: unit };
    });
    const now = core.clock.now();
    const actor: Actor = { type: 'user', id: input.userId };
    return {
      _id: orderId,
      userId: input.userId,
      storeId: input.storeId,
      kind: input.kind ?? 'normal',
      groupId: input.groupId ?? null,
      dealId: input.dealId ?? null,
      shareId: input.shareId ?? null,
      items,
      amountCents: items.reduce((sum, i) => sum + i.qty * i.unitPriceCents, 0),
      status: 'pending_payment',
      history: [{ from: null, to: 'pending_payment', at: now, actor, reason: 'order placed' }],
      payment: { prepayId: null, transactionId: null, paidAt: null, amountCents: null },
      refund: { outRefundNo: null, status: null, requestedAt: null, completedAt: null, reason: null },
      payBy: new Date(now.getTime() + (input.payWithinMinutes ?? DEFAULT_PAY_MINUTES) * 60_000),
      readyAt: null,
      pickedUpAt: null,
      stockReleasedAt: null,
      voucherEnsuredAt: null,
      outbox: [],
      createdAt: now,
      updatedAt: now,
    };
  }

  /**
   * Reserves every line of a priced order (conditional decrements, each tagged with a hold) and
   * inserts the order; on a line that cannot be had, gives back what was taken and throws 409.
   * A crash in between leaves tagged holds that the reconciler finishes (`recoverHolds`).
   */
  async function reserveAndInsert(doc: OrderDoc): Promise<void> {
    const tags = doc.items.map((i) => ({ id: invId(doc.storeId, i.productId), tag: holdTag(doc._id, i.qty, doc.createdAt), qty: i.qty }));
    const taken: typeof tags = [];
    for (const [n, h] of tags.entries()) {
      if (await reserve(m, lock, h.id, h.tag, h.qty)) {
        taken.push(h);
        continue;
      }
      await Promise.all(taken.map((x) => unreserve(m, lock, x.id, x.tag, x.qty)));
      throw new OutOfStockError(doc.items[n].productId);
    }
    await m.Order.collection.insertOne(doc as never);
    const reclaimed = await Promise.all(tags.map((h) => wasReclaimed(m, h.id, h.tag, doc._id)));
    if (reclaimed.some(Boolean)) {
      // The reconciler judged this request dead and took a hold back: the order is not backed by stock.
      await cancel(doc._id, { type: 'system', id: 'order' }, 'reservation expired before the order was saved');
      throw new AppError(503, 'ORDER_ABANDONED', 'The order took too long and was abandoned; please try again');
    }
  }

  /**
   * Settles hold tags older than `staleBefore`: the order exists → drop the tag; it does not (a
   * request crashed between decrement and insert) → give the stock back, at most once. For the sweep.
   */
  async function recoverHolds(staleBefore: Date): Promise<{ cleared: number; reclaimed: number }> {
    const out = { cleared: 0, reclaimed: 0 };
    const exists = async (ids: string[]) => new Set((await m.Order.find({ _id: { $in: ids } }, { _id: 1 }).lean()).map((o) => String(o._id)));
    for (const id of await rowsWithHolds(m, 500)) {
      const r = await settleHolds(m, lock, id, staleBefore.getTime(), exists);
      out.cleared += r.cleared;
      out.reclaimed += r.reclaimed;
    }
    return out;
  }

  /** Creates a priced order (stock reserved) and its prepay; on a prepay failure the order is cancelled. */
  async function createFresh(input: CreateOrderInput, orderId: string): Promise<{ order: OrderDoc; payment: PaymentParams }> {
    const doc = await priceOrder(input, orderId);
    await reserveAndInsert(doc);
    try {
      const payment = await core.services.payment.prepare(doc);
      return { order: (await get(orderId)) ?? doc, payment };
    } catch (err) {
      await cancel(orderId, { type: 'system', id: 'order' }, 'payment could not be prepared').catch(() => {});
      throw err;
    }
  }

  function requestHash(input: CreateOrderInput): string {
    const items = [...input.items].sort((a, b) => a.productId.localeCompare(b.productId)).map((i) => [i.productId, i.qty]);
    const what = [input.storeId, items, input.kind ?? 'normal', input.groupId ?? null, input.dealId ?? null];
    return createHash('sha256').update(JSON.stringify(what)).digest('base64url');
  }

  /** Waits for the order a key names; null when the key was given up (its request failed or died). */
  async function awaitKeyedOrder(keyId: string, orderId: string): Promise<OrderDoc | null> {
    const until = Date.now() + REPLAY_WAIT_MS;
    while (Date.now() < until) {
      const order = await get(orderId);
      if (order) return order;
      const key = await m.OrderKey.findById(keyId).lean();
      if (!key || key.orderId !== orderId) return null;
      const age = core.clock.now().getTime() - new Date(key.createdAt).getTime();
      if (age > ABANDONED_KEY_MS) {
        await m.OrderKey.deleteOne({ _id: keyId, orderId });
        return null;
      }
      await sleep(50);
    }
    throw new ConflictError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed');
  }

  async function createWithKey(input: CreateOrderInput & { idempotencyKey: string }) {
    const keyId = `${input.userId}:${input.idempotencyKey}`;
    const hash = requestHash(input);
    for (let attempt = 0; attempt < 5; attempt++) {
      const orderId = newOrderId();
      try {
        await m.OrderKey.create({ _id: keyId, orderId, requestHash: hash, createdAt: core.clock.now() });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const key = await m.OrderKey.findById(keyId).lean();
        if (!key) continue;
        if (key.requestHash !== hash) {
          throw new ConflictError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different order');
        }
        const order = await awaitKeyedOrder(keyId, key.orderId);
        if (order) return { order, payment: await core.services.payment.paramsFor(order) };
        continue;
      }
      try {
        return await createFresh(input, orderId);
      } catch (err) {
        // A failed request leaves no order behind, so its key is free for a retry.
        if (!(await get(orderId))) await m.OrderKey.deleteOne({ _id: keyId, orderId });
        throw err;
      }
    }
    throw new ConflictError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed');
  }

  /**
   * Gives an ended order's stock back: each line at most once ever (guarded per inventory row),
   * then marks the order so the reconciler stops looking at it. Safe to call any number of times.
   */
  async function releaseStock(order: OrderDoc): Promise<void> {
    if (order.stockReleasedAt || order.pickedUpAt) return;
    await Promise.all(order.items.map((i) => release(m, lock, invId(order.storeId, i.productId), order._id, i.qty)));
    await update(order._id, { stockReleasedAt: null }, { $set: { stockReleasedAt: core.clock.now() } });
  }

  /**
   * Cancels an unpaid order (user, or the reconciler after the pay deadline). Returns true only for
   * the call that made the move; the stock comes back exactly once either way.
   */
  async function cancel(orderId: string, actor: Actor, reason: string): Promise<boolean> {
    const moved = await transition(orderId, 'pending_payment', 'cancelled', actor, reason);
    if (!moved) return false;
    const order = await get(orderId);
    if (order) {
      await releaseStock(order);
      if (order.kind === 'group') await peers(core).groupbuy?.onOrderCancelled(order);
    }
    return true;
  }

  return {
    transition,
    update,
    /** The per-key lease, for other writers of the same documents. */
    lock,
    get,
    mustGet,
    releaseStock,
    cancel,
    recoverHolds,

    /**
     * Creates an order priced from the store's catalog (member price for members; a group deal may
     * fix the unit price) with its stock reserved by conditional decrements, plus its prepay.
     * 409 OUT_OF_STOCK when any line cannot be reserved (nothing stays taken). With an
     * idempotency key, every call with the same (user, key) answers the same order.
     */
    async create(input: CreateOrderInput): Promise<{ order: OrderDoc; payment: PaymentParams }> {
      if (input.idempotencyKey) return createWithKey({ ...input, idempotencyKey: input.idempotencyKey });
      return createFresh(input, newOrderId());
    },

    /** A page of the user's orders, newest first. */
    async listForUser(userId: string, q: { status?: OrderStatus; cursor?: string; limit: number }) {
      const filter: Record<string, unknown> = { userId };
      if (q.status) filter.status = q.status;
      if (q.cursor) {
        const c = decodeCursor(q.cursor);
        filter.$or = [{ createdAt: { $lt: c.at } }, { createdAt: c.at, _id: { $lt: c.id } }];
      }
      const docs = (await m.Order.find(filter).sort({ createdAt: -1, _id: -1 }).limit(q.limit + 1).lean()) as OrderDoc[];
      const page = docs.slice(0, q.limit);
      const last = page[page.length - 1];
      return { orders: page, nextCursor: docs.length > q.limit && last ? encodeCursor(last) : null };
    },
  };
}
export type OrderService = ReturnType<typeof createOrderService>;

function encodeCursor(o: OrderDoc): string {
  return Buffer.from(`${new Date(o.createdAt).getTime()}|${o._id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [ms, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!/^\d{1,15}$/.test(ms ?? '') || !/^o_[a-z2-7]{16}$/.test(id ?? '')) throw new AppError(400, 'BAD_CURSOR', 'Invalid cursor');
  return { at: new Date(Number(ms)), id };
}

declare module '../../core.js' {
  interface Services {
    order: OrderService;
  }
}
