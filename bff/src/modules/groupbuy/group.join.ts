import { randomBytes } from 'node:crypto';
import type { Clock } from '../../common/clock.js';
import { assertClientWaiting } from '../../common/deadline.js';
import { KeyedFreshReader } from '../../common/fresh-read.js';
import { AppError, BusinessRuleError, ConflictError, NotFoundError, isDuplicateKeyError } from '../../common/errors.js';
import { LimitKeyTakenError, newOrderId, type OrderService } from '../order/order.service.js';
import type { OrderDoc } from '../order/order.types.js';
import type { PaymentParams } from '../payment/payment.provider.js';
import { isAvailable, leaderPriceCents, type DealDoc, type DealService } from './deal.service.js';
import type { GroupbuyModels } from './group.model.js';
import { seatKey, type GroupDoc, type Seat } from './group.types.js';

/** An unpaid seat is held this long, then the sweep frees it. */
export const HOLD_MINUTES = 5;
const MIN = 60_000;

const newGroupId = () => `g_${randomBytes(16).toString('base64url')}`;

/** 409s of joining, named so the miniapp can say what happened. */
export const groupFull = (groupId: string) => new ConflictError('GROUP_FULL', 'This group has no seats left', { groupId });
const groupExpired = (groupId: string) => new ConflictError('GROUP_EXPIRED', 'This group has expired', { groupId });
/** Carries the member's own order, so a client whose first answer was lost can go on to pay it. */
const alreadyJoined = (groupId: string, orderId: string | null) => new ConflictError('ALREADY_JOINED', 'You are already in this group', { groupId, orderId });
const groupNotOpen = (groupId: string, status: string) => new ConflictError('GROUP_NOT_OPEN', 'This group is not open for joining', { groupId, status });

/** The per-user limit of a deal as the order keys that carry it (see OrderSchema.limitKey). */
function limitKeysOf(deal: DealDoc, userId: string): string[] {
  if (deal.newMembersOnly) return [`new:${userId}`];
  return Array.from({ length: deal.perUserLimit }, (_, n) => `deal:${deal._id}:${userId}:${n}`);
}

export interface GroupJoinDeps {
  models: Pick<GroupbuyModels, 'Group'>;
  clock: Clock;
  deals: DealService;
  orders: OrderService;
  /** The share an order on this deal is attributed to (first touch, else the named one). */
  attribute(userId: string, dealId: string, named?: string): Promise<string | undefined>;
  /** Whether the user has an order that was not cancelled unpaid (new-members-only deals refuse them). */
  hasEarlierOrders(userId: string): Promise<boolean>;
}

export interface SeatTaken {
  groupId: string;
  order: OrderDoc;
  payment: PaymentParams;
}

/**
 * Opening and joining groups. A join is two writes: the seat (`{_id, status: open, seatsLeft > 0,
 * seat absent}` → `seatsLeft − 1` and the seat, one update) and the seat's order. An open is three:
 * the deal's units for the whole group, the leader's order, the group. Whatever fails after the
 * first write is given back; a crash in between is finished by the sweep (the seat and the deal's
 * hold name the ids they are waiting for).
 */
export class GroupJoin {
  /**
   * Joiners of one group in this process, past the first check: at most as many go on to the seat's
   * update as the group had seats left, the others wait and then re-read the group (one shared read),
   * so a rush of thousands costs the database a few updates and reads, not thousands. Throughput only:
   * the seat's guarded update is what decides, on any number of instances.
   */
  private readonly gates = new Map<string, { inFlight: number; waiting: (() => void)[] }>();
  /** Group reads shared by concurrent joiners (each gets a read that started after its call). */
  private readonly reads = new KeyedFreshReader<string, GroupDoc>((groupId) => this.loadGroup(groupId), { maxKeys: 5000 });

  constructor(private readonly d: GroupJoinDeps) {}

  private gate(groupId: string) {
    let g = this.gates.get(groupId);
    if (!g) this.gates.set(groupId, (g = { inFlight: 0, waiting: [] }));
    return g;
  }

  /**
   * Runs `fn` once fewer joiners are in flight than `seatsLeft`, re-reading the group after each wait;
   * a waiter the re-read refuses (the group filled, expired) leaves at once, so when a group fills all
   * its waiters are answered from one shared read instead of filing through the gate one read each.
   */
  private async throughGate<T>(groupId: string, first: GroupDoc, userId: string, fn: (g: GroupDoc) => Promise<T>): Promise<T> {
    const gate = this.gate(groupId);
    let g = first;
    while (gate.inFlight >= Math.max(1, g.seatsLeft)) {
      await new Promise<void>((resolve) => gate.waiting.push(resolve));
      g = await this.reads.get(groupId);
      const refused = this.whyNotJoinable(g, userId);
      if (refused) {
        if (gate.inFlight === 0 && gate.waiting.length === 0 && this.gates.get(groupId) === gate) this.gates.delete(groupId);
        throw refused;
      }
    }
    gate.inFlight++;
    try {
      return await fn(g);
    } finally {
      gate.inFlight--;
      for (const wake of gate.waiting.splice(0)) wake();
      if (gate.inFlight === 0) this.gates.delete(groupId);
    }
  }

  async loadGroup(groupId: string): Promise<GroupDoc> {
    // The driver's findOne (a lean read either way): the hot read of every join skips mongoose's query layer.
    const g = (await this.d.models.Group.collection.findOne({ _id: groupId } as never)) as GroupDoc | null;
    if (!g || g.abandoned) throw new NotFoundError('Group', 'GROUP_NOT_FOUND', { groupId });
    return g;
  }

  /** Throws the 409/422 a seat on this deal at this store gets now (not on offer, sold out, new members only). */
  async assertDealOpenTo(deal: DealDoc, storeId: string, userId: string, opening: boolean) {
    const now = this.d.clock.now();
    const inWindow = deal.active && deal.startAt <= now && now < deal.endAt && deal.storeIds.includes(storeId);
    if (!inWindow) throw new ConflictError('DEAL_NOT_ACTIVE', 'This deal is not on offer here now', { dealId: deal._id, storeId });
    if (opening && !isAvailable(deal, now)) throw new ConflictError('DEAL_SOLD_OUT', 'This deal is sold out', { dealId: deal._id });
    if (deal.newMembersOnly && (await this.d.hasEarlierOrders(userId))) {
      throw new BusinessRuleError('NEW_MEMBERS_ONLY', 'This deal is for customers placing their first order', { dealId: deal._id });
    }
  }

  /** Why a group cannot be joined by this user now, as the clearest error; null when it can. */
  whyNotJoinable(g: GroupDoc, userId: string): AppError | null {
    const mine = g.seats[seatKey(userId)];
    if (mine) return alreadyJoined(g._id, mine.orderId);
    if (g.status === 'succeeded') return groupFull(g._id);
    if (g.status === 'failed') return groupExpired(g._id);
    if (g.status !== 'open') return groupNotOpen(g._id, g.status);
    if (g.expiresAt <= this.d.clock.now()) return groupExpired(g._id);
    if (g.seatsLeft <= 0) return groupFull(g._id);
    return null;
  }

  /** The seat's order; a limit already used is the deal's own 422. */
  private async createOrder(g: Pick<GroupDoc, '_id' | 'storeId' | 'productId'>, deal: DealDoc, userId: string, orderId: string, unitPriceCents: number, shareId: string | undefined) {
    try {
      return await this.d.orders.create({
        userId,
        storeId: g.storeId,
        items: [{ productId: g.productId, qty: 1 }],
        group: { orderId, groupId: g._id, dealId: deal._id, dealTitle: deal.title, unitPriceCents, limitKeys: limitKeysOf(deal, userId), shareId: shareId ?? null },
        payWithinMinutes: HOLD_MINUTES,
      });
    } catch (err) {
      if (err instanceof LimitKeyTakenError) {
        if (deal.newMembersOnly) throw new BusinessRuleError('NEW_MEMBERS_ONLY', 'This deal is for customers placing their first order', { dealId: deal._id });
        throw new BusinessRuleError('PER_USER_LIMIT', `You can take at most ${deal.perUserLimit} seat(s) on this deal`, { dealId: deal._id, perUserLimit: deal.perUserLimit });
      }
      throw err;
    }
  }

  /**
   * Opens a group: the deal's units for every seat are taken, the leader's order waits for payment,
   * and the group is `pending` (not listed, not joinable) until the leader pays.
   */
  async open(userId: string, input: { dealId: string; storeId: string; shareId?: string; idempotencyKey?: string }): Promise<SeatTaken> {
    // With an Idempotency-Key the leader's order id is derived from (user, key) and the group id from
    // that: a retry finds what the first request made (or is making) instead of opening another group.
    const orderId = input.idempotencyKey ? this.d.orders.orderIdForKey(userId, `group-open\n${input.idempotencyKey}`) : newOrderId();
    const groupId = input.idempotencyKey ? `g_${this.d.orders.orderIdForKey(userId, `group-id\n${input.idempotencyKey}`).slice(2)}` : newGroupId();
    if (input.idempotencyKey) {
      const prior = await this.d.orders.get(orderId);
      if (prior) return this.replayOpen(prior, input);
    }
    const deal = await this.d.deals.load(input.dealId);
    await this.assertDealOpenTo(deal, input.storeId, userId, true);
    assertClientWaiting(); // before the first write (a share visit, then the deal's units)
    const shareId = await this.d.attribute(userId, deal._id, input.shareId);
    if (!(await this.d.deals.reserveForGroup(deal, groupId))) {
      const now = await this.d.deals.load(deal._id);
      // The same key in flight: its twin holds this group id's units, so answer what the twin made.
      if (input.idempotencyKey && now.holds?.[groupId]) return this.replayOpen(await this.d.orders.awaitTwin(orderId), input);
      if (!now.active) throw new ConflictError('DEAL_NOT_ACTIVE', 'This deal is not on offer here now', { dealId: deal._id, storeId: input.storeId });
      throw new ConflictError('DEAL_SOLD_OUT', 'This deal is sold out', { dealId: deal._id });
    }
    let created: Awaited<ReturnType<GroupJoin['createOrder']>>;
    try {
      created = await this.createOrder({ _id: groupId, storeId: input.storeId, productId: deal.productId }, deal, userId, orderId, leaderPriceCents(deal), shareId);
    } catch (err) {
      await this.d.deals.giveBack(deal._id, groupId, deal.groupSize);
      throw err;
    }
    const now = this.d.clock.now();
    const holdUntil = new Date(now.getTime() + HOLD_MINUTES * MIN);
    const seat: Seat = { userId, orderId, status: 'held', leader: true, holdUntil, joinedAt: now, paidAt: null, shareId: shareId ?? null };
    try {
      await this.d.models.Group.collection.insertOne({
        _id: groupId,
        dealId: deal._id,
        storeId: input.storeId,
        productId: deal.productId,
        leaderId: userId,
        size: deal.groupSize,
        status: 'pending',
        seatsLeft: deal.groupSize - 1,
        paidCount: 0,
        seats: { [seatKey(userId)]: seat },
        expiresAt: holdUntil,
        openedAt: null,
        closedAt: null,
        warnedAt: null,
        outbox: [],
        createdAt: now,
        updatedAt: now,
      } as never);
    } catch (err) {
      // The sweep judged this request dead and fenced the group id (it gave the deal's units back).
      await this.d.orders.cancel(orderId, { type: 'system', id: 'groupbuy' }, 'group could not be opened');
      if (isDuplicateKeyError(err)) throw new AppError(503, 'GROUP_ABANDONED', 'Opening the group took too long; please try again');
      throw err;
    }
    return { groupId, ...created };
  }

  /** The answer to a repeated open key: the same group and leader's order while it can be paid. */
  private async replayOpen(order: OrderDoc, input: { dealId: string; storeId: string }): Promise<SeatTaken> {
    if (order.kind !== 'group' || order.dealId !== input.dealId || order.storeId !== input.storeId || !order.groupId) {
      throw new ConflictError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request');
    }
    if (order.abandoned) throw new ConflictError('ORDER_ABANDONED', 'That attempt took too long and was abandoned; please try again', { orderId: order._id });
    return { groupId: order.groupId, order, payment: await this.d.orders.paymentFor(order) };
  }

  /**
   * Holds a seat in an open group (open, not expired, a seat left, not a member yet: all in the one
   * update's filter) and creates the member's order; the seat is given back if the order fails.
   */
  async join(userId: string, groupId: string, input: { shareId?: string }): Promise<SeatTaken> {
    const before = await this.reads.get(groupId);
    const refused = this.whyNotJoinable(before, userId);
    if (refused) throw refused; // most losers of a rush stop here
    const deal = await this.d.deals.load(before.dealId);
    await this.assertDealOpenTo(deal, before.storeId, userId, false);

    return this.throughGate(groupId, before, userId, async (g) => {
      const late = this.whyNotJoinable(g, userId);
      if (late) throw late;
      assertClientWaiting(); // before the first write (a share visit, then the seat): a joiner may have waited at the gate
      const shareId = await this.d.attribute(userId, deal._id, input.shareId);
      const k = seatKey(userId);
      const orderId = newOrderId();
      const now = this.d.clock.now();
      const seat: Seat = { userId, orderId, status: 'held', leader: false, holdUntil: new Date(now.getTime() + HOLD_MINUTES * MIN), joinedAt: now, paidAt: null, shareId: shareId ?? null };
      const took = await this.d.models.Group.updateOne(
        { _id: groupId, status: 'open', expiresAt: { $gt: now }, seatsLeft: { $gt: 0 }, [`seats.${k}`]: { $exists: false } },
        { $inc: { seatsLeft: -1 }, $set: { [`seats.${k}`]: seat } },
      );
      if (took.modifiedCount !== 1) {
        throw this.whyNotJoinable(await this.loadGroup(groupId), userId) ?? new ConflictError('GROUP_CHANGED', 'The group changed, try again', { groupId });
      }
      try {
        return { groupId, ...(await this.createOrder(before, deal, userId, orderId, deal.groupPriceCents, shareId)) };
      } catch (err) {
        await this.freeSeat(groupId, userId, orderId);
        throw err;
      }
    });
  }

  /** Frees a held (unpaid) seat of this order: the seat goes and seatsLeft comes back in one update. */
  async freeSeat(groupId: string, userId: string, orderId: string): Promise<boolean> {
    const k = seatKey(userId);
    const r = await this.d.models.Group.updateOne(
      { _id: groupId, [`seats.${k}.orderId`]: orderId, [`seats.${k}.status`]: 'held' },
      { $unset: { [`seats.${k}`]: '' }, $inc: { seatsLeft: 1 } },
    );
    return r.modifiedCount === 1;
  }
}
