import type { Clock } from '../../common/clock.js';
import { DomainEvent, type DomainEvents } from '../../common/events.js';
import type { Logger } from '../../common/logger.js';
import { outboxEntry } from '../../common/outbox.js';
import { OrderAwaitingPickup } from '../order/order.events.js';
import type { OrderService } from '../order/order.service.js';
import { FULFILMENT_START } from '../order/order.state.js';
import type { Actor, OrderDoc } from '../order/order.types.js';
import type { DealService } from './deal.service.js';
import type { GroupJoin } from './group.join.js';
import type { GroupbuyModels } from './group.model.js';
import { groupMove } from './group.state.js';
import { groupPage, seatKey, type GroupDoc } from './group.types.js';

const MIN = 60_000;
const SYSTEM: Actor = { type: 'system', id: 'groupbuy' };

/** Every seat of the group is paid: it succeeded (its members' orders move on to fulfilment). */
export class GroupSucceeded extends DomainEvent {
  readonly type = 'GroupSucceeded';
  constructor(readonly group: GroupDoc) {
    super();
  }
}

/** The group ended short of members (or its leader never paid): its members are refunded or cancelled. */
export class GroupFailed extends DomainEvent {
  readonly type = 'GroupFailed';
  constructor(readonly group: GroupDoc) {
    super();
  }
}

export interface GroupLifecycleDeps {
  models: Pick<GroupbuyModels, 'Group'>;
  clock: Clock;
  logger: Logger;
  events: DomainEvents;
  deals: DealService;
  orders: OrderService;
  join: GroupJoin;
  /** Refunds an order once (the payment module). */
  refund(orderId: string, reason: string): Promise<unknown>;
}

/**
 * What happens to a group after its seats are taken: a paid seat, the payment that fills it (the
 * seat and the success are ONE update, with a GroupSucceeded message per member in its outbox), the
 * failure at its deadline, and the unwinding of either. Reacts to OrderPaid and OrderCancelled; every
 * step is idempotent, so the sweep may run it again after a crash.
 */
export class GroupLifecycle {
  constructor(private readonly d: GroupLifecycleDeps) {}

  private get groups() {
    return this.d.models.Group;
  }

  private async find(groupId: string): Promise<GroupDoc | null> {
    return (await this.groups.findById(groupId).lean()) as GroupDoc | null;
  }

  /**
   * A group order was paid (it is in `grouping`): marks its seat paid once; the leader's payment opens
   * the group, the last one succeeds it. A payment for a seat that is gone (hold lapsed, group failed)
   * is refunded.
   */
  async onOrderPaid(order: OrderDoc): Promise<void> {
    if (order.kind !== 'group' || !order.groupId || order.status !== 'grouping') return;
    const k = seatKey(order.userId);
    for (let attempt = 0; attempt < 5; attempt++) {
      const g = await this.find(order.groupId);
      const seat = g?.seats[k];
      if (!g || g.abandoned || !seat || seat.orderId !== order._id) {
        await this.d.refund(order._id, 'group seat no longer held');
        return;
      }
      if (seat.status === 'paid') {
        if (g.status === 'succeeded') await this.settle(g);
        else if (g.status === 'failed') await this.d.refund(order._id, 'group failed');
        return;
      }
      if (g.status !== 'pending' && g.status !== 'open') {
        await this.d.refund(order._id, 'group seat no longer held');
        return;
      }
      const now = this.d.clock.now();
      const seatPaid = { [`seats.${k}.status`]: 'paid', [`seats.${k}.paidAt`]: now };
      const seatFilter = { _id: g._id, [`seats.${k}.orderId`]: order._id, [`seats.${k}.status`]: 'held' };
      if (g.status === 'pending') {
        if (!seat.leader) return; // only the leader can be seated in a pending group
        const deal = await this.d.deals.load(g.dealId);
        const r = await this.groups.updateOne(
          { ...seatFilter, ...groupMove('pending', 'open') },
          { $set: { ...seatPaid, status: 'open', openedAt: now, expiresAt: new Date(now.getTime() + deal.durationMinutes * MIN) }, $inc: { paidCount: 1 } },
        );
        if (r.modifiedCount === 1) return;
        continue;
      }
      if (g.paidCount === g.size - 1 && g.seatsLeft === 0) {
        // The last seat: paid and succeeded in one update.
        const won = await this.succeed(g, { ...seatFilter, paidCount: g.size - 1, seatsLeft: 0 }, { set: seatPaid, inc: { paidCount: 1 } });
        if (won) return;
        continue;
      }
      const after = (await this.groups.findOneAndUpdate({ ...seatFilter, status: 'open' }, { $set: seatPaid, $inc: { paidCount: 1 } }, { returnDocument: 'after' }).lean()) as GroupDoc | null;
      if (!after) continue;
      // Two last payers at once each saw a seat still unpaid: whoever finds the group full succeeds it.
      if (after.paidCount === after.size && after.seatsLeft === 0) await this.succeed(after, { _id: after._id, paidCount: after.size, seatsLeft: 0 }, {});
      return;
    }
    this.d.logger.warn({ orderId: order._id, groupId: order.groupId }, 'group seat payment did not settle; the sweep retries');
  }

  /**
   * The move open → succeeded (with `filter` on top of the status), with one GroupSucceeded message
   * per member in the same update, then the members' orders move on. True for the call that made it.
   */
  async succeed(g: GroupDoc, filter: Record<string, unknown>, also: { set?: Record<string, unknown>; inc?: Record<string, number> }): Promise<boolean> {
    const now = this.d.clock.now();
    const deal = await this.d.deals.load(g.dealId);
    const entries = Object.values(g.seats).map((s) =>
      outboxEntry('GroupSucceeded', g._id, s.userId, { title: deal.title, size: String(g.size), groupId: g._id }, groupPage(g._id), now),
    );
    const r = await this.groups.updateOne(
      { ...filter, ...groupMove('open', 'succeeded') },
      { $set: { ...also.set, status: 'succeeded', closedAt: now }, ...(also.inc ? { $inc: also.inc } : {}), $push: { outbox: { $each: entries } } },
    );
    if (r.modifiedCount !== 1) return false;
    const done = { ...g, status: 'succeeded' as const, closedAt: now };
    await this.d.events.emit(new GroupSucceeded(done));
    return true;
  }

  /** Moves every order of a succeeded group from `grouping` on to its fulfilment (each once). Idempotent. */
  async settle(g: Pick<GroupDoc, '_id' | 'seats' | 'status'>): Promise<void> {
    if (g.status !== 'succeeded') return;
    const orders = await this.d.orders.many(Object.values(g.seats).map((s) => s.orderId));
    for (const o of orders) {
      if (o.status !== 'grouping') continue;
      const next = FULFILMENT_START[o.fulfilment?.type ?? 'pickup'];
      if (await this.d.orders.transition(o, 'grouping', next, SYSTEM, 'group succeeded')) {
        if (next === 'awaiting_pickup') await this.d.events.emit(new OrderAwaitingPickup({ ...o, status: next }));
      }
    }
  }

  /** Fails a group (`from` pending or open), once, with a GroupFailed message per paid member, then unwinds it. */
  async fail(g: GroupDoc, from: 'pending' | 'open', filter: Record<string, unknown> = {}): Promise<boolean> {
    const now = this.d.clock.now();
    const paid = Object.values(g.seats).filter((s) => s.status === 'paid');
    const deal = paid.length ? await this.d.deals.load(g.dealId) : null;
    const entries = paid.map((s) => outboxEntry('GroupFailed', g._id, s.userId, { title: deal!.title, groupId: g._id }, groupPage(g._id), now));
    const r = await this.groups.updateOne(
      { ...filter, _id: g._id, ...groupMove(from, 'failed') },
      { $set: { status: 'failed', closedAt: now }, ...(entries.length ? { $push: { outbox: { $each: entries } } } : {}) },
    );
    if (r.modifiedCount !== 1) return false;
    await this.d.events.emit(new GroupFailed({ ...g, status: 'failed', closedAt: now }));
    return true;
  }

  /** For a failed group: the deal's units come back once, paid seats are refunded once, held ones cancelled. */
  async unwind(g: GroupDoc): Promise<void> {
    if (g.status !== 'failed') return;
    await this.d.deals.giveBack(g.dealId, g._id, g.size);
    for (const s of Object.values(g.seats)) {
      try {
        if (s.status === 'paid') await this.d.refund(s.orderId, 'group failed');
        else await this.d.orders.cancel(s.orderId, SYSTEM, 'group failed');
      } catch (err) {
        this.d.logger.warn({ err, groupId: g._id, orderId: s.orderId }, 'group unwind step failed; the sweep retries');
      }
    }
  }

  /**
   * A paid member of a group still open was refunded at their request: the seat comes back for
   * someone else (seat gone, seatsLeft + 1, paidCount − 1, one update guarded by the seat's order and
   * status). A group that already succeeded or failed is left as it is. True for the call that freed it.
   */
  async releaseRefundedSeat(order: Pick<OrderDoc, '_id' | 'userId' | 'groupId' | 'kind'>): Promise<boolean> {
    if (order.kind !== 'group' || !order.groupId) return false;
    const k = seatKey(order.userId);
    const r = await this.groups.updateOne(
      { _id: order.groupId, status: 'open', [`seats.${k}.orderId`]: order._id, [`seats.${k}.status`]: 'paid' },
      { $unset: { [`seats.${k}`]: '' }, $inc: { seatsLeft: 1, paidCount: -1 } },
    );
    return r.modifiedCount === 1;
  }

  /** A group order was cancelled unpaid: its held seat comes back; a pending group whose leader it was fails. */
  async onOrderCancelled(order: OrderDoc): Promise<void> {
    if (order.kind !== 'group' || !order.groupId) return;
    const g = await this.find(order.groupId);
    const seat = g?.seats[seatKey(order.userId)];
    if (!g || !seat || seat.orderId !== order._id || seat.status !== 'held') return;
    if (g.status === 'pending' && seat.leader) {
      await this.fail(g, 'pending');
      return;
    }
    await this.d.join.freeSeat(g._id, order.userId, order._id);
  }
}
