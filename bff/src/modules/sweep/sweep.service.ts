import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { ShelfStock } from '../catalog/stock.js';
import type { GroupSweep, GroupSweepReport } from '../groupbuy/group.sweep.js';
import type { OrderService } from '../order/order.service.js';
import type { Actor, OrderDoc } from '../order/order.types.js';
import type { PaymentModels } from '../payment/payment.model.js';
import type { PaymentService } from '../payment/payment.service.js';
import type { VoucherService } from '../voucher/voucher.service.js';

/** A step older than this is taken to be abandoned by a crashed process (not merely slow). */
const STALE_MS = 60_000;
/** Holds get longer: a request under load can take a while between its stock take and its insert. */
const STALE_HOLD_MS = 2 * 60_000;
const BATCH = 200;
const PARALLEL = 8;

const SWEEP: Actor = { type: 'system', id: 'sweep' };

export interface SweepCounts {
  holdsCleared: number;
  holdsReclaimed: number;
  /** Coupons and points taken by requests that died before saving their order, given back. */
  couponsReturned: number;
  pointsReturned: number;
  expiredCancelled: number;
  paidOnQuery: number;
  stockReleased: number;
  paymentsSettled: number;
  vouchersEnsured: number;
  refundsRetried: number;
  refundsCompleted: number;
  /** Orders never collected whose voucher expired, refunded (an order may count in two overlapping passes). */
  expiredVouchersRefunded: number;
  /** Points counters a crash had left off the ledger's sum, set right. */
  walletsRepaired: number;
  groupbuy?: GroupSweepReport;
}

/** Runs `fn` over items, a few at a time. */
async function eachLimited<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
}

export interface SweepServiceDeps {
  clock: Clock;
  logger: Logger;
  orders: OrderService;
  payments: PaymentService;
  paymentModels: PaymentModels;
  vouchers: VoucherService;
  stock: ShelfStock;
  groups: GroupSweep;
  /** Gives back the coupon and points of an order id that was fenced unsaved; absent, there are none. */
  promotions?: { releaseUnsaved(orderId: string): Promise<{ coupons: number; points: number }> };
  /** Drops ended SMS counter windows (issue 18, hole 5); absent, nothing to drop. */
  smsQuotas?: { sweepSmsQuotas(now: Date): Promise<number> };
  /** Checks quiet points counters against the ledger (`PointsService.repairWallets`); absent, none. */
  wallets?: { repairWallets(now: Date): Promise<number> };
}

/**
 * The reconciler. Each pass finishes or compensates whatever a crash, a lost notification or an
 * expired deadline left behind, found from the documents' own states. Every step is a compare-and-set
 * or an idempotent call, so passes may overlap (several instances, two timers) without doing
 * anything twice.
 */
export class SweepService {
  constructor(private readonly d: SweepServiceDeps) {}

  private log(err: unknown, what: string, id: string) {
    this.d.logger.warn({ err, id }, `sweep: ${what} failed`);
  }

  /**
   * Shelf holds older than a request can take: an order that was never saved is fenced (a tombstone
   * under its id) and its stock comes back once; an ended one gives its stock back; a collected one
   * lets go of the row.
   */
  private async recoverHolds(now: Date, c: SweepCounts) {
    const holds = await this.d.stock.holdsOlderThan(new Date(now.getTime() - STALE_HOLD_MS));
    if (holds.length === 0) return;
    const orders = new Map((await this.d.orders.many([...new Set(holds.map((h) => h.orderId))])).map((o) => [o._id, o]));
    await eachLimited(holds, async (h) => {
      try {
        const o = orders.get(h.orderId);
        if (!o) {
          if (await this.d.orders.fence(h.orderId, h.storeId)) {
            c.holdsReclaimed += await this.d.stock.giveBack(h.storeId, [{ productId: h.productId, qty: h.qty }], h.orderId);
            await this.releasePromotions(h.orderId, c);
          }
        } else if (o.abandoned) {
          c.holdsReclaimed += await this.d.stock.giveBack(h.storeId, [{ productId: h.productId, qty: h.qty }], h.orderId);
          await this.releasePromotions(h.orderId, c);
        } else if (o.status === 'cancelled' || o.status === 'refunded') {
          await this.d.orders.releaseStock(o);
          c.holdsCleared++;
        } else if (o.status === 'picked_up' || o.status === 'delivered') {
          await this.d.orders.keepStock(o);
          c.holdsCleared++;
        }
      } catch (err) {
        this.log(err, 'hold', h.orderId);
      }
    });
  }

  /** A shelf order takes its stock before its coupon and points, so a fenced hold names them all. */
  private async releasePromotions(orderId: string, c: SweepCounts) {
    if (!this.d.promotions) return;
    const back = await this.d.promotions.releaseUnsaved(orderId);
    c.couponsReturned += back.coupons;
    c.pointsReturned += back.points;
  }

  /** Unpaid past the deadline: ask the host first (a payment on its way is applied, not refunded), else cancel. */
  private async expireUnpaid(now: Date, c: SweepCounts) {
    const due = await this.d.orders.overdue(now, BATCH);
    await eachLimited(due, async (o) => {
      try {
        const q = await this.d.payments.queryTransaction(o._id).catch(() => null);
        if (q?.state === 'SUCCESS' && q.transactionId && q.amountCents === o.amountCents) {
          await this.d.payments.recordPayment(o._id, q.transactionId, q.amountCents, q.successTime ? new Date(q.successTime) : now);
          c.paidOnQuery++;
          return;
        }
        if (await this.d.orders.cancel(o._id, SWEEP, 'unpaid after the pay deadline')) c.expiredCancelled++;
      } catch (err) {
        this.log(err, 'expire', o._id);
      }
    });
  }

  private async releaseEnded(c: SweepCounts) {
    const ended = await this.d.orders.unreleased(BATCH);
    await eachLimited(ended, async (o) => {
      await this.d.orders.releaseStock(o).catch((err) => this.log(err, 'release', o._id));
      c.stockReleased++;
    });
  }

  /** Payments recorded but not applied, and orders awaiting pickup without their voucher. */
  private async settlePayments(now: Date, c: SweepCounts) {
    const old = new Date(now.getTime() - STALE_MS);
    const received = await this.d.paymentModels.Payment.find({ state: 'received', receivedAt: { $lt: old } }).limit(BATCH).lean();
    await eachLimited(received, async (p) => {
      await this.d.payments.settle(p._id).catch((err) => this.log(err, 'settle', p._id));
      c.paymentsSettled++;
    });
    const waiting = await this.d.orders.stale(['awaiting_pickup'], old, 2000, { updatedAt: { $lt: old, $gt: new Date(now.getTime() - 24 * 3600_000) } });
    const missing = await this.d.vouchers.missingFor(waiting.map((o) => o._id));
    await eachLimited(
      waiting.filter((o) => missing.has(o._id)),
      async (o: OrderDoc) => {
        await this.d.vouchers.issueFor(o).catch((err) => this.log(err, 'voucher', o._id));
        c.vouchersEnsured++;
      },
    );
  }

  private async retryRefunds(now: Date, c: SweepCounts) {
    const open = await this.d.orders.refundsAskedBefore(new Date(now.getTime() - STALE_MS), BATCH);
    await eachLimited(open, async (o) => {
      try {
        const q = await this.d.payments.queryRefund(o.refund.outRefundNo!);
        if (q?.status === 'SUCCESS') {
          if (await this.d.payments.completeRefund(o._id, SWEEP)) c.refundsCompleted++;
        } else if (!q) {
          await this.d.payments.askHost(o);
          c.refundsRetried++;
        } else if (q.status === 'CLOSED' || q.status === 'ABNORMAL') {
          await this.d.payments.markRefundFailed(o._id, q.status);
        }
      } catch (err) {
        this.log(err, 'refund', o._id);
      }
    });
  }

  /**
   * Orders awaiting pickup whose voucher expired uncollected are refunded (`payments.refund` once:
   * the CAS awaiting_pickup → refunding, so racing passes refund once). A voucher is issued when its
   * order starts to await pickup, after the order was created, so only orders created more than a
   * voucher's lifetime ago can hold an expired one.
   */
  private async refundExpiredVouchers(now: Date, c: SweepCounts) {
    const createdBefore = new Date(now.getTime() - this.d.vouchers.ttlMs);
    const old = await this.d.orders.stale(['awaiting_pickup'], now, 2000, { createdAt: { $lt: createdBefore } });
    const expired = await this.d.vouchers.expiredAmong(old.map((o) => o._id), now);
    await eachLimited(
      old.filter((o) => expired.has(o._id)),
      async (o) => {
        try {
          await this.d.payments.refund(o._id, 'voucher expired', { actor: SWEEP, onlyFrom: ['awaiting_pickup'] });
          c.expiredVouchersRefunded++;
        } catch (err) {
          // Collected, or asked for a refund, since it was read: nothing to do.
          if ((err as { code?: string }).code !== 'ORDER_STATE') this.log(err, 'voucher expiry refund', o._id);
        }
      },
    );
  }

  /** One reconciler pass; returns how many things each step handled. */
  async run(now: Date = this.d.clock.now()): Promise<SweepCounts> {
    const c: SweepCounts = { holdsCleared: 0, holdsReclaimed: 0, couponsReturned: 0, pointsReturned: 0, expiredCancelled: 0, paidOnQuery: 0, stockReleased: 0, paymentsSettled: 0, vouchersEnsured: 0, refundsRetried: 0, refundsCompleted: 0, expiredVouchersRefunded: 0, walletsRepaired: 0 };
    await this.recoverHolds(now, c);
    await this.expireUnpaid(now, c);
    await this.releaseEnded(c);
    await this.settlePayments(now, c);
    await this.retryRefunds(now, c);
    await this.refundExpiredVouchers(now, c);
    await this.d.vouchers.sweep(now).catch((err: unknown) => this.log(err, 'voucher windows', '-'));
    await this.d.smsQuotas?.sweepSmsQuotas(now).catch((err: unknown) => this.log(err, 'sms windows', '-'));
    c.walletsRepaired = (await this.d.wallets?.repairWallets(now).catch((err: unknown) => this.log(err, 'points wallets', '-'))) ?? 0;
    c.groupbuy = await this.d.groups.run(now);
    return c;
  }
}
