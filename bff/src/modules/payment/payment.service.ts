import type { PayRefundResource, PayTransactionResource } from '@linli/contracts';
import type { Core } from '../../core.js';
import { ConflictError, isDuplicateKeyError } from '../../common/errors.js';
import { outboxEntry } from '../../common/outbox.js';
import { canTransition } from '../order/order.state.js';
import { peers } from '../order/order.peers.js';
import type { Actor, OrderDoc } from '../order/order.types.js';
import { NotifyRefusedError } from './mock-host.provider.js';
import type { PaymentParams, PaymentProvider } from './payment.provider.js';

const HOST: Actor = { type: 'host', id: 'pay' };
const SYSTEM: Actor = { type: 'system', id: 'payment' };

/**
 * Money in and out of orders. Every step is idempotent and can be re-run by the reconciler:
 * a payment is recorded under its unique transaction id, then applied by a compare-and-set on the
 * order; a refund is requested at most once per order (one `outRefundNo`) and tracked until the
 * host confirms it.
 */
export function createPaymentService(core: Core) {
  const { m } = core;
  const provider = (): PaymentProvider => core.services.paymentProvider;
  const orders = () => core.services.order;

  /** Issues (or re-issues) the voucher of an order awaiting pickup and remembers that it did. */
  async function ensureVoucher(order: OrderDoc): Promise<void> {
    const voucher = peers(core).voucher;
    if (!voucher || order.voucherEnsuredAt) return;
    await voucher.ensureFor(order._id);
    await orders().update(order._id, { voucherEnsuredAt: null }, { $set: { voucherEnsuredAt: core.clock.now() } });
  }

  /**
   * What follows a payment: a normal order goes on to pickup and gets its voucher; a group order is
   * handed to the group-buy module. Safe to repeat.
   */
  async function afterPaid(orderId: string): Promise<void> {
    let order = await orders().get(orderId);
    if (!order) return;
    if (order.status === 'paid') {
      if (order.kind === 'group') {
        await peers(core).groupbuy?.onOrderPaid(order);
        return;
      }
      await orders().transition(orderId, 'paid', 'awaiting_pickup', SYSTEM, 'paid, awaiting pickup');
      order = await orders().get(orderId);
    }
    if (order?.status === 'awaiting_pickup') await ensureVoucher(order);
  }

  /** Applies a recorded payment to its order (at most once) and carries on from where it stopped. */
  async function settle(transactionId: string): Promise<void> {
    const p = await m.Payment.findById(transactionId).lean();
    if (!p) return;
    let order = await orders().get(p.orderId);
    if (!order) return;
    if (order.status === 'pending_payment') {
      await orders().transition(order._id, 'pending_payment', 'paid', { type: 'host', id: transactionId }, 'payment received', {
        set: { 'payment.transactionId': transactionId, 'payment.paidAt': p.paidAt, 'payment.amountCents': p.amountCents },
      });
      order = (await orders().get(order._id))!;
    }
    if (order.payment?.transactionId === transactionId) {
      await afterPaid(order._id);
    } else if (!order.payment?.transactionId && order.status === 'cancelled') {
      await refund(order._id, 'payment arrived after the order was cancelled', {
        actor: HOST,
        payment: { transactionId, amountCents: p.amountCents, paidAt: p.paidAt },
      });
    } else if (order.payment?.transactionId !== transactionId) {
      core.logger.error({ orderId: order._id, transactionId, status: order.status }, 'a second payment for one order needs a manual refund');
    }
    await m.Payment.updateOne({ _id: transactionId, state: 'received' }, { $set: { state: 'applied', appliedAt: core.clock.now() } });
  }

  async function onTransaction(res: PayTransactionResource): Promise<void> {
    if (res.trade_state !== 'SUCCESS') return;
    const order = await orders().get(res.out_trade_no);
    if (!order) throw new NotifyRefusedError('NOTIFY_UNKNOWN_ORDER', 'No such order', 400);
    if (res.amount.total !== order.amountCents) {
      throw new NotifyRefusedError('NOTIFY_AMOUNT_MISMATCH', 'Amount does not match the order', 400);
    }
    await recordPayment(order._id, res.transaction_id, res.amount.total, res.success_time ? new Date(res.success_time) : core.clock.now());
  }

  async function recordPayment(orderId: string, transactionId: string, amountCents: number, paidAt: Date): Promise<void> {
    try {
      await m.Payment.create({ _id: transactionId, orderId, amountCents, paidAt, state: 'received', receivedAt: core.clock.now() });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const known = await m.Payment.findById(transactionId).lean();
      if (known && known.orderId !== orderId) throw new NotifyRefusedError('NOTIFY_CONFLICT', 'Transaction id belongs to another order', 400);
    }
    // A duplicate delivery also settles: it finishes whatever a crashed first delivery left undone.
    await settle(transactionId);
  }

  /**
   * Marks a refunding order refunded (once), with its RefundCompleted outbox entry in the same
   * update, then gives its stock back (exactly once, unless it was picked up).
   */
  async function completeRefund(orderId: string, actor: Actor): Promise<boolean> {
    const order = await orders().get(orderId);
    if (!order) return false;
    let moved = false;
    if (order.status === 'refunding') {
      const now = core.clock.now();
      const amount = order.payment?.amountCents ?? order.amountCents;
      const entry = outboxEntry(
        'RefundCompleted',
        orderId,
        order.userId,
        { orderId, refundCents: String(amount), completedAt: now.toISOString(), reason: order.refund?.reason ?? '' },
        `pages/order-detail/index?id=${orderId}`,
        now,
      );
      moved = await orders().transition(orderId, 'refunding', 'refunded', actor, 'refund completed', {
        set: { 'refund.status': 'succeeded', 'refund.completedAt': now },
        push: { outbox: entry },
      });
    }
    const after = await orders().get(orderId);
    if (after?.status === 'refunded') await orders().releaseStock(after);
    return moved;
  }

  /** Asks the host for the order's one refund (same outRefundNo every time, so never twice). */
  async function askHost(order: OrderDoc): Promise<void> {
    if (order.status !== 'refunding' || order.refund?.status !== 'requested' || !order.refund.outRefundNo) return;
    const amount = order.payment?.amountCents ?? order.amountCents;
    try {
      const r = await provider().refund({
        orderId: order._id,
        outRefundNo: order.refund.outRefundNo,
        amountCents: amount,
        totalCents: amount,
        reason: order.refund.reason ?? '',
      });
      if (r.status === 'SUCCESS') await completeRefund(order._id, HOST);
    } catch (err) {
      // The reconciler asks again (same outRefundNo, so the host refunds at most once).
      core.logger.warn({ err, orderId: order._id }, 'refund request failed; the sweep will retry');
    }
  }

  /**
   * Refunds an order at most once: moves it to `refunding` (compare-and-set from its current state,
   * recording one `outRefundNo`) and asks the host. The host's REFUND.SUCCESS notification (or the
   * reconciler's query) completes it. Calling again returns the same refund without a second one.
   */
  async function refund(
    orderId: string,
    reason: string,
    opts: { actor?: Actor; payment?: { transactionId: string; amountCents: number; paidAt: Date } } = {},
  ): Promise<OrderDoc> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const order = await orders().mustGet(orderId);
      if (order.refund?.outRefundNo) {
        await askHost(order);
        return (await orders().get(orderId)) ?? order;
      }
      if (!canTransition(order.status, 'refunding')) {
        throw new ConflictError('ORDER_STATE', `An order in ${order.status} cannot be refunded`, { status: order.status });
      }
      const tx = order.payment?.transactionId ?? opts.payment?.transactionId;
      if (!tx) throw new ConflictError('NOT_PAID', 'This order has no payment to refund');
      const now = core.clock.now();
      const set: Record<string, unknown> = {
        'refund.outRefundNo': `${orderId}-R1`,
        'refund.status': 'requested',
        'refund.requestedAt': now,
        'refund.completedAt': null,
        'refund.reason': reason,
      };
      if (!order.payment?.transactionId && opts.payment) {
        set['payment.transactionId'] = opts.payment.transactionId;
        set['payment.amountCents'] = opts.payment.amountCents;
        set['payment.paidAt'] = opts.payment.paidAt;
      }
      if (await orders().transition(orderId, order.status, 'refunding', opts.actor ?? SYSTEM, reason, { set })) {
        const moved = (await orders().get(orderId))!;
        await askHost(moved);
        return (await orders().get(orderId)) ?? moved;
      }
    }
    throw new ConflictError('ORDER_BUSY', 'The order changed while refunding; try again');
  }

  async function onRefund(res: PayRefundResource): Promise<void> {
    const order = await orders().get(res.out_trade_no);
    if (!order || order.refund?.outRefundNo !== res.out_refund_no) {
      throw new NotifyRefusedError('NOTIFY_UNKNOWN_REFUND', 'No such refund', 400);
    }
    if (res.refund_status === 'SUCCESS') {
      await completeRefund(order._id, HOST);
    } else if (res.refund_status === 'CLOSED' || res.refund_status === 'ABNORMAL') {
      await orders().update(order._id, { status: 'refunding', 'refund.status': 'requested' }, { $set: { 'refund.status': 'failed' } });
      core.logger.error({ orderId: order._id, status: res.refund_status }, 'refund failed at the host; needs a person');
    }
  }

  return {
    refund,
    settle,
    afterPaid,
    completeRefund,
    askHost,
    recordPayment,

    /** Creates the order's prepay (once) and answers fresh requestPayment parameters. */
    async prepare(order: OrderDoc): Promise<PaymentParams> {
      if (order.payment?.prepayId) return provider().requestPaymentParams(order.payment.prepayId);
      const user = await m.User.findById(order.userId).lean();
      const first = order.items[0];
      const { prepayId } = await provider().prepay({
        orderId: order._id,
        amountCents: order.amountCents,
        description: `邻里 ${first?.title ?? ''}${order.items.length > 1 ? ` 等${order.items.length}件` : ''}`,
        openid: user?.openid ?? order.userId,
        expiresAt: order.payBy,
      });
      await orders().update(order._id, { 'payment.prepayId': null }, { $set: { 'payment.prepayId': prepayId } });
      return provider().requestPaymentParams(prepayId);
    },

    /** requestPayment parameters for an existing order (an idempotent replay of POST /orders). */
    async paramsFor(order: OrderDoc): Promise<PaymentParams> {
      return this.prepare(order);
    },

    /**
     * Handles one host notification: verified (signature, time window, serial), decrypted, checked
     * against the order, applied at most once. Throws a 4xx on anything unverifiable, having changed
     * nothing; returns normally when the host may consider it delivered.
     */
    async handleNotification(headers: Record<string, string | undefined>, rawBody: string): Promise<void> {
      const n = await provider().verifyNotification(headers, rawBody);
      if (n.kind === 'transaction') await onTransaction(n.resource);
      else await onRefund(n.resource);
    },
  };
}
export type PaymentService = ReturnType<typeof createPaymentService>;

declare module '../../core.js' {
  interface Services {
    payment: PaymentService;
    /** The payment platform strategy; tests may override it. */
    paymentProvider: PaymentProvider;
  }
}
