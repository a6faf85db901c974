import type { Core } from '../../core.js';
import { peers } from '../order/order.peers.js';
import type { Actor, OrderDoc } from '../order/order.types.js';

/** A step older than this is taken to be abandoned by a crashed process (not merely slow). */
const STALE_MS = 60_000;
/** Holds get longer: a request under load can take a while between its reserve and its insert. */
const STALE_HOLD_MS = 2 * 60_000;
const BATCH = 200;
const PARALLEL = 8;

const SWEEP: Actor = { type: 'system', id: 'sweep' };

export interface SweepCounts {
  holdsCleared: number;
  holdsReclaimed: number;
  expiredCancelled: number;
  paidOnQuery: number;
  stockReleased: number;
  paymentsSettled: number;
  paidFinished: number;
  vouchersEnsured: number;
  refundsRetried: number;
  refundsCompleted: number;
  groupbuy?: unknown;
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

/**
 * The reconciler. Each pass finishes or compensates whatever a crash, a lost notification or an
 * expired deadline left behind. Every step is a compare-and-set or an idempotent call, so passes may
 * overlap (several instances, two timers) without doing anything twice.
 */
export function createSweepService(core: Core) {
  const { m } = core;
  const log = (err: unknown, what: string, id: string) => core.logger.warn({ err, id }, `sweep: ${what} failed`);

  async function recoverHolds(now: Date, c: SweepCounts) {
    const r = await core.services.order.recoverHolds(new Date(now.getTime() - STALE_HOLD_MS));
    c.holdsCleared += r.cleared;
    c.holdsReclaimed += r.reclaimed;
  }

  async function expireUnpaid(now: Date, c: SweepCounts) {
    const due = (await m.Order.find({ status: 'pending_payment', payBy: { $lt: now } }).limit(BATCH).lean()) as OrderDoc[];
    await eachLimited(due, async (o) => {
      try {
        // Ask the host first: a payment on its way is applied, not cancelled and refunded.
        const q = await core.services.paymentProvider.queryTransaction(o._id).catch(() => null);
        if (q?.state === 'SUCCESS' && q.transactionId && q.amountCents === o.amountCents) {
          await core.services.payment.recordPayment(o._id, q.transactionId, q.amountCents, q.successTime ? new Date(q.successTime) : now);
          c.paidOnQuery++;
          return;
        }
        if (await core.services.order.cancel(o._id, SWEEP, 'unpaid after the pay deadline')) c.expiredCancelled++;
      } catch (err) {
        log(err, 'expire', o._id);
      }
    });
  }

  async function releaseEnded(c: SweepCounts) {
    const ended = (await m.Order.find({ status: { $in: ['cancelled', 'refunded'] }, stockReleasedAt: null }).limit(BATCH).lean()) as OrderDoc[];
    await eachLimited(ended, async (o) => {
      await core.services.order.releaseStock(o);
      c.stockReleased++;
    });
  }

  async function settlePayments(now: Date, c: SweepCounts) {
    const old = new Date(now.getTime() - STALE_MS);
    const received = await m.Payment.find({ state: 'received', receivedAt: { $lt: old } }).limit(BATCH).lean();
    await eachLimited(received, async (p) => {
      await core.services.payment.settle(p._id).catch((err) => log(err, 'settle', p._id));
      c.paymentsSettled++;
    });
    const paid = (await m.Order.find({ status: 'paid', 'payment.paidAt': { $lt: old } }).limit(BATCH).lean()) as OrderDoc[];
    await eachLimited(paid, async (o) => {
      await core.services.payment.afterPaid(o._id).catch((err) => log(err, 'after-paid', o._id));
      c.paidFinished++;
    });
    if (peers(core).voucher) {
      const waiting = (await m.Order.find({ status: 'awaiting_pickup', voucherEnsuredAt: null, updatedAt: { $lt: old } }).limit(BATCH).lean()) as OrderDoc[];
      await eachLimited(waiting, async (o) => {
        await core.services.payment.afterPaid(o._id).catch((err) => log(err, 'voucher', o._id));
        c.vouchersEnsured++;
      });
    }
  }

  async function retryRefunds(now: Date, c: SweepCounts) {
    const old = new Date(now.getTime() - STALE_MS);
    const open = (await m.Order.find({ status: 'refunding', 'refund.status': 'requested', 'refund.requestedAt': { $lt: old } }).limit(BATCH).lean()) as OrderDoc[];
    await eachLimited(open, async (o) => {
      try {
        const q = await core.services.paymentProvider.queryRefund(o.refund.outRefundNo!);
        if (q?.status === 'SUCCESS') {
          if (await core.services.payment.completeRefund(o._id, SWEEP)) c.refundsCompleted++;
        } else if (!q) {
          await core.services.payment.askHost(o);
          c.refundsRetried++;
        } else if (q.status === 'CLOSED' || q.status === 'ABNORMAL') {
          await core.services.order.update(o._id, { status: 'refunding', 'refund.status': 'requested' }, { $set: { 'refund.status': 'failed' } });
        }
      } catch (err) {
        log(err, 'refund', o._id);
      }
    });
  }

  return {
    /** One reconciler pass; returns how many things each step handled. */
    async run(now: Date = core.clock.now()): Promise<SweepCounts> {
      const c: SweepCounts = {
        holdsCleared: 0,
        holdsReclaimed: 0,
        expiredCancelled: 0,
        paidOnQuery: 0,
        stockReleased: 0,
        paymentsSettled: 0,
        paidFinished: 0,
        vouchersEnsured: 0,
        refundsRetried: 0,
        refundsCompleted: 0,
      };
      await recoverHolds(now, c);
      await expireUnpaid(now, c);
      await releaseEnded(c);
      await settlePayments(now, c);
      await retryRefunds(now, c);
      await (core.services as { voucher?: { sweep?(now: Date): Promise<unknown> } }).voucher?.sweep?.(now).catch((err: unknown) => log(err, 'voucher sweep', '-'));
      const gb = peers(core).groupbuy;
      if (gb?.sweep) c.groupbuy = (await gb.sweep(now)) ?? null;
      return c;
    },
  };
}
export type SweepService = ReturnType<typeof createSweepService>;

declare module '../../core.js' {
  interface Services {
    sweep: SweepService;
  }
}
