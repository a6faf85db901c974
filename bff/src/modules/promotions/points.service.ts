import type { Clock } from '../../common/clock.js';
import { ConflictError, isDuplicateKeyError } from '../../common/errors.js';
import type { MemberModels } from '../member/member.model.js';
import { bookPoints, insertAfterMove, type PointsBooking } from '../member/points-ledger.js';
import type { PromotionModels } from './promotions.model.js';

/** 409 POINTS_INSUFFICIENT: the balance no longer covers the points this order would spend. */
export class PointsInsufficientError extends ConflictError {
  constructor(needed: number) {
    super('POINTS_INSUFFICIENT', 'Not enough points for this order any more; please check out again', { needed });
  }
}

/** Points earned by a collected online order: one per whole yuan paid. */
export const pointsEarnedFor = (amountCents: number) => Math.max(0, Math.floor(amountCents / 100));

/**
 * A wallet whose counter has not moved for this long is taken to have nothing in flight: a change is
 * two writes (the counter, then its ledger entry) made by one request within seconds, so a counter
 * and ledger that disagree after this long were left so by a process that died between the two.
 */
export const WALLET_QUIET_MS = 5 * 60_000;
const REPAIR_BATCH = 200;

/**
 * Spending and returning points. The ledger (member module) stays the truth; `points_wallets` holds
 * each user's spendable balance as a counter so a spend is ONE `$inc` with `balance ≥ n` in its filter
 * (racing orders never take it below zero). Every change is a ledger entry whose `_id` names the order
 * (`points_spend:<orderId>`, `points_return:<orderId>`, `order_pickup:<orderId>`), so each happens once.
 *
 * Every change moves the counter FIRST, stamping `dirtyAt` in the same update, and then writes its
 * ledger entry; a duplicate entry (a retry) moves the counter back. A process that dies between the
 * two leaves a dirty wallet whose counter is off, and the sweep's `repairWallets` sets it to the
 * ledger's sum once the wallet has been quiet for `WALLET_QUIET_MS`. The same check covers the first
 * use: the counter is created from the ledger's sum, dirty, so a booking racing that read is caught.
 * Known window: a duplicate credit racing its original moves the counter up and back, and a spend
 * landing in between may use those points.
 */
export class PointsService {
  constructor(private readonly d: { models: PromotionModels & Pick<MemberModels, 'PointsEntry'>; clock: Clock }) {}

  private get m() {
    return this.d.models;
  }

  private async ledgerSum(userId: string): Promise<number> {
    const [row] = await this.m.PointsEntry.aggregate<{ total: number }>([{ $match: { userId } }, { $group: { _id: null, total: { $sum: '$points' } } }]);
    return row?.total ?? 0;
  }

  /** The user's spendable balance, read only (the counter, or the ledger's sum before its first use). */
  async peek(userId: string): Promise<number> {
    const w = await this.m.PointsWallet.findById(userId).lean();
    return w ? w.balance : this.ledgerSum(userId);
  }

  /** The user's spendable balance, creating the counter from the ledger the first time. */
  async balance(userId: string): Promise<number> {
    const w = await this.m.PointsWallet.findById(userId).lean();
    if (w) return w.balance;
    const total = await this.ledgerSum(userId);
    const now = this.d.clock.now();
    try {
      await this.m.PointsWallet.create({ _id: userId, balance: total, createdAt: now, dirtyAt: now });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    return (await this.m.PointsWallet.findById(userId).lean())?.balance ?? 0;
  }

  /**
   * Moves the counter by `points` (no guard: credits, give-backs and undoing a move), marking the
   * wallet for the sweep's check. A user without a counter yet is skipped: it is created from the ledger.
   */
  async add(userId: string, points: number): Promise<void> {
    if (points !== 0) await this.m.PointsWallet.updateOne({ _id: userId }, { $inc: { balance: points }, $set: { dirtyAt: this.d.clock.now() } });
  }

  private booking(userId: string, reason: string, refId: string, points: number, lifetime: number): PointsBooking {
    return { userId, cardNo: null, reason, refId, points, lifetime, createdAt: this.d.clock.now() };
  }

  /** Books a change once per (reason, refId): the counter, then the entry (see the class comment). */
  private book(userId: string, reason: string, refId: string, points: number, lifetime: number): Promise<boolean> {
    return bookPoints(this.m.PointsEntry, this, this.booking(userId, reason, refId, points, lifetime));
  }

  /** Spends `points` for an order: one guarded `$inc`, then its ledger entry. 409 POINTS_INSUFFICIENT. */
  async spend(userId: string, orderId: string, points: number): Promise<void> {
    if (points <= 0) return;
    await this.balance(userId);
    const r = await this.m.PointsWallet.updateOne({ _id: userId, balance: { $gte: points } }, { $inc: { balance: -points }, $set: { dirtyAt: this.d.clock.now() } });
    if (r.modifiedCount !== 1) throw new PointsInsufficientError(points);
    // Already spent for this order (a retry): the entry exists and this call's decrement is undone.
    await insertAfterMove(this.m.PointsEntry, this, this.booking(userId, 'points_spend', orderId, -points, 0));
  }

  /** What an order id spent in points, from its ledger entry (null when it spent none). */
  async spentBy(orderId: string): Promise<{ userId: string; points: number } | null> {
    const e = await this.m.PointsEntry.findById(`points_spend:${orderId}`).lean();
    return e ? { userId: e.userId, points: -e.points } : null;
  }

  /** Gives an order's spent points back, exactly once (only if they were spent). */
  async giveBack(userId: string, orderId: string, points: number): Promise<boolean> {
    if (points <= 0) return false;
    if (!(await this.m.PointsEntry.exists({ _id: `points_spend:${orderId}` }))) return false;
    return this.book(userId, 'points_return', orderId, points, 0);
  }

  /** A collected order earns its points, once (ledger entry `order_pickup:<orderId>`). */
  async earn(userId: string, orderId: string, amountCents: number): Promise<number> {
    const points = pointsEarnedFor(amountCents);
    if (points <= 0 || !(await this.book(userId, 'order_pickup', orderId, points, points))) return 0;
    return points;
  }

  /** A refunded order that had earned points loses them, once. */
  async unearn(userId: string, orderId: string): Promise<void> {
    const earned = await this.m.PointsEntry.findById(`order_pickup:${orderId}`).lean();
    if (earned) await this.book(userId, 'order_unearn', orderId, -earned.points, -earned.lifetime);
  }

  /**
   * The sweep's check: each wallet dirty and quiet for `WALLET_QUIET_MS` gets the ledger's sum, in a
   * compare-and-set on the `dirtyAt` and balance it was read with (a change landing meanwhile wins and
   * the wallet is checked on a later pass). Answers how many counters were wrong and are now right.
   */
  async repairWallets(now: Date = this.d.clock.now()): Promise<number> {
    const quiet = await this.m.PointsWallet.find({ dirtyAt: { $lt: new Date(now.getTime() - WALLET_QUIET_MS) } })
      .limit(REPAIR_BATCH)
      .lean();
    let repaired = 0;
    for (const w of quiet) {
      const total = await this.ledgerSum(w._id);
      const r = await this.m.PointsWallet.updateOne({ _id: w._id, dirtyAt: w.dirtyAt, balance: w.balance }, { $set: { balance: total }, $unset: { dirtyAt: 1 } });
      if (r.modifiedCount === 1 && total !== w.balance) repaired++;
    }
    return repaired;
  }
}
