import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../../common/clock.js';
import { assertClientWaiting } from '../../common/deadline.js';
import { AppError, BusinessRuleError, ConflictError, NotFoundError, isDuplicateKeyError } from '../../common/errors.js';
import type { DomainEvents } from '../../common/events.js';
import type { Logger } from '../../common/logger.js';
import type { ShelfStock } from '../catalog/stock.js';
import type { PaymentParams } from '../payment/payment.provider.js';
import type { CheckoutPromotionsDto, LineProblem } from '@linli/contracts';
import { POINTS_CENTS_EACH, priceOrder, type PriceContext, type PriceLineInput, type PricedOrder } from '../pricing/pricing.js';
import { OrderCancelled } from './order.events.js';
import type { OrderModels } from './order.model.js';
import { assertPath, type OrderStatus } from './order.state.js';
import type { Actor, Fulfilment, OrderDoc, TransitionExtra } from './order.types.js';
import type { FulfilmentChoice } from '@linli/contracts';
import type { DeliveryRules } from '../pricing/delivery-fee.js';
import { meetsDeliveryMinimum } from '../pricing/delivery-fee.js';
import { newDeliveryCode } from '../delivery/delivery.code.js';
import { DeliveryMinimumError } from '../delivery/delivery.errors.js';

/** A delivery choice of a normal order (the delivery module decides its fulfilment and fee rules). */
export type DeliveryChoice = Extract<FulfilmentChoice, { type: 'delivery' }>;

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';
const toOrderId = (bytes: Buffer) => {
  let s = 'o_';
  for (let i = 0; i < 16; i++) s += B32[bytes[i] & 31];
  return s;
};
/** `o_` + 16 random base32 characters (80 bits): not guessable, not enumerable. */
export function newOrderId(): string {
  return toOrderId(randomBytes(16));
}

/** 409 OUT_OF_STOCK: not enough stock for one of the items; nothing was taken. */
export class OutOfStockError extends ConflictError {
  constructor(productId: string) {
    super('OUT_OF_STOCK', 'Not enough stock for this product', { productId });
  }
}

/** 409 LIMIT_REACHED: the order's `limitKey` is taken (a per-user deal seat); the caller names it. */
export class LimitKeyTakenError extends ConflictError {
  constructor(readonly limitKey: string) {
    super('LIMIT_REACHED', 'You have already used this offer', { limitKey });
  }
}

/** 409 TOO_MANY_UNPAID_ORDERS: every unpaid-order slot of the user is taken (issue 18, hole 6); nothing was taken. */
export class TooManyUnpaidOrdersError extends ConflictError {
  constructor(limit: number) {
    super('TOO_MANY_UNPAID_ORDERS', `You have ${limit} unpaid orders; pay or cancel one first`, { limit });
  }
}

/** 422 ORDER_TOO_LARGE: more units in one order than a customer may hold unpaid in it. */
export class OrderTooLargeError extends BusinessRuleError {
  constructor(maxUnits: number) {
    super('ORDER_TOO_LARGE', `One order holds at most ${maxUnits} units`, { maxUnits });
  }
}

/** Defaults of the per-user caps on held stock: unpaid orders, and units in one order (so reserved units ≤ their product). */
export const DEFAULT_ORDER_LIMITS = { maxUnpaidOrders: 5, maxOrderUnits: 40 } as const;

/** What one line of a store's catalog says, as the order module needs it. */
export interface CatalogLine {
  title: string;
  image: string;
  priceCents: number;
  memberPriceCents: number;
  stock: number;
  /** Listed at the store (product and row active). */
  listed: boolean;
  /** The product's category (coupon scopes). */
  categoryId?: string;
}

/**
 * The promotions port (coupons, offers, points, level prices): the quote asks it for the pricing
 * context of a normal order; create commits the coupon and points before the insert (and gives them
 * back if the order is not saved). Absent: no promotions.
 */
export interface OrderPromotions {
  checkoutContext(input: { userId?: string; storeId: string; member: boolean; lines: PriceLineInput[]; choice: { coupon?: string; usePoints?: boolean } }): Promise<{ ctx: Partial<PriceContext>; extras: CheckoutPromotionsDto | null }>;
  commit(order: OrderDoc): Promise<void>;
  release(order: OrderDoc, reason: string): Promise<void>;
}

/** The ports the order module is built with: each names only what orders need from elsewhere. */
export interface OrderServiceDeps {
  models: OrderModels;
  clock: Clock;
  logger: Logger;
  events: DomainEvents;
  stock: ShelfStock;
  /** The store's catalog line of a product (null when not sold there). */
  catalogLine(storeId: string, productId: string): Promise<CatalogLine | null>;
  /** Throws 404 STORE_NOT_FOUND for an unknown or closed store. */
  assertStore(storeId: string): Promise<void>;
  isMember(userId: string): Promise<boolean>;
  /** The payment platform: a prepay for an order (once), and fresh requestPayment parameters. */
  prepay(order: OrderDoc): Promise<string>;
  paymentParams(prepayId: string): Promise<PaymentParams>;
  /** Secret that turns an Idempotency-Key into an order id. */
  idSecret: string;
  promotions?: OrderPromotions;
  /** The delivery module: the fulfilment and fee rules of a delivery choice (refusing an address out of range, a closed slot). */
  resolveDelivery?(userId: string, storeId: string, choice: DeliveryChoice): Promise<{ fulfilment: Fulfilment; rules: DeliveryRules }>;
  /** Per-user caps on what unpaid orders hold (DEFAULT_ORDER_LIMITS when absent). */
  limits?: { maxUnpaidOrders: number; maxOrderUnits: number };
}

/** What a quote prices: the lines at a store for a customer (none: a guest, shelf prices). */
export interface QuoteInput {
  userId?: string;
  storeId: string;
  items: { productId: string; qty: number }[];
  fulfilment?: Fulfilment;
  /** Deliver instead of pickup (normal orders): to an address of the shopper's book, ASAP or in a slot. */
  delivery?: DeliveryChoice;
  /** A group seat: every unit at the deal's price (no member price, no shelf stock). */
  group?: { dealId: string; dealTitle: string; unitPriceCents: number };
  /** Promotions: a coupon id, 'best' or 'none' (default), and whether to pay part with points. */
  coupon?: string;
  usePoints?: boolean;
}

/** One asked-for line of a quote; `input` is what pricing got (null for a product not sold there). */
export interface QuotedLine {
  productId: string;
  qty: number;
  problem: LineProblem | null;
  stock: number | null;
  input: PriceLineInput | null;
}

export interface OrderQuote {
  storeId: string;
  member: boolean;
  /** Every asked-for line, in the order asked. */
  lines: QuotedLine[];
  /** `priceOrder` of the lines without a problem: what an order of exactly those is charged. */
  priced: PricedOrder;
  /** The pricing context used (to price a flagged line alone for display). */
  ctx: PriceContext;
  /** Promotions the confirm page shows (normal orders of a signed-in customer). */
  promotions?: CheckoutPromotionsDto;
  /** A delivery quote: the fulfilment the order will carry (without its code) and the fee rules met or not. */
  fulfilment?: Fulfilment;
  delivery?: { rules: DeliveryRules; goodsCents: number; minimumMet: boolean };
}

export interface CreateOrderInput extends QuoteInput {
  userId: string;
  idempotencyKey?: string;
  /** A group seat: the group module mints the id (its seat names it) and fixes the price and limit. */
  group?: {
    orderId: string;
    groupId: string;
    dealId: string;
    dealTitle: string;
    unitPriceCents: number;
    /** The seats of the user's per-deal limit this order may take, tried in turn (see OrderSchema). */
    limitKeys: string[];
    shareId?: string | null;
  };
  /** Pay deadline in minutes (15 for normal orders; group holds pass their own). */
  payWithinMinutes?: number;
}

const DEFAULT_PAY_MINUTES = 15;
/** How long a request waits for its twin (same Idempotency-Key) to save the order. */
const TWIN_WAIT_MS = 10_000;
const SYSTEM: Actor = { type: 'system', id: 'order' };

/** `{orderId, history}`-shaped read of one order for the list and detail routes. */
export interface OrderPage {
  orders: OrderDoc[];
  nextCursor: string | null;
}

/**
 * Orders: creation with server-side prices and stock taken by guarded updates, moves along the state
 * machine (one compare-and-set each), cancellation that gives stock back exactly once.
 * A normal order costs 3 writes: the stock take (one per line), the insert, the catalog version bump.
 */
export class OrderService {
  constructor(private readonly d: OrderServiceDeps) {}

  private get orders() {
    return this.d.models.Order;
  }

  async get(orderId: string): Promise<OrderDoc | null> {
    return (await this.orders.findById(orderId).lean()) as OrderDoc | null;
  }

  async mustGet(orderId: string): Promise<OrderDoc> {
    const o = await this.get(orderId);
    if (!o) throw new NotFoundError('Order', 'ORDER_NOT_FOUND', { orderId });
    return o;
  }

  /** Orders by id, in one read (missing ones are left out). */
  async many(orderIds: string[]): Promise<OrderDoc[]> {
    if (orderIds.length === 0) return [];
    return (await this.orders.find({ _id: { $in: orderIds } }).lean()) as OrderDoc[];
  }

  /**
   * Moves an order along `path` (from, then each next state) in ONE write whose filter is
   * `{_id, status: from}` plus `guard`, appending one history entry per step. True only for the call
   * that made the move; every step is checked against the order's machine first.
   */
  async move(order: Pick<OrderDoc, '_id' | 'fulfilment'> & { refund?: Pick<OrderDoc['refund'], 'returnTo'> }, path: OrderStatus[], actor: Actor, reason: string, extra: TransitionExtra & { guard?: Record<string, unknown> } = {}): Promise<boolean> {
    const type = order.fulfilment?.type ?? 'pickup';
    assertPath(path, type, order.refund?.returnTo ?? null);
    const now = this.d.clock.now();
    const steps = path.slice(1).map((to, i) => ({ from: path[i], to, at: now, actor, reason }));
    const push: Record<string, unknown> = { ...extra.push, history: steps.length === 1 ? steps[0] : { $each: steps } };
    // Leaving pending_payment frees the user's unpaid-order slot in the same update.
    const slot = path[0] === 'pending_payment' ? { unpaidKey: order._id } : {};
    const r = await this.orders.updateOne(
      { ...extra.guard, _id: order._id, status: path[0] },
      { $set: { ...extra.set, ...slot, status: path[path.length - 1], updatedAt: now }, $push: push },
    );
    return r.modifiedCount === 1;
  }

  /** One move `from → to`; see `move`. */
  transition(order: Pick<OrderDoc, '_id' | 'fulfilment'>, from: OrderStatus, to: OrderStatus, actor: Actor, reason: string, extra: TransitionExtra = {}): Promise<boolean> {
    return this.move(order, [from, to], actor, reason, extra);
  }

  /** Any other write to an order, as one conditional update: true when `filter` matched and it changed. */
  async update(orderId: string, filter: Record<string, unknown>, change: Record<string, unknown>): Promise<boolean> {
    const r = await this.orders.updateOne({ ...filter, _id: orderId }, change);
    return r.modifiedCount === 1;
  }

  /** The order id an Idempotency-Key names for a user (a keyed hash: not guessable from the key). */
  orderIdForKey(userId: string, key: string): string {
    return toOrderId(createHmac('sha256', this.d.idSecret).update(`${userId}\n${key}`).digest());
  }

  /**
   * Creates an order priced by the pricing module from the store's catalog, with its shelf stock
   * taken (normal orders) and its prepay, and answers the requestPayment parameters.
   * 409 OUT_OF_STOCK when a line cannot be had (nothing stays taken). With an Idempotency-Key the
   * order id is derived from (user, key), so every call with the same key answers the same order.
   */
  async create(input: CreateOrderInput): Promise<{ order: OrderDoc; payment: PaymentParams }> {
    const orderId = input.group?.orderId ?? (input.idempotencyKey ? this.orderIdForKey(input.userId, input.idempotencyKey) : newOrderId());
    const hash = requestHash(input);
    if (input.idempotencyKey) {
      const prior = await this.get(orderId);
      if (prior) return this.replay(prior, hash);
    }
    const { maxUnpaidOrders, maxOrderUnits } = this.d.limits ?? DEFAULT_ORDER_LIMITS;
    if (input.items.reduce((n, i) => n + i.qty, 0) > maxOrderUnits) throw new OrderTooLargeError(maxOrderUnits);
    // Pricing first: a sold-out line (the cached catalog says so) is refused before the user's unpaid
    // orders are read, which is what most of a rush on a scarce product gets.
    const doc = await this.price(input, orderId, hash);
    // A shelf order reads the user's unpaid orders first, a quick refusal before stock is taken. A group
    // seat's order does not: its seat is already held, so it tries a slot at random and reads the
    // slots only if that one is taken (a join is one database command fewer). Either way the unique
    // slot of the insert is what decides.
    const slots = input.group ? null : await this.freeUnpaidSlots(input.userId, maxUnpaidOrders);
    if (slots?.length === 0) throw new TooManyUnpaidOrdersError(maxUnpaidOrders);
    const holdsStock = !input.group;
    // The first write of a shelf order is its stock take (a group seat's order comes after the seat).
    if (holdsStock) assertClientWaiting();
    if (holdsStock) {
      const took = await this.d.stock.take(doc.storeId, doc.items, orderId);
      if (!took.ok && took.alreadyHeld) return this.replay(await this.awaitTwin(orderId), hash);
      if (!took.ok) throw new OutOfStockError(took.productId);
    }
    let committed = false;
    try {
      if (this.d.promotions && !input.group) {
        await this.d.promotions.commit(doc);
        committed = true;
      }
      doc.payment.prepayId = await this.d.prepay(doc);
      await this.insert(doc, input.group?.limitKeys ?? [orderId], slots, maxUnpaidOrders);
    } catch (err) {
      if (committed) await this.d.promotions!.release(doc, 'order not placed').catch((e: unknown) => this.d.logger.warn({ err: e, orderId }, 'coupon/points give-back failed'));
      if (holdsStock) await this.d.stock.giveBack(doc.storeId, doc.items, orderId).catch((e: unknown) => this.d.logger.warn({ err: e, orderId }, 'stock give-back failed; the sweep will finish it'));
      if (isDuplicateKeyError(err)) {
        const twin = await this.get(orderId);
        if (twin?.abandoned) throw new ConflictError('ORDER_ABANDONED', 'That attempt took too long and was abandoned; please order again', { orderId });
        if (twin) return this.replay(twin, hash);
      }
      throw err;
    }
    return { order: doc, payment: await this.d.paymentParams(doc.payment.prepayId!) };
  }

  /** The user's unpaid-order slots no unpaid order holds now (one read of the user's unpaid orders). */
  private async freeUnpaidSlots(userId: string, max: number): Promise<string[]> {
    const held = new Set((await this.orders.find({ userId, status: 'pending_payment' }, { unpaidKey: 1 }).lean()).map((o) => o.unpaidKey));
    // In random order: parallel orders of one user then mostly try different slots first instead of
    // all colliding on the lowest one and retrying up the list.
    return shuffle(unpaidSlots(userId, max).filter((k) => !held.has(k)));
  }

  /**
   * Inserts the order under the first free limit key of `limitKeys` and a free unpaid-order slot
   * (one insert each try; the unique keys decide). A duplicate of a limit key tries the next key
   * (409 LIMIT_REACHED when every one is taken); of a slot, the next slot (409
   * TOO_MANY_UNPAID_ORDERS when a racing order took the last one).
   */
  private async insert(doc: OrderDoc, limitKeys: string[], slots: string[] | null, maxUnpaid: number): Promise<void> {
    // Not read yet (a group seat's order): every slot in random order, read once a slot is found taken.
    let read = slots !== null;
    let free = slots ? [...slots] : shuffle(unpaidSlots(doc.userId, maxUnpaid));
    for (const key of limitKeys) {
      doc.limitKey = key;
      for (;;) {
        const slot = free.shift();
        if (!slot) throw new TooManyUnpaidOrdersError(maxUnpaid);
        doc.unpaidKey = slot;
        try {
          await this.orders.collection.insertOne(doc as never);
          return;
        } catch (err) {
          // The embedded database does not name the index of a duplicate: an order under our own id
          // means a twin or a tombstone (the caller handles it); otherwise the limit key or the slot.
          if (!isDuplicateKeyError(err) || (await this.get(doc._id))) throw err;
          if (key !== doc._id && (await this.orders.exists({ limitKey: key }))) {
            free.unshift(slot);
            break;
          }
          if (!read) {
            read = true;
            free = await this.freeUnpaidSlots(doc.userId, maxUnpaid);
          }
        }
      }
    }
    throw new LimitKeyTakenError(limitKeys[limitKeys.length - 1]);
  }

  /** Orders in one of `statuses` not changed since `before`, oldest first (for the reconciler). */
  async stale(statuses: OrderStatus[], before: Date, limit: number, filter: Record<string, unknown> = {}): Promise<OrderDoc[]> {
    return (await this.orders.find({ ...filter, status: { $in: statuses }, updatedAt: { $lt: before } }).sort({ updatedAt: 1 }).limit(limit).lean()) as OrderDoc[];
  }

  /** Unpaid orders past their pay deadline (for the reconciler). */
  async overdue(now: Date, limit: number): Promise<OrderDoc[]> {
    return (await this.orders.find({ status: 'pending_payment', payBy: { $lt: now } }).limit(limit).lean()) as OrderDoc[];
  }

  /** Ended orders whose shelf stock is not marked back yet (for the reconciler). */
  async unreleased(limit: number): Promise<OrderDoc[]> {
    return (await this.orders.find({ status: { $in: ['cancelled', 'refunded'] }, stockHeld: true, stockReleasedAt: null }).limit(limit).lean()) as OrderDoc[];
  }

  /** Refunds asked of the host before `before` and not confirmed yet (for the reconciler). */
  async refundsAskedBefore(before: Date, limit: number): Promise<OrderDoc[]> {
    return (await this.orders.find({ status: 'refunding', 'refund.status': 'requested', 'refund.requestedAt': { $lt: before } }).limit(limit).lean()) as OrderDoc[];
  }

  /** The order a twin request (same Idempotency-Key, already past its first write) is saving. */
  async awaitTwin(orderId: string): Promise<OrderDoc> {
    for (let waited = 0; waited < TWIN_WAIT_MS; waited += 25) {
      const twin = await this.get(orderId);
      if (twin) return twin;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new ConflictError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; try again', { orderId });
  }

  /** The answer to a repeated Idempotency-Key: the same order while it can be paid. */
  private async replay(order: OrderDoc, hash: string): Promise<{ order: OrderDoc; payment: PaymentParams }> {
    if (order.abandoned) throw new ConflictError('ORDER_ABANDONED', 'That attempt took too long and was abandoned; please order again', { orderId: order._id });
    if (order.requestHash && order.requestHash !== hash) {
      throw new ConflictError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different order');
    }
    if (order.status !== 'pending_payment' || !order.payment.prepayId) {
      throw new ConflictError('ORDER_STATE', `This order is already ${order.status}`, { orderId: order._id, status: order.status });
    }
    return { order, payment: await this.d.paymentParams(order.payment.prepayId) };
  }

  /**
   * The one quote of an order, used by `POST /orders/preview` (and the group previews) and by `create`:
   * the store's catalog lines, the customer's membership, priced by `priceOrder`. Lines that cannot
   * be had as asked are flagged (`problem`), never thrown; `priced` prices exactly the other lines,
   * so an order of those lines is charged `priced.pricing.totalCents`. 404 STORE_NOT_FOUND only.
   */
  async quote(input: QuoteInput, opts: { stopAtProblem?: boolean } = {}): Promise<OrderQuote> {
    const readMember = () => (input.group || !input.userId ? Promise.resolve(false) : this.d.isMember(input.userId));
    // A preview reads the lines and the membership at once; an order reads the membership only once
    // its lines are known to be available (a rush on a sold-out product then costs the cached catalog only).
    const [lines, previewMember] = await Promise.all([
      this.d.assertStore(input.storeId).then(() => Promise.all(input.items.map((i) => this.d.catalogLine(input.storeId, i.productId)))),
      opts.stopAtProblem ? undefined : readMember(),
    ]);
    const ctx: PriceContext = { member: false };
    if (input.group) ctx.deal = { id: input.group.dealId, title: input.group.dealTitle, unitPriceCents: input.group.unitPriceCents };
    let fulfilment: Fulfilment | undefined;
    if (input.delivery && !input.group) {
      if (!this.d.resolveDelivery) throw new AppError(501, 'DELIVERY_UNAVAILABLE', 'Delivery is not set up');
      const r = await this.d.resolveDelivery(input.userId ?? '', input.storeId, input.delivery);
      ctx.delivery = r.rules;
      fulfilment = r.fulfilment;
    }
    const quoted: QuotedLine[] = input.items.map((i, n) => {
      const line = lines[n];
      if (!line?.listed) return { productId: i.productId, qty: i.qty, problem: 'UNAVAILABLE', stock: 0, input: null };
      // Shelf orders: a quick answer from the cached catalog; the guarded take is what decides.
      const problem: LineProblem | null = input.group ? null : line.stock <= 0 ? 'OUT_OF_STOCK' : line.stock < i.qty ? 'INSUFFICIENT_STOCK' : null;
      const priceInput: PriceLineInput = { productId: i.productId, title: line.title, image: line.image, qty: i.qty, shelfPriceCents: line.priceCents, memberPriceCents: line.memberPriceCents, categoryId: line.categoryId };
      return { productId: i.productId, qty: i.qty, problem, stock: input.group ? null : line.stock, input: priceInput };
    });
    const chargeable = quoted.filter((l) => !l.problem).map((l) => l.input!);
    // An order that will be refused for a line needs no membership, coupons, points or offers read.
    const refused = opts.stopAtProblem && quoted.some((l) => l.problem);
    const member = previewMember ?? (refused ? false : await readMember());
    ctx.member = member;
    let promotions: CheckoutPromotionsDto | undefined;
    if (this.d.promotions && !input.group && !refused) {
      const p = await this.d.promotions.checkoutContext({ userId: input.userId, storeId: input.storeId, member, lines: chargeable, choice: { coupon: input.coupon, usePoints: input.usePoints } });
      Object.assign(ctx, p.ctx);
      if (p.extras) promotions = p.extras;
    }
    const priced = priceOrder(chargeable, ctx);
    // The delivery minimum is measured like the free-delivery threshold: on the goods after offers and
    // the coupon, before points (a way to pay) and without the fee.
    const { totalCents, deliveryFeeCents, pointsUsed } = priced.pricing;
    const delivery = ctx.delivery && { rules: ctx.delivery, goodsCents: totalCents - deliveryFeeCents + pointsUsed * POINTS_CENTS_EACH };
    return { storeId: input.storeId, member, lines: quoted, priced, ctx, fulfilment, delivery: delivery && { ...delivery, minimumMet: meetsDeliveryMinimum(delivery.goodsCents, delivery.rules) }, ...(promotions ? { promotions } : {}) };
  }

  /** Prices every line through `quote` and builds the order document; the first line that cannot be had refuses it. */
  private async price(input: CreateOrderInput, orderId: string, hash: string): Promise<OrderDoc> {
    const q = await this.quote(input, { stopAtProblem: true });
    const bad = q.lines.find((l) => l.problem);
    if (bad?.problem === 'UNAVAILABLE') throw new NotFoundError('Product', 'PRODUCT_NOT_FOUND', { productId: bad.productId, storeId: input.storeId });
    if (bad) throw new OutOfStockError(bad.productId);
    const { items, pricing } = q.priced;
    if (q.delivery && !q.delivery.minimumMet) throw new DeliveryMinimumError({ goodsCents: q.delivery.goodsCents, minOrderCents: q.delivery.rules.minOrderCents });
    // The code the shopper shows the courier: random, kept with the order, never in the clerk's views.
    const fulfilment: Fulfilment = q.fulfilment ? { ...q.fulfilment, code: newDeliveryCode() } : (input.fulfilment ?? { type: 'pickup' });
    const now = this.d.clock.now();
    const actor: Actor = { type: 'user', id: input.userId };
    return {
      _id: orderId,
      userId: input.userId,
      storeId: input.storeId,
      kind: input.group ? 'group' : 'normal',
      fulfilment,
      groupId: input.group?.groupId ?? null,
      dealId: input.group?.dealId ?? null,
      shareId: input.group?.shareId ?? null,
      items,
      pricing,
      amountCents: pricing.totalCents,
      status: 'pending_payment',
      history: [{ from: null, to: 'pending_payment', at: now, actor, reason: 'order placed' }],
      payment: { prepayId: null, transactionId: null, paidAt: null, amountCents: null },
      refund: { outRefundNo: null, status: null, requestedAt: null, completedAt: null, reason: null, returnTo: null },
      payBy: new Date(now.getTime() + (input.payWithinMinutes ?? DEFAULT_PAY_MINUTES) * 60_000),
      readyAt: null,
      pickedUpAt: null,
      stockHeld: !input.group,
      stockReleasedAt: null,
      requestHash: hash,
      limitKey: orderId,
      unpaidKey: orderId,
      outbox: [],
      createdAt: now,
      updatedAt: now,
    };
  }

  /** requestPayment parameters for an unpaid order (pay again); 409 ORDER_STATE otherwise. */
  async paymentFor(order: OrderDoc): Promise<PaymentParams> {
    if (order.status !== 'pending_payment' || !order.payment.prepayId) {
      throw new ConflictError('ORDER_STATE', `Only an unpaid order can be paid (this one is ${order.status})`, { status: order.status });
    }
    return this.d.paymentParams(order.payment.prepayId);
  }

  /**
   * Gives an ended order's stock back (each line exactly once, guarded by its hold on the row), then
   * marks the order so the reconciler stops looking at it. Safe to call any number of times.
   */
  async releaseStock(order: OrderDoc): Promise<void> {
    if (!order.stockHeld || order.stockReleasedAt) return;
    await this.d.stock.giveBack(order.storeId, order.items, order._id);
    await this.update(order._id, { stockReleasedAt: null }, { $set: { stockReleasedAt: this.d.clock.now() } });
  }

  /** The customer has the goods: the order's holds leave the shelf rows, the stock stays sold. */
  async keepStock(order: OrderDoc): Promise<void> {
    if (order.stockHeld) await this.d.stock.keep(order.storeId, order.items, order._id);
  }

  /**
   * Cancels an unpaid order (user, or the reconciler after the pay deadline): one CAS that also frees
   * its `limitKey`. Returns true only for the call that made the move; the stock comes back exactly
   * once either way, and `OrderCancelled` tells the group module to free the seat.
   */
  async cancel(orderId: string, actor: Actor, reason: string): Promise<boolean> {
    const order = await this.get(orderId);
    if (!order) return false;
    const moved = order.status === 'pending_payment' && (await this.transition(order, 'pending_payment', 'cancelled', actor, reason, { set: { limitKey: order._id } }));
    if (!moved) return false;
    await this.releaseStock(order);
    await this.d.events.emit(new OrderCancelled({ ...order, status: 'cancelled' }));
    return true;
  }

  /**
   * Fences an order id whose stock take was found without its order (a request that died between the
   * two writes): inserts a tombstone under that id, so the request, should it wake up, cannot save
   * the order. True when this call fenced it (the caller then gives the stock back); false when the
   * order exists after all.
   */
  async fence(orderId: string, storeId: string): Promise<boolean> {
    const now = this.d.clock.now();
    try {
      await this.orders.collection.insertOne({
        _id: orderId,
        userId: '',
        storeId,
        kind: 'normal',
        fulfilment: { type: 'pickup' },
        items: [],
        pricing: { itemsCents: 0, adjustments: [], deliveryFeeCents: 0, pointsUsed: 0, totalCents: 0 },
        amountCents: 0,
        status: 'cancelled',
        history: [{ from: null, to: 'cancelled', at: now, actor: SYSTEM, reason: 'stock taken by a request that never saved its order' }],
        payment: { prepayId: null, transactionId: null, paidAt: null, amountCents: null },
        refund: { outRefundNo: null, status: null, requestedAt: null, completedAt: null, reason: null, returnTo: null },
        payBy: now,
        stockHeld: false,
        stockReleasedAt: now,
        limitKey: orderId,
        unpaidKey: orderId,
        abandoned: true,
        outbox: [],
        createdAt: now,
        updatedAt: now,
      } as never);
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** Whether the user has any order that was not cancelled unpaid (new-members-only deals refuse them). */
  async hasOrders(userId: string): Promise<boolean> {
    return (await this.orders.exists({ userId, status: { $nin: ['cancelled'] } })) !== null;
  }

  /** The orders placed on a deal through a share, for the share funnel. */
  async sharedOn(dealId: string): Promise<{ _id: string; shareId: string; paidAt: Date | null; status: string }[]> {
    const rows = (await this.orders.find({ dealId, shareId: { $ne: null } }, { shareId: 1, 'payment.paidAt': 1, status: 1 }).lean()) as OrderDoc[];
    return rows.map((o) => ({ _id: o._id, shareId: o.shareId!, paidAt: o.payment?.paidAt ?? null, status: o.status }));
  }

  /** A page of a store's orders in one status, newest first (`limit` rows after the cursor). */
  async listForStore(storeId: string, status: OrderStatus, limit: number, after?: { at: Date; id: string }): Promise<OrderDoc[]> {
    const base = { storeId, status };
    const filter = after ? { $and: [base, { $or: [{ createdAt: { $lt: after.at } }, { createdAt: after.at, _id: { $lt: after.id } }] }] } : base;
    return (await this.orders.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit).lean()) as OrderDoc[];
  }

  /** A page of the user's orders, newest first (tombstones are nobody's). */
  async listForUser(userId: string, q: { status?: OrderStatus; statuses?: OrderStatus[]; cursor?: string; limit: number }): Promise<OrderPage> {
    const filter: Record<string, unknown> = { userId };
    if (q.status) filter.status = q.status;
    // A tab (several statuses); with a status too, both must hold.
    if (q.statuses) filter.status = q.status ? (q.statuses.includes(q.status) ? q.status : { $in: [] }) : { $in: q.statuses };
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      filter.$or = [{ createdAt: { $lt: c.at } }, { createdAt: c.at, _id: { $lt: c.id } }];
    }
    const docs = (await this.orders.find(filter).sort({ createdAt: -1, _id: -1 }).limit(q.limit + 1).lean()) as OrderDoc[];
    const page = docs.slice(0, q.limit);
    const last = page[page.length - 1];
    return { orders: page, nextCursor: docs.length > q.limit && last ? encodeCursor(last) : null };
  }
}

/** The unique keys of a user's `max` unpaid orders (OrderSchema.unpaidKey). */
function unpaidSlots(userId: string, max: number): string[] {
  return Array.from({ length: max }, (_, n) => `unpaid:${userId}:${n}`);
}

/** Fisher–Yates, in place. Math.random: the order only spreads racing inserts, it guards nothing. */
function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

function requestHash(input: CreateOrderInput): string {
  const items = [...input.items].sort((a, b) => a.productId.localeCompare(b.productId)).map((i) => [i.productId, i.qty]);
  const what: unknown[] = [input.storeId, items, input.fulfilment ?? { type: 'pickup' }, input.group?.groupId ?? null];
  if (input.coupon || input.usePoints) what.push(input.coupon ?? 'none', !!input.usePoints);
  if (input.delivery) what.push(input.delivery);
  return createHash('sha256').update(JSON.stringify(what)).digest('base64url');
}

function encodeCursor(o: OrderDoc): string {
  return Buffer.from(`${new Date(o.createdAt).getTime()}|${o._id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [ms, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!/^\d{1,15}$/.test(ms ?? '') || !/^o_[a-z2-7]{16}$/.test(id ?? '')) throw new AppError(400, 'BAD_CURSOR', 'Invalid cursor');
  return { at: new Date(Number(ms)), id };
}
