import type { Clock } from '../../common/clock.js';
import { isDuplicateKeyError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import { outboxEntry } from '../../common/outbox.js';
import type { OrderService } from '../order/order.service.js';
import type { Actor } from '../order/order.types.js';
import type { DealService } from './deal.service.js';
import type { GroupJoin } from './group.join.js';
import type { GroupLifecycle } from './group.lifecycle.js';
import type { GroupbuyModels } from './group.model.js';
import { groupPage, type GroupDoc } from './group.types.js';

/** A sweep that finds an open group this close to its end warns its paid members once. */
export const EXPIRING_SOON_MINUTES = 15;
const MIN = 60_000;
/** A step older than this is taken to be abandoned by a crashed request, not merely slow. */
const STALE_MS = 2 * MIN;
const SWEEP: Actor = { type: 'system', id: 'sweep' };

export interface GroupSweepDeps {
  models: Pick<GroupbuyModels, 'Group'>;
  clock: Clock;
  logger: Logger;
  deals: DealService;
  orders: OrderService;
  join: GroupJoin;
  lifecycle: GroupLifecycle;
}

export interface GroupSweepReport {
  holdsFreed: number;
  failed: number;
  settled: number;
  unwound: number;
  dealUnitsBack: number;
  warned: number;
}

/**
 * The group part of the reconciler (safe to run anywhere, any number of times at once): frees lapsed
 * seat holds, fails expired groups, and finishes what a crash left half-done — found from the
 * documents' own states (orders still `grouping`, deal holds without their group), not from flags.
 */
export class GroupSweep {
  constructor(private readonly d: GroupSweepDeps) {}

  private warn(err: unknown, what: string, id: string) {
    this.d.logger.warn({ err, id }, `group sweep: ${what} failed`);
  }

  async run(now: Date = this.d.clock.now()): Promise<GroupSweepReport> {
    const report: GroupSweepReport = { holdsFreed: 0, failed: 0, settled: 0, unwound: 0, dealUnitsBack: 0, warned: 0 };
    const live = (await this.d.models.Group.find({ status: { $in: ['pending', 'open', 'failed'] } }).lean()) as GroupDoc[];
    await this.freeLapsedHolds(live, now, report);
    for (const g of live.filter((x) => x.status === 'open' && x.expiresAt <= now)) {
      try {
        const fresh = (await this.d.models.Group.findById(g._id).lean()) as GroupDoc | null;
        if (!fresh || fresh.status !== 'open') continue;
        // One that filled just in time succeeds instead.
        if (fresh.paidCount === fresh.size && fresh.seatsLeft === 0) await this.d.lifecycle.succeed(fresh, { _id: fresh._id, paidCount: fresh.size }, {});
        else if (await this.d.lifecycle.fail(fresh, 'open', { expiresAt: { $lte: now } })) report.failed++;
      } catch (err) {
        this.warn(err, 'expire', g._id);
      }
    }
    await this.finishStuckOrders(now, report);
    await this.settleDealHolds(now, report);
    report.warned = await this.warnExpiringSoon(now);
    return report;
  }

  /** Unpaid seats past their hold: the order is cancelled (its seat comes back with it). */
  private async freeLapsedHolds(groups: GroupDoc[], now: Date, report: GroupSweepReport) {
    for (const g of groups) {
      for (const s of Object.values(g.seats)) {
        if (s.status !== 'held' || new Date(s.holdUntil) > now) continue;
        try {
          const o = await this.d.orders.get(s.orderId);
          if (o?.status === 'pending_payment') {
            if (await this.d.orders.cancel(s.orderId, SWEEP, 'seat hold expired')) report.holdsFreed++;
          } else if (o?.status === 'cancelled') {
            // Cancelled, but its seat is still here: the reaction was lost in a crash.
            await this.d.lifecycle.onOrderCancelled(o);
            report.holdsFreed++;
          } else if (!o && new Date(s.holdUntil).getTime() + MIN <= now.getTime() && (await this.d.orders.fence(s.orderId, g.storeId))) {
            // The order was never saved (a crash between seat and order): the seat comes back.
            if (g.status === 'pending' && s.leader) await this.d.lifecycle.fail(g, 'pending');
            else if (await this.d.join.freeSeat(g._id, s.userId, s.orderId)) report.holdsFreed++;
          }
        } catch (err) {
          this.warn(err, 'free hold', s.orderId);
        }
      }
    }
  }

  /** Group orders still `grouping` (or `paid`) a while after their last change: finish their group's step. */
  private async finishStuckOrders(now: Date, report: GroupSweepReport) {
    const stuck = await this.d.orders.stale(['grouping', 'paid'], new Date(now.getTime() - MIN), 500, { kind: 'group' });
    const byGroup = new Map<string, typeof stuck>();
    for (const o of stuck) if (o.groupId) byGroup.set(o.groupId, [...(byGroup.get(o.groupId) ?? []), o]);
    for (const [groupId, orders] of byGroup) {
      try {
        const g = (await this.d.models.Group.findById(groupId).lean()) as GroupDoc | null;
        if (g?.status === 'succeeded') {
          await this.d.lifecycle.settle(g);
          report.settled++;
        } else if (g?.status === 'failed') {
          await this.d.lifecycle.unwind(g);
          report.unwound++;
        } else {
          for (const o of orders) await this.d.lifecycle.onOrderPaid(o);
        }
      } catch (err) {
        this.warn(err, 'finish', groupId);
      }
    }
  }

  /**
   * The deal's holds: a failed group's units come back (once), a succeeded group's stay sold, and a
   * hold whose group was never saved (a crash in `open`) is fenced and given back.
   */
  private async settleDealHolds(now: Date, report: GroupSweepReport) {
    const holds = (await this.d.deals.holds()).filter((h) => h.at.getTime() < now.getTime() - STALE_MS);
    if (holds.length === 0) return;
    const groups = new Map(
      ((await this.d.models.Group.find({ _id: { $in: holds.map((h) => h.groupId) } }, { status: 1 }).lean()) as Pick<GroupDoc, '_id' | 'status' | 'abandoned'>[]).map((g) => [g._id, g]),
    );
    const kept = new Map<string, string[]>();
    for (const h of holds) {
      try {
        const g = groups.get(h.groupId);
        if (!g) {
          if (await this.fenceGroup(h.groupId, h.dealId, now)) report.dealUnitsBack += (await this.d.deals.giveBack(h.dealId, h.groupId, h.n)) ? h.n : 0;
        } else if (g.status === 'failed') {
          if (await this.d.deals.giveBack(h.dealId, h.groupId, h.n)) report.dealUnitsBack += h.n;
        } else if (g.status === 'succeeded') {
          kept.set(h.dealId, [...(kept.get(h.dealId) ?? []), h.groupId]);
        }
      } catch (err) {
        this.warn(err, 'deal hold', h.groupId);
      }
    }
    for (const [dealId, ids] of kept) await this.d.deals.keep(dealId, ids);
  }

  /** A tombstone under a group id whose open died before saving it, so it can never be saved late. */
  private async fenceGroup(groupId: string, dealId: string, now: Date): Promise<boolean> {
    try {
      await this.d.models.Group.collection.insertOne({
        _id: groupId,
        dealId,
        storeId: '',
        productId: '',
        leaderId: '',
        size: 2,
        status: 'failed',
        seatsLeft: 0,
        paidCount: 0,
        seats: {},
        expiresAt: now,
        openedAt: null,
        closedAt: now,
        warnedAt: null,
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

  /** Warns the paid members of groups about to expire, once per group (the warning and its messages are one update). */
  private async warnExpiringSoon(now: Date): Promise<number> {
    let warned = 0;
    const soon = new Date(now.getTime() + EXPIRING_SOON_MINUTES * MIN);
    const due = (await this.d.models.Group.find({ status: 'open', warnedAt: null, expiresAt: { $gt: now, $lte: soon } }).lean()) as GroupDoc[];
    for (const g of due) {
      const deal = await this.d.deals.load(g.dealId);
      const entries = Object.values(g.seats)
        .filter((s) => s.status === 'paid')
        .map((s) => outboxEntry('GroupExpiringSoon', g._id, s.userId, { title: deal.title, seatsLeft: String(g.seatsLeft), expiresAt: g.expiresAt.toISOString() }, groupPage(g._id), now));
      const r = await this.d.models.Group.updateOne({ _id: g._id, status: 'open', warnedAt: null }, { $set: { warnedAt: now }, $push: { outbox: { $each: entries } } });
      if (r.modifiedCount === 1) warned++;
    }
    return warned;
  }
}
