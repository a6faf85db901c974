import type { Clock } from '../../common/clock.js';
import { ConflictError, isDuplicateKeyError } from '../../common/errors.js';
import type { MemberModels } from '../member/member.model.js';
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
 * Spending and returning points. The ledger (member module) stays the truth; `points_wallets` holds
 * each user's spendable balance as a counter so a spend is ONE `$inc` with `balance ≥ n` in its filter
 * (racing orders never take it below zero). Every change is a ledger entry whose `_id` names the order
 * (`points_spend:<orderId>`, `points_return:<orderId>`, `order_pickup:<orderId>`), so each happens once.
 *
 * Known window: the wallet is created from the ledger's sum on first use; a credit landing while that
 * first sum is read may be counted once too few or too many in the counter (the ledger is right).
 */
export class PointsService {
  constructor(private readonly d: { models: PromotionModels & Pick<MemberModels, 'PointsEntry'>; clock: Clock }) {}

  private get m() {
    return this.d.models;
  }

  /** The user's spendable balance, read only (the counter, or the ledger's sum before its first use). */
  async peek(userId: string): Promise<number> {
    const w = await this.m.PointsWallet.findById(userId).lean();
    if (w) return w.balance;
    const [row] = await this.m.PointsEntry.aggregate<{ total: number }>([{ $match: { userId } }, { $group: { _id: null, total: { $sum: '$points' } } }]);
    return row?.total ?? 0;
  }

  /** The user's spendable balance, creating the counter from the ledger the first time. */
  async balance(userId: string): Promise<number> {
    const w = await this.m.PointsWallet.findById(userId).lean();
    if (w) return w.balance;
    const [row] = await this.m.PointsEntry.aggregate<{ total: number }>([{ $match: { userId } }, { $group: { _id: null, total: { $sum: '$points' } } }]);
    try {
      await this.m.PointsWallet.create({ _id: userId, balance: row?.total ?? 0, createdAt: this.d.clock.now() });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    return (await this.m.PointsWallet.findById(userId).lean())?.balance ?? 0;
  }

  private async entry(userId: string, reason: string, refId: string, points: number, lifetime: number): Promise<boolean> {
    try {
      await this.m.PointsEntry.create({ _id: `${reason}:${refId}`, userId, cardNo: null, reason, refId, points, lifetime, createdAt: this.d.clock.now() });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** Spends `points` for an order: one guarded `$inc`, then its ledger entry. 409 POINTS_INSUFFICIENT. */
  async spend(userId: string, orderId: string, points: number): Promise<void> {
    if (points <= 0) return;
    await this.balance(userId);
    const r = await this.m.PointsWallet.updateOne({ _id: userId, balance: { $gte: points } }, { $inc: { balance: -points } });
    if (r.modifiedCount !== 1) throw new PointsInsufficientError(points);
    if (!(await this.entry(userId, 'points_spend', orderId, -points, 0))) {
      // Already spent for this order (a retry): undo this call's decrement.
      await this.m.PointsWallet.updateOne({ _id: userId }, { $inc: { balance: points } });
    }
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
    if (!(await this.entry(userId, 'points_return', orderId, points, 0))) return false;
    await this.m.PointsWallet.updateOne({ _id: userId }, { $inc: { balance: points } });
    return true;
  }

  /** A collected order earns its points, once (ledger entry `order_pickup:<orderId>`). */
  async earn(userId: string, orderId: string, amountCents: number): Promise<number> {
    const points = pointsEarnedFor(amountCents);
    if (points <= 0 || !(await this.entry(userId, 'order_pickup', orderId, points, points))) return 0;
    await this.m.PointsWallet.updateOne({ _id: userId }, { $inc: { balance: points } });
    return points;
  }

  /** A refunded order that had earned points loses them, once. */
  async unearn(userId: string, orderId: string): Promise<void> {
    const earned = await this.m.PointsEntry.findById(`order_pickup:${orderId}`).lean();
    if (!earned || !(await this.entry(userId, 'order_unearn', orderId, -earned.points, -earned.lifetime))) return;
    await this.m.PointsWallet.updateOne({ _id: userId }, { $inc: { balance: -earned.points } });
  }

  /** Keeps the counter in step with a credit the member module booked (till receipts). */
  async credited(userId: string, points: number): Promise<void> {
    if (points !== 0) await this.m.PointsWallet.updateOne({ _id: userId }, { $inc: { balance: points } });
  }
}
