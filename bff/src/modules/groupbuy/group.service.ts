import { randomBytes } from 'node:crypto';
import type { Core } from '../../core.js';
import { AppError, BusinessRuleError, ConflictError, NotFoundError } from '../../common/errors.js';
import { outboxEntry, type OutboxEntry } from '../../common/outbox.js';
import { createDealService, isAvailable, leaderPriceCents, type DealDoc } from './deal.service.js';
import { createKeyedLock } from './group.lock.js';
import type { GroupStatus, Seat } from './group.model.js';
import { orderIdOf, SYSTEM, type OrderLike, type OrderPort, type PaymentPort, type VoucherPort } from './ports.js';

/** An unpaid seat is held this long, then the sweep frees it. */
export const HOLD_MINUTES = 5;
/** A sweep that finds an open group this close to its end warns its members once. */
export const EXPIRING_SOON_MINUTES = 15;
const MIN = 60_000;

export interface GroupDoc {
  _id: string;
  dealId: string;
  storeId: string;
  productId: string;
  leaderId: string;
  size: number;
  status: GroupStatus;
  seatsLeft: number;
  heldCount: number;
  paidCount: number;
  seats: Record<string, Seat>;
  expiresAt: Date;
  openedAt: Date | null;
  closedAt: Date | null;
  settled: boolean;
  refundsPending: boolean;
  expiringSoonNotified: boolean;
}

/**
 * The key of a user's seat inside `seats`. Ids of the safe alphabet are used as they are; anything
 * else is hex-encoded so a key can never contain `.` or start with `$`.
 */
export function seatKey(userId: string): string {
  return /^[A-Za-z0-9_-]{1,100}$/.test(userId) ? userId : `x${Buffer.from(userId).toString('hex')}`;
}

const newId = (prefix: string) => `${prefix}${randomBytes(16).toString('base64url')}`;
/** The page a subscription message opens (host format: no leading slash). */
const groupPage = (groupId: string) => `pages/group/index?id=${groupId}`;

/** 409s of joining, named so the miniapp can say what happened. */
const groupFull = (groupId: string) => new ConflictError('GROUP_FULL', 'This group has no seats left', { groupId });
const groupExpired = (groupId: string) => new ConflictError('GROUP_EXPIRED', 'This group has expired', { groupId });
/** Carries the member's own order, so a client whose first answer was lost can go on to pay it. */
const alreadyJoined = (groupId: string, orderId: string | null) => new ConflictError('ALREADY_JOINED', 'You are already in this group', { groupId, orderId });
const groupNotOpen = (groupId: string, status: string) => new ConflictError('GROUP_NOT_OPEN', 'This group is not open for joining', { groupId, status });

/**
 * Groups: open, join, pay, succeed or fail. Every change of a group document is a read-check-write
 * under that group's lock (`group.lock.ts`) whose write also carries the compare-and-set filter
 * (status, counters), so concurrent joins, payments and sweeps cannot overfill a group, pay a seat
 * twice, or both succeed and fail it — on MongoDB and on FerretDB, whose updates are not atomic.
 */
export function createGroupService(core: Core) {
  const { m } = core;
  const withLock = createKeyedLock(m);
  const deals = createDealService(core, withLock);
  const locked = <T>(groupId: string, fn: (g: GroupDoc) => Promise<T>, precheck?: () => Promise<void>) =>
    withLock(`group:${groupId}`, async () => fn(await loadGroup(groupId)), precheck);
  const ext = () => core.services as unknown as { order?: OrderPort; payment?: PaymentPort; voucher?: VoucherPort };
  const orders = () => {
    const o = ext().order;
    if (!o) throw new AppError(503, 'ORDERS_UNAVAILABLE', 'Orders are not available');
    return o;
  };
  const ordersColl = () => core.conn.collection<{ _id: string; status: string; userId: string }>('orders');

  async function loadGroup(groupId: string): Promise<GroupDoc> {
    const g = (await m.Group.findById(groupId).lean()) as GroupDoc | null;
    if (!g) throw new NotFoundError('Group', 'GROUP_NOT_FOUND', { groupId });
    return g;
  }

  async function assertDealOpenTo(deal: DealDoc, storeId: string, userId: string) {
    const now = core.clock.now();
    if (!isAvailable(deal, now) || !deal.storeIds.includes(storeId)) {
      throw new ConflictError('DEAL_NOT_ACTIVE', 'This deal is not on offer here now', { dealId: deal._id, storeId });
    }
    if (deal.newMembersOnly) {
      // "New" means no order of any kind yet, other than ones that were cancelled unpaid.
      const earlier = await ordersColl().findOne({ userId, status: { $nin: ['cancelled'] } }, { projection: { _id: 1 } });
      if (earlier) throw new BusinessRuleError('NEW_MEMBERS_ONLY', 'This deal is for customers placing their first order', { dealId: deal._id });
    }
  }

  /** Takes the deal's stock cap and the user's limit for one seat and records the claim. */
  async function claim(dealId: string, userId: string, groupId: string, claimId: string): Promise<void> {
    await deals.takeSeat(dealId, userId, { claimId, groupId });
  }

  /** Gives a claim's stock and limit back, exactly once whoever calls. */
  async function release(by: { _id: string } | { orderId: string }) {
    const c = await m.GroupClaim.findOne(by).lean();
    if (!c || c.released) return;
    await withLock(`claim:${c._id}`, async () => {
      const r = await m.GroupClaim.updateOne({ _id: c._id, released: false }, { $set: { released: true } });
      if (r.modifiedCount === 1) await deals.giveSeat(c);
    });
  }

  /** Frees a held (unpaid) seat: the seat goes and seatsLeft comes back in the same update. */
  async function freeHeldSeat(groupId: string, userId: string, match: { orderId: string } | { claimId: string }): Promise<boolean> {
    const k = seatKey(userId);
    return locked(groupId, async (g) => {
      const seat = g.seats[k];
      if (!seat || seat.status !== 'held') return false;
      if ('orderId' in match ? seat.orderId !== match.orderId : seat.claimId !== match.claimId) return false;
      const filter = { _id: groupId, [`seats.${k}.status`]: 'held', [`seats.${k}.claimId`]: seat.claimId };
      // A pending group whose leader's seat goes has nobody left: it fails.
      const fail = g.status === 'pending' && seat.leader ? { $set: { status: 'failed', closedAt: core.clock.now() } } : {};
      const r = await m.Group.updateOne(filter, { $unset: { [`seats.${k}`]: '' }, $inc: { seatsLeft: 1, heldCount: -1 }, ...fail });
      return r.modifiedCount === 1;
    });
  }

  /** Creates the seat's order; on any failure the seat and the claim are given back. */
  async function createOrder(g: Pick<GroupDoc, '_id' | 'storeId' | 'productId'>, dealId: string, userId: string, claimId: string, unitPriceCents: number, shareId: string | undefined) {
    let created: { order: OrderLike; payment: unknown };
    try {
      created = await orders().create({
        userId,
        storeId: g.storeId,
        items: [{ productId: g.productId, qty: 1 }],
        idempotencyKey: `group-${claimId}`,
        kind: 'group',
        groupId: g._id,
        dealId,
        ...(shareId ? { shareId } : {}),
        unitPriceOverrideCents: unitPriceCents,
        payWithinMinutes: HOLD_MINUTES,
      });
    } catch (err) {
      await freeHeldSeat(g._id, userId, { claimId });
      await release({ _id: claimId });
      throw err;
    }
    const orderId = orderIdOf(created.order);
    const k = seatKey(userId);
    await m.GroupClaim.updateOne({ _id: claimId }, { $set: { orderId } });
    await locked(g._id, () => m.Group.updateOne({ _id: g._id, [`seats.${k}.claimId`]: claimId }, { $set: { [`seats.${k}.orderId`]: orderId } }));
    if (shareId) await core.services.share.recordConversion({ orderId, shareId, userId, dealId, groupId: g._id });
    return created;
  }

  /** Why a group cannot be joined by this user now, as the clearest error; null when it can. */
  function whyNotJoinable(g: GroupDoc, userId: string): AppError | null {
    const mine = g.seats[seatKey(userId)];
    if (mine) return alreadyJoined(g._id, mine.orderId);
    if (g.status === 'succeeded') return groupFull(g._id);
    if (g.status === 'failed') return groupExpired(g._id);
    if (g.status !== 'open') return groupNotOpen(g._id, g.status);
    if (g.expiresAt <= core.clock.now()) return groupExpired(g._id);
    if (g.seatsLeft <= 0) return groupFull(g._id);
    return null;
  }

  /** Moves every order of a succeeded group to awaiting pickup and issues vouchers; idempotent. */
  async function settle(groupId: string): Promise<void> {
    await withLock(`settle:${groupId}`, async () => {
      const g = await loadGroup(groupId);
      if (g.status !== 'succeeded' || g.settled) return;
      const seats = Object.values(g.seats);
      const reason = 'group succeeded';
      for (const s of seats) {
        if (!s.orderId) continue;
        const o = orders();
        // The order may still be `paid` (its own onOrderPaid not done yet) or already `grouping`.
        if (!(await o.transition(s.orderId, 'grouping', 'awaiting_pickup', SYSTEM, reason))) {
          if (!(await o.transition(s.orderId, 'paid', 'awaiting_pickup', SYSTEM, reason))) {
            await o.transition(s.orderId, 'grouping', 'awaiting_pickup', SYSTEM, reason);
          }
        }
        await ext().voucher?.ensureFor(s.orderId);
      }
      const ids = seats.map((s) => s.orderId).filter((x): x is string => !!x);
      const done = await ordersColl().countDocuments({ _id: { $in: ids }, status: { $in: ['awaiting_pickup', 'picked_up'] } });
      if (done === ids.length) await locked(groupId, () => m.Group.updateOne({ _id: groupId, status: 'succeeded' }, { $set: { settled: true } }));
    });
  }

  /** The group's next step after a payment or a sweep: succeed when every seat is paid, then settle or unwind. */
  async function advance(groupId: string): Promise<void> {
    const status = await locked(groupId, async (g) => {
      if (g.status !== 'open' || g.paidCount !== g.size || g.heldCount !== 0) return g.status;
      const now = core.clock.now();
      const deal = await deals.load(g.dealId);
      const entries: OutboxEntry[] = Object.values(g.seats).map((s) =>
        outboxEntry('GroupSucceeded', g._id, s.userId, { title: deal.title, size: String(g.size), groupId: g._id }, groupPage(g._id), now),
      );
      const r = await m.Group.updateOne(
        { _id: g._id, status: 'open', paidCount: g.size, heldCount: 0, seatsLeft: 0 },
        { $set: { status: 'succeeded', closedAt: now, settled: false }, $push: { outbox: { $each: entries } } },
      );
      return r.modifiedCount === 1 ? 'succeeded' : g.status;
    });
    if (status === 'succeeded') await settle(groupId);
    else if (status === 'failed') await unwindFailed(groupId);
  }

  /** Fails an open group whose time is up (once), then refunds and cancels its seats. */
  async function tryFail(groupId: string, now: Date): Promise<boolean> {
    const failed = await locked(groupId, async (g) => {
      if (g.status !== 'open' || g.expiresAt > now || g.paidCount === g.size) return false;
      const deal = await deals.load(g.dealId);
      const entries: OutboxEntry[] = Object.values(g.seats)
        .filter((s) => s.status === 'paid')
        .map((s) => outboxEntry('GroupFailed', g._id, s.userId, { title: deal.title, groupId: g._id }, groupPage(g._id), now));
      const r = await m.Group.updateOne(
        { _id: g._id, status: 'open', expiresAt: { $lte: now } },
        { $set: { status: 'failed', closedAt: now, refundsPending: true }, ...(entries.length ? { $push: { outbox: { $each: entries } } } : {}) },
      );
      return r.modifiedCount === 1;
    });
    if (failed) await unwindFailed(groupId);
    return failed;
  }

  /** For a failed group: refund every paid seat (payment.refund is once per order), cancel the held ones. */
  async function unwindFailed(groupId: string): Promise<void> {
    await withLock(`unwind:${groupId}`, async () => {
      const g = await loadGroup(groupId);
      if (g.status !== 'failed' || !g.refundsPending) return;
      let complete = true;
      for (const s of Object.values(g.seats)) {
        try {
          if (s.status === 'paid' && s.orderId) {
            await refundOrder(s.orderId, 'group failed');
          } else if (s.orderId) {
            await cancelQuietly(s.orderId, 'group failed');
            await release({ _id: s.claimId });
          } else {
            await release({ _id: s.claimId });
          }
        } catch (err) {
          complete = false;
          core.logger.warn({ err, groupId, orderId: s.orderId }, 'group unwind step failed; the sweep retries');
        }
      }
      if (complete) await locked(groupId, () => m.Group.updateOne({ _id: groupId, status: 'failed' }, { $set: { refundsPending: false } }));
    });
  }

  async function refundOrder(orderId: string, reason: string) {
    const pay = ext().payment;
    if (!pay) throw new AppError(503, 'PAYMENTS_UNAVAILABLE', 'Payments are not available');
    await pay.refund(orderId, reason);
    await release({ orderId });
  }

  async function cancelQuietly(orderId: string, reason: string) {
    try {
      await orders().cancel(orderId, SYSTEM, reason);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
  }

  /**
   * Called by the payment module once a group order is paid. Marks the seat paid (once), opens the
   * group if it was the leader, moves the order to `grouping`, and succeeds the group when full.
   * A payment for a seat that is gone (hold lapsed, group failed) is refunded.
   */
  async function onOrderPaid(order: OrderLike): Promise<void> {
    const orderId = orderIdOf(order);
    const groupId = order.groupId;
    if (!groupId) return;
    if (!(await m.Group.exists({ _id: groupId }))) {
      await refundOrder(orderId, 'group not found');
      return;
    }
    const k = seatKey(order.userId);
    const seated = await locked(groupId, async (g) => {
      const seat = g.seats[k];
      if (!seat || seat.orderId !== orderId) return false;
      if (seat.status === 'paid') return true;
      const now = core.clock.now();
      const paidSet = { [`seats.${k}.status`]: 'paid', [`seats.${k}.paidAt`]: now };
      const seatFilter = { _id: groupId, [`seats.${k}.orderId`]: orderId, [`seats.${k}.status`]: 'held' };
      if (g.status === 'pending' && seat.leader) {
        const deal = await deals.load(g.dealId);
        const opens = { status: 'open', openedAt: now, expiresAt: new Date(now.getTime() + deal.durationMinutes * MIN) };
        const r = await m.Group.updateOne({ ...seatFilter, status: 'pending' }, { $set: { ...paidSet, ...opens }, $inc: { heldCount: -1, paidCount: 1 } });
        return r.modifiedCount === 1;
      }
      if (g.status !== 'open') return false;
      const r = await m.Group.updateOne({ ...seatFilter, status: 'open' }, { $set: paidSet, $inc: { heldCount: -1, paidCount: 1 } });
      return r.modifiedCount === 1;
    });
    if (!seated) {
      await refundOrder(orderId, 'group seat no longer held');
      return;
    }
    await core.services.share.markPaid(orderId);
    await orders().transition(orderId, 'paid', 'grouping', SYSTEM, 'waiting for the group to fill');
    await advance(groupId);
  }

  /** Called by the order module when a group order is cancelled: its held seat and claim come back. */
  async function onOrderCancelled(order: OrderLike): Promise<void> {
    const orderId = orderIdOf(order);
    if (!order.groupId) return;
    await freeHeldSeat(order.groupId, order.userId, { orderId });
    await release({ orderId });
  }

  return {
    deals,
    loadGroup,
    settle,
    onOrderPaid,
    onOrderCancelled,

    /**
     * Opens a group: the leader's seat is held and their order waits for payment. The group is
     * `pending` (not listed, not joinable) until the leader pays.
     */
    async open(userId: string, input: { dealId: string; storeId: string; shareId?: string }) {
      const deal = await deals.load(input.dealId);
      await assertDealOpenTo(deal, input.storeId, userId);
      const groupId = newId('g_');
      const claimId = newId('c_');
      await claim(deal._id, userId, groupId, claimId);
      const now = core.clock.now();
      const holdUntil = new Date(now.getTime() + HOLD_MINUTES * MIN);
      const shareId = await core.services.share.attribute(userId, deal._id, input.shareId);
      const seat: Seat = { userId, orderId: null, claimId, status: 'held', leader: true, holdUntil, joinedAt: now, shareId: shareId ?? null };
      await m.Group.create({
        _id: groupId,
        dealId: deal._id,
        storeId: input.storeId,
        productId: deal.productId,
        leaderId: userId,
        size: deal.groupSize,
        status: 'pending',
        seatsLeft: deal.groupSize - 1,
        heldCount: 1,
        paidCount: 0,
        seats: { [seatKey(userId)]: seat },
        expiresAt: holdUntil,
      });
      const created = await createOrder({ _id: groupId, storeId: input.storeId, productId: deal.productId }, deal._id, userId, claimId, leaderPriceCents(deal), shareId);
      return { groupId, ...created };
    },

    /**
     * Holds a seat in an open group (open, not expired, a seat left, not a member yet — checked and
     * written under the group's lock, the write also conditional on them) and creates the member's
     * order; the seat is given back if anything after fails.
     */
    async join(userId: string, groupId: string, input: { shareId?: string }) {
      const before = await loadGroup(groupId);
      const refused = whyNotJoinable(before, userId);
      if (refused) throw refused; // most losers of a rush stop here, without queueing for the lock
      const deal = await deals.load(before.dealId);
      await assertDealOpenTo(deal, before.storeId, userId);

      const k = seatKey(userId);
      const claimId = newId('c_');
      await locked(groupId, async (g) => {
        const why = whyNotJoinable(g, userId);
        if (why) throw why;
        const now = core.clock.now();
        const seat: Seat = { userId, orderId: null, claimId, status: 'held', leader: false, holdUntil: new Date(now.getTime() + HOLD_MINUTES * MIN), joinedAt: now, shareId: null };
        const took = await m.Group.updateOne(
          { _id: groupId, status: 'open', expiresAt: { $gt: now }, seatsLeft: { $gt: 0 }, [`seats.${k}`]: { $exists: false } },
          { $inc: { seatsLeft: -1, heldCount: 1 }, $set: { [`seats.${k}`]: seat } },
        );
        if (took.modifiedCount !== 1) throw whyNotJoinable(await loadGroup(groupId), userId) ?? new ConflictError('GROUP_CHANGED', 'The group changed, try again', { groupId });
      }, async () => {
        const why = whyNotJoinable(await loadGroup(groupId), userId);
        if (why) throw why;
      });
      try {
        await claim(deal._id, userId, groupId, claimId);
      } catch (err) {
        await freeHeldSeat(groupId, userId, { claimId });
        throw err;
      }
      const shareId = await core.services.share.attribute(userId, deal._id, input.shareId);
      if (shareId) await locked(groupId, () => m.Group.updateOne({ _id: groupId, [`seats.${k}.claimId`]: claimId }, { $set: { [`seats.${k}.shareId`]: shareId } }));
      const created = await createOrder(before, deal._id, userId, claimId, deal.groupPriceCents, shareId);
      return { groupId, ...created };
    },

    /**
     * The reconciler's pass (safe to run anywhere, any number of times at once): frees lapsed holds,
     * fails expired groups and refunds them, finishes half-done successes and failures, and warns
     * members of groups that are about to expire.
     */
    async sweep(now: Date = core.clock.now()) {
      const report = { holdsFreed: 0, failed: 0, settled: 0, unwound: 0, warned: 0 };
      // 1. Unpaid holds past their deadline.
      const withHolds = (await m.Group.find({ status: { $in: ['pending', 'open', 'failed'] }, heldCount: { $gt: 0 } }).lean()) as GroupDoc[];
      for (const g of withHolds) {
        for (const s of Object.values(g.seats)) {
          if (s.status !== 'held' || s.holdUntil > now) continue;
          if (s.orderId) {
            await cancelQuietly(s.orderId, 'seat hold expired');
            const o = await ordersColl().findOne({ _id: s.orderId }, { projection: { status: 1 } });
            // The order module calls onOrderCancelled itself; repeating it finishes a crashed one.
            if (o?.status === 'cancelled') {
              await onOrderCancelled({ _id: s.orderId, userId: s.userId, status: 'cancelled', groupId: g._id });
              report.holdsFreed++;
            }
          } else if (s.holdUntil.getTime() + MIN <= now.getTime()) {
            // The order was never created (a crash between seat and order): give everything back.
            if (await freeHeldSeat(g._id, s.userId, { claimId: s.claimId })) report.holdsFreed++;
            await release({ _id: s.claimId });
          }
        }
      }
      // 2. Open groups past their end (one that filled just in time succeeds instead).
      for (const g of (await m.Group.find({ status: 'open', expiresAt: { $lte: now } }).lean()) as GroupDoc[]) {
        if (g.paidCount === g.size) await advance(g._id);
        else if (await tryFail(g._id, now)) report.failed++;
      }
      // 3. Half-done work from crashes or lost races.
      for (const g of (await m.Group.find({ status: 'failed', refundsPending: true }).lean()) as GroupDoc[]) {
        await unwindFailed(g._id);
        report.unwound++;
      }
      for (const g of (await m.Group.find({ status: 'succeeded', settled: false }).lean()) as GroupDoc[]) {
        await settle(g._id);
        report.settled++;
      }
      for (const g of (await m.Group.find({ status: 'open', heldCount: 0, seatsLeft: 0 }).lean()) as GroupDoc[]) {
        await advance(g._id);
      }
      // 4. Warn the paid members of groups about to expire, once per group.
      const soon = new Date(now.getTime() + EXPIRING_SOON_MINUTES * MIN);
      for (const e of (await m.Group.find({ status: 'open', expiringSoonNotified: false, expiresAt: { $gt: now, $lte: soon } }).lean()) as GroupDoc[]) {
        const warned = await locked(e._id, async (g) => {
          if (g.status !== 'open' || g.expiringSoonNotified) return false;
          const deal = await deals.load(g.dealId);
          const entries = Object.values(g.seats)
            .filter((s) => s.status === 'paid')
            .map((s) => outboxEntry('GroupExpiringSoon', g._id, s.userId, { title: deal.title, seatsLeft: String(g.seatsLeft), expiresAt: g.expiresAt.toISOString() }, groupPage(g._id), now));
          const r = await m.Group.updateOne({ _id: g._id, status: 'open', expiringSoonNotified: false }, { $set: { expiringSoonNotified: true }, $push: { outbox: { $each: entries } } });
          return r.modifiedCount === 1;
        });
        if (warned) report.warned++;
      }
      return report;
    },

    /** Open (joinable) groups per deal at a store, for the home screen: `{[dealId]: count}`. */
    async openGroupCounts(dealIds: string[], storeId: string): Promise<Record<string, number>> {
      const out: Record<string, number> = Object.fromEntries(dealIds.map((d) => [d, 0]));
      if (dealIds.length === 0) return out;
      const rows = await m.Group.aggregate<{ _id: string; n: number }>([
        { $match: { dealId: { $in: dealIds }, storeId, status: 'open', seatsLeft: { $gt: 0 }, expiresAt: { $gt: core.clock.now() } } },
        { $group: { _id: '$dealId', n: { $sum: 1 } } },
      ]);
      for (const r of rows) out[r._id] = r.n;
      return out;
    },

    /** A few open groups of a deal at a store that still have seats, soonest to end first. */
    async openGroups(dealId: string, storeId: string, limit = 5) {
      const docs = (await m.Group.find({ dealId, storeId, status: 'open', seatsLeft: { $gt: 0 }, expiresAt: { $gt: core.clock.now() } })
        .sort({ expiresAt: 1 })
        .limit(limit)
        .lean()) as GroupDoc[];
      return docs.map((g) => ({ id: g._id, leaderId: g.leaderId, seatsLeft: g.seatsLeft, size: g.size, expiresAt: g.expiresAt.toISOString() }));
    },
  };
}
export type GroupService = ReturnType<typeof createGroupService>;

declare module '../../core.js' {
  interface Services {
    groupbuy: GroupService;
  }
}
