import type { ClerkDeliveriesQuery, ClerkDeliveryDto } from '@linli/contracts';
import { assertStoreScope, type AuthUser } from '../../common/auth.js';
import type { Clock } from '../../common/clock.js';
import { NotFoundError, RateLimitedError, ValidationError, isDuplicateKeyError } from '../../common/errors.js';
import { outboxEntry } from '../../common/outbox.js';
import { startOfStoreDay } from '../../common/time.js';
import { deliveryInfoOf } from '../order/order.dto.js';
import type { OrderService } from '../order/order.service.js';
import type { Actor, OrderDoc } from '../order/order.types.js';
import { sameCode } from './delivery.code.js';
import {
  CourierNotAssignedError,
  DeliveryAlreadyConfirmedError,
  DeliveryCodeInvalidError,
  DeliveryStateError,
  NotACourierError,
} from './delivery.errors.js';
import type { DeliveryModels } from './delivery.model.js';

const WINDOW_MS = 60_000;
type Outcome = 'delivered' | 'invalid_code' | 'already_delivered' | 'not_delivering' | 'wrong_store' | 'rate_limited' | 'error';

export interface DeliveryDeskDeps {
  models: DeliveryModels;
  clock: Clock;
  orders: OrderService;
  /** Clerks of a store (who can take its deliveries out): id and nickname. */
  clerksOf(storeId: string): Promise<{ id: string; nickname: string }[]>;
  nicknames(userIds: string[]): Promise<Map<string, string>>;
  storeName(storeId: string): Promise<string | null>;
  /** Failed code confirmations a clerk may make per minute before being answered 429. */
  badAttemptsPerMin: number;
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

/**
 * The store's side of delivery: the queue (address, distance, phone, map point), assigning a courier
 * (a clerk of the store), sending the order out (preparing → delivering, with a message to the
 * shopper), and confirming it delivered with the shopper's code (delivering → delivered, once).
 * Every move is ONE compare-and-set on the order; every confirmation attempt is audited, and
 * failures (only they) count against the clerk's per-minute allowance, as for pickup vouchers.
 */
export class DeliveryDesk {
  constructor(private readonly d: DeliveryDeskDeps) {}

  private async load(user: AuthUser, orderId: string): Promise<OrderDoc> {
    const o = await this.d.orders.get(orderId);
    if (!o || o.abandoned || o.fulfilment?.type !== 'delivery') throw new NotFoundError('Order', 'ORDER_NOT_FOUND', { orderId });
    assertStoreScope(user, o.storeId);
    return o;
  }

  /** The store's delivery orders in one status, newest first, each with where it goes. */
  async queue(user: AuthUser, q: ClerkDeliveriesQuery): Promise<{ deliveries: ClerkDeliveryDto[] }> {
    const storeId = storeOf(user, q.storeId);
    const rows = (await this.d.orders.listForStore(storeId, q.status, q.limit)).filter((o) => o.fulfilment?.type === 'delivery');
    const names = await this.d.nicknames(rows.map((o) => o.userId));
    const dayStart = startOfStoreDay(this.d.clock.now()).getTime();
    return {
      deliveries: rows.map((o) => ({
        id: o._id,
        storeId: o.storeId,
        status: o.status,
        amountCents: o.amountCents,
        items: o.items.map((i) => ({ productId: i.productId, title: i.title, qty: i.qty })),
        customer: { id: o.userId, nickname: names.get(o.userId) ?? null },
        delivery: deliveryInfoOf(o, false)!,
        createdAt: new Date(o.createdAt).toISOString(),
        today: new Date(o.createdAt).getTime() >= dayStart,
      })),
    };
  }

  /** The clerks of the store, who can take its deliveries out. */
  async couriers(user: AuthUser, storeId: string | undefined): Promise<{ couriers: { id: string; nickname: string }[] }> {
    return { couriers: await this.d.clerksOf(storeOf(user, storeId)) };
  }

  /**
   * Gives a preparing order to a courier (a clerk of its store; 422 NOT_A_COURIER otherwise): one
   * update guarded by `{status: preparing}`; assigning again before it leaves changes the courier.
   */
  async assign(user: AuthUser, orderId: string, courierId: string): Promise<OrderDoc> {
    const o = await this.load(user, orderId);
    const courier = (await this.d.clerksOf(o.storeId)).find((c) => c.id === courierId);
    if (!courier) throw new NotACourierError(courierId, o.storeId);
    const now = this.d.clock.now();
    if (!(await this.d.orders.update(o._id, { status: 'preparing' }, { $set: { 'fulfilment.courier': { id: courier.id, nickname: courier.nickname }, updatedAt: now } }))) {
      const after = await this.d.orders.mustGet(o._id);
      if (after.status !== 'preparing') throw new DeliveryStateError(o._id, after.status, 'preparing');
    }
    return this.d.orders.mustGet(o._id);
  }

  /**
   * The courier leaves: preparing → delivering by one CAS that also sets `outAt` and pushes the
   * OrderOutForDelivery message onto the order's outbox. 409 COURIER_NOT_ASSIGNED without a courier,
   * 409 DELIVERY_STATE when the order is not preparing (a second tap included).
   */
  async sendOut(user: AuthUser, orderId: string): Promise<OrderDoc> {
    const o = await this.load(user, orderId);
    if (o.status !== 'preparing') throw new DeliveryStateError(o._id, o.status, 'preparing');
    const courier = (o.fulfilment as { courier?: { id: string; nickname: string | null } | null }).courier;
    if (!courier) throw new CourierNotAssignedError(o._id);
    const now = this.d.clock.now();
    const entry = outboxEntry(
      'OrderOutForDelivery',
      o._id,
      o.userId,
      {
        orderId: o._id,
        storeName: (await this.d.storeName(o.storeId)) ?? o.storeId,
        items: o.items.map((i) => `${i.title}×${i.qty}`).join('、').slice(0, 20),
        courier: courier.nickname ?? '配送员',
        outAt: now.toISOString(),
      },
      `pages/order-detail/index?id=${o._id}`,
      now,
    );
    const actor: Actor = { type: 'clerk', id: user.id };
    const moved = await this.d.orders.move(o, ['preparing', 'delivering'], actor, 'out for delivery', {
      set: { 'fulfilment.outAt': now },
      push: { outbox: entry },
      guard: { 'fulfilment.courier.id': courier.id },
    });
    if (!moved) {
      const after = await this.d.orders.mustGet(o._id);
      throw new DeliveryStateError(o._id, after.status, 'preparing');
    }
    return this.d.orders.mustGet(o._id);
  }

  /** Counts one failed confirmation in this minute by a guarded increment; false once the allowance is used up. */
  private async countFailure(clerkId: string, now: Date): Promise<boolean> {
    const window = Math.floor(now.getTime() / WINDOW_MS);
    try {
      const r = await this.d.models.DeliveryFailure.updateOne(
        { _id: `${clerkId}:${window}`, n: { $lt: this.d.badAttemptsPerMin } },
        { $inc: { n: 1 }, $setOnInsert: { expiresAt: new Date((window + 2) * WINDOW_MS) } },
        { upsert: true },
      );
      return r.modifiedCount + r.upsertedCount === 1;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  private async lockedOut(clerkId: string, now: Date): Promise<boolean> {
    const w = await this.d.models.DeliveryFailure.findById(`${clerkId}:${Math.floor(now.getTime() / WINDOW_MS)}`).lean();
    return (w?.n ?? 0) >= this.d.badAttemptsPerMin;
  }

  private alreadyConfirmed(o: OrderDoc): DeliveryAlreadyConfirmedError {
    const move = [...o.history].reverse().find((h) => h.to === 'delivered');
    const at = (o.fulfilment as { deliveredAt?: Date | null }).deliveredAt ?? move?.at ?? null;
    return new DeliveryAlreadyConfirmedError({ orderId: o._id, deliveredAt: at ? new Date(at).toISOString() : null, by: move?.actor.id ?? null });
  }

  private async attempt(user: AuthUser, orderId: string, code: string, now: Date, seen: { storeId: string | null }): Promise<OrderDoc> {
    const raw = await this.d.orders.get(orderId);
    seen.storeId = raw?.storeId ?? null;
    const o = await this.load(user, orderId);
    const expected = (o.fulfilment as { code?: string }).code;
    if (!sameCode(code, expected)) throw new DeliveryCodeInvalidError(o._id);
    if (o.status === 'delivered') throw this.alreadyConfirmed(o);
    if (o.status !== 'delivering') throw new DeliveryStateError(o._id, o.status, 'delivering');
    const won = await this.d.orders.move(o, ['delivering', 'delivered'], { type: 'clerk', id: user.id }, 'delivery code confirmed', {
      set: { 'fulfilment.deliveredAt': now },
      guard: { 'fulfilment.code': expected },
    });
    if (!won) {
      const after = await this.d.orders.mustGet(o._id);
      if (after.status === 'delivered') throw this.alreadyConfirmed(after);
      throw new DeliveryStateError(o._id, after.status, 'delivering');
    }
    await this.d.orders.keepStock(o);
    return this.d.orders.mustGet(o._id);
  }

  /**
   * Confirms a delivery with the code the shopper shows: delivering → delivered at most once (one CAS
   * guarded by the status and the code). Every attempt is audited. 400 DELIVERY_CODE_INVALID,
   * 409 DELIVERY_ALREADY_CONFIRMED / DELIVERY_STATE, 403 WRONG_STORE, or 429 RATE_LIMITED once the
   * clerk has made too many failed attempts this minute (genuine confirmations never count).
   */
  async confirm(user: AuthUser, orderId: string, code: string): Promise<OrderDoc> {
    const now = this.d.clock.now();
    const seen: { storeId: string | null } = { storeId: null };
    const record = (outcome: Outcome) => this.d.models.DeliveryAudit.collection.insertOne({ clerkId: user.id, storeId: seen.storeId, orderId, outcome, at: now });
    const limited = () => new RateLimitedError('Too many wrong delivery codes, wait a minute', { retryAfterS: 60 - now.getUTCSeconds() });
    if (await this.lockedOut(user.id, now)) {
      await record('rate_limited');
      throw limited();
    }
    try {
      const o = await this.attempt(user, orderId, code, now, seen);
      await record('delivered');
      return o;
    } catch (err) {
      const outcome: Outcome =
        err instanceof DeliveryCodeInvalidError ? 'invalid_code'
        : err instanceof DeliveryAlreadyConfirmedError ? 'already_delivered'
        : err instanceof DeliveryStateError ? 'not_delivering'
        : (err as { code?: string }).code === 'WRONG_STORE' ? 'wrong_store'
        : 'error';
      if ((outcome === 'invalid_code' || outcome === 'wrong_store') && !(await this.countFailure(user.id, now))) {
        await record('rate_limited');
        throw limited();
      }
      await record(outcome);
      throw err;
    }
  }

  /** Confirmation attempts on one order, newest first (for the store's audit). */
  async auditOf(user: AuthUser, orderId: string) {
    await this.load(user, orderId);
    return (await this.d.models.DeliveryAudit.find({ orderId }).sort({ at: -1 }).limit(100).lean()).map((a) => ({ at: a.at.toISOString(), clerkId: a.clerkId, outcome: a.outcome }));
  }
}
