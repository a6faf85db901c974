import type { PayRefundResource, PayTransactionResource } from '@linli/contracts';
import type { Clock } from '../../common/clock.js';
import { ConflictError, isDuplicateKeyError } from '../../common/errors.js';
import type { DomainEvents } from '../../common/events.js';
import type { Logger } from '../../common/logger.js';
import { outboxEntry } from '../../common/outbox.js';
import { OrderAwaitingPickup, OrderPaid, OrderRefunded } from '../order/order.events.js';
import type { OrderService } from '../order/order.service.js';
import { FULFILMENT_START, canTransition, type OrderStatus } from '../order/order.state.js';
import type { Actor, OrderDoc } from '../order/order.types.js';
import { NotifyRefusedError } from './mock-host.provider.js';
import type { PaymentModels } from './payment.model.js';
import type { PaymentParams, PaymentProvider } from './payment.provider.js';

const HOST: Actor = { type: 'host', id: 'pay' };
const SYSTEM: Actor = { type: 'system', id: 'payment' };

/**
 * The payment platform as orders use it: a prepay for an order and the parameters the miniapp hands
 * to `requestPayment`. No database writes: the order saves the prepay id in its own insert.
 */
export class PaymentGateway {
  constructor(private readonly d: { provider: PaymentProvider; openidOf(userId: string): Promise<string | null> }) {}

  /** Creates the order's prepay at the host (idempotent there by `out_trade_no` = order id). */
  async prepay(order: OrderDoc): Promise<string> {
    const first = order.items[0];
    const { prepayId } = await this.d.provider.prepay({
      orderId: order._id,
      amountCents: order.amountCents,
      description: `邻里 ${first?.title ?? ''}${order.items.length > 1 ? ` 等${order.items.length}件` : ''}`,
      openid: (await this.d.openidOf(order.userId)) ?? order.userId,
      expiresAt: order.payBy,
    });
    return prepayId;
  }

  /** Fresh, signed requestPayment parameters for a prepay id. */
  params(prepayId: string): Promise<PaymentParams> {
    return this.d.provider.requestPaymentParams(prepayId);
  }
}

export interface PaymentServiceDeps {
  models: PaymentModels;
  clock: Clock;
  logger: Logger;
  events: DomainEvents;
  provider: PaymentProvider;
  orders: OrderService;
}

/**
 * Money in and out of orders, flowing one way: verify the notification → record it under its unique
 * transaction id → move the order (one compare-and-set) → announce `OrderPaid` (and
 * `OrderAwaitingPickup`) for the group and voucher modules → mark the payment applied. A crash at any
 * point leaves a `received` payment or a moved order that the reconciler finishes. A refund is asked
 * at most once per order (one `outRefundNo`) and completed once by the host's confirmation.
 */
export class PaymentService {
  constructor(private readonly d: PaymentServiceDeps) {}

  private get orders() {
    return this.d.orders;
  }

  /**
   * Handles one host notification: verified (signature, time window, serial), decrypted, checked
   * against the order, applied at most once. Throws a 4xx on anything unverifiable, having changed
   * nothing; returns normally when the host may consider it delivered.
   */
  async handleNotification(headers: Record<string, string | undefined>, rawBody: string): Promise<void> {
    const n = await this.d.provider.verifyNotification(headers, rawBody);
    if (n.kind === 'transaction') await this.onTransaction(n.resource);
    else await this.onRefund(n.resource);
  }

  private async onTransaction(res: PayTransactionResource): Promise<void> {
    if (res.trade_state !== 'SUCCESS') return;
    const order = await this.orders.get(res.out_trade_no);
    if (!order || order.abandoned) throw new NotifyRefusedError('NOTIFY_UNKNOWN_ORDER', 'No such order', 400);
    if (res.amount.total !== order.amountCents) {
      throw new NotifyRefusedError('NOTIFY_AMOUNT_MISMATCH', 'Amount does not match the order', 400);
    }
    await this.recordPayment(order._id, res.transaction_id, res.amount.total, res.success_time ? new Date(res.success_time) : this.d.clock.now(), order);
  }

  /** Records a host payment (unique transaction id: a repeat records nothing) and applies it. */
  async recordPayment(orderId: string, transactionId: string, amountCents: number, paidAt: Date, order?: OrderDoc): Promise<void> {
    try {
      await this.d.models.Payment.collection.insertOne({ _id: transactionId, orderId, amountCents, paidAt, state: 'received', receivedAt: this.d.clock.now(), appliedAt: null } as never);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const known = await this.d.models.Payment.findById(transactionId).lean();
      if (known && known.orderId !== orderId) throw new NotifyRefusedError('NOTIFY_CONFLICT', 'Transaction id belongs to another order', 400);
    }
    // A repeated delivery also settles: it finishes whatever a crashed first delivery left undone.
    await this.settle(transactionId, order);
  }

  /** Applies a recorded payment to its order (at most once) and carries on from where it stopped. Idempotent. */
  async settle(transactionId: string, known?: OrderDoc): Promise<void> {
    const p = await this.d.models.Payment.findById(transactionId).lean();
    if (!p) return;
    let order = known?._id === p.orderId ? known : await this.orders.get(p.orderId);
    if (!order) return;
    if (order.status === 'pending_payment') {
      const next: OrderStatus = order.kind === 'group' ? 'grouping' : FULFILMENT_START[order.fulfilment?.type ?? 'pickup'];
      const payment = { transactionId, paidAt: p.paidAt, amountCents: p.amountCents };
      const moved = await this.orders.move(order, ['pending_payment', 'paid', next], { type: 'host', id: transactionId }, 'payment received', {
        set: { 'payment.transactionId': transactionId, 'payment.paidAt': p.paidAt, 'payment.amountCents': p.amountCents },
      });
      order = moved ? { ...order, status: next, payment: { ...order.payment, ...payment } } : await this.orders.mustGet(order._id);
    }
    if (order.payment?.transactionId === transactionId) {
      await this.announcePaid(order);
    } else if (!order.payment?.transactionId && order.status === 'cancelled') {
      await this.refund(order._id, 'payment arrived after the order was cancelled', {
        actor: HOST,
        payment: { transactionId, amountCents: p.amountCents, paidAt: p.paidAt },
      });
    } else if (order.payment?.transactionId !== transactionId) {
      this.d.logger.error({ orderId: order._id, transactionId, status: order.status }, 'a second payment for one order needs a manual refund');
    }
    await this.d.models.Payment.updateOne({ _id: transactionId, state: 'received' }, { $set: { state: 'applied', appliedAt: this.d.clock.now() } });
  }

  /** The events of a paid order, for its current state (safe to repeat: every reaction is idempotent). */
  async announcePaid(order: OrderDoc): Promise<void> {
    await this.d.events.emit(new OrderPaid(order));
    if (order.status === 'awaiting_pickup') await this.d.events.emit(new OrderAwaitingPickup(order));
  }

  /**
   * Marks a refunding order refunded (once), with its RefundCompleted outbox entry and its deal seat
   * (`limitKey`) freed in the same update, then gives its stock back (exactly once).
   */
  async completeRefund(orderId: string, actor: Actor): Promise<boolean> {
    const order = await this.orders.get(orderId);
    if (!order) return false;
    let moved = false;
    if (order.status === 'refunding') {
      const now = this.d.clock.now();
      const amount = order.payment?.amountCents ?? order.amountCents;
      const entry = outboxEntry(
        'RefundCompleted',
        orderId,
        order.userId,
        { orderId, refundCents: String(amount), completedAt: now.toISOString(), reason: order.refund?.reason ?? '' },
        `pages/order-detail/index?id=${orderId}`,
        now,
      );
      moved = await this.orders.transition(order, 'refunding', 'refunded', actor, 'refund completed', {
        set: { 'refund.status': 'succeeded', 'refund.completedAt': now, limitKey: order._id },
        push: { outbox: entry },
      });
    }
    if (moved || order.status === 'refunded') {
      const after = moved ? { ...order, status: 'refunded' as const } : order;
      await this.orders.releaseStock(after);
      if (moved) await this.d.events.emit(new OrderRefunded(after));
    }
    return moved;
  }

  /** Asks the host for the order's one refund (same outRefundNo every time, so never twice). */
  async askHost(order: OrderDoc): Promise<void> {
    if (order.status !== 'refunding' || order.refund?.status !== 'requested' || !order.refund.outRefundNo) return;
    const amount = order.payment?.amountCents ?? order.amountCents;
    try {
      const r = await this.d.provider.refund({ orderId: order._id, outRefundNo: order.refund.outRefundNo, amountCents: amount, totalCents: amount, reason: order.refund.reason ?? '' });
      if (r.status === 'SUCCESS') await this.completeRefund(order._id, HOST);
    } catch (err) {
      // The reconciler asks again (same outRefundNo, so the host refunds at most once).
      this.d.logger.warn({ err, orderId: order._id }, 'refund request failed; the sweep will retry');
    }
  }

  /**
   * Refunds an order at most once: moves it to `refunding` (compare-and-set from its current state,
   * recording one `outRefundNo`) and asks the host. The host's REFUND.SUCCESS notification (or the
   * reconciler's query) completes it. Calling again returns the same refund without a second one.
   * With `onlyFrom`, a refund not yet started is made only from those states (409 ORDER_STATE else),
   * so a decision that lost its race (e.g. an approval after a refusal) refunds nothing.
   */
  async refund(orderId: string, reason: string, opts: { actor?: Actor; payment?: { transactionId: string; amountCents: number; paidAt: Date }; onlyFrom?: OrderStatus[] } = {}): Promise<OrderDoc> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const order = await this.orders.mustGet(orderId);
      if (order.refund?.outRefundNo) {
        await this.askHost(order);
        return (await this.orders.get(orderId)) ?? order;
      }
      if (opts.onlyFrom && !opts.onlyFrom.includes(order.status)) {
        throw new ConflictError('ORDER_STATE', `An order in ${order.status} cannot be refunded this way`, { status: order.status });
      }
      if (!canTransition(order.status, 'refunding', order.fulfilment?.type)) {
        throw new ConflictError('ORDER_STATE', `An order in ${order.status} cannot be refunded`, { status: order.status });
      }
      const tx = order.payment?.transactionId ?? opts.payment?.transactionId;
      if (!tx) throw new ConflictError('NOT_PAID', 'This order has no payment to refund');
      const now = this.d.clock.now();
      const set: Record<string, unknown> = {
        'refund.outRefundNo': `${orderId}-R1`,
        'refund.status': 'requested',
        'refund.requestedAt': order.refund?.requestedAt ?? now,
        'refund.completedAt': null,
        'refund.reason': order.refund?.reason || reason,
      };
      if (!order.payment?.transactionId && opts.payment) {
        set['payment.transactionId'] = opts.payment.transactionId;
        set['payment.amountCents'] = opts.payment.amountCents;
        set['payment.paidAt'] = opts.payment.paidAt;
      }
      if (await this.orders.transition(order, order.status, 'refunding', opts.actor ?? SYSTEM, reason, { set })) {
        const moved = (await this.orders.get(orderId))!;
        await this.askHost(moved);
        return (await this.orders.get(orderId)) ?? moved;
      }
    }
    throw new ConflictError('ORDER_BUSY', 'The order changed while refunding; try again');
  }

  private async onRefund(res: PayRefundResource): Promise<void> {
    const order = await this.orders.get(res.out_trade_no);
    if (!order || order.refund?.outRefundNo !== res.out_refund_no) {
      throw new NotifyRefusedError('NOTIFY_UNKNOWN_REFUND', 'No such refund', 400);
    }
    if (res.refund_status === 'SUCCESS') {
      await this.completeRefund(order._id, HOST);
    } else if (res.refund_status === 'CLOSED' || res.refund_status === 'ABNORMAL') {
      await this.markRefundFailed(order._id, res.refund_status);
    }
  }

  /** The host gave up on a refund: it needs a person (the order stays refunding, flagged failed). */
  async markRefundFailed(orderId: string, hostStatus: string): Promise<void> {
    await this.orders.update(orderId, { status: 'refunding', 'refund.status': 'requested' }, { $set: { 'refund.status': 'failed' } });
    this.d.logger.error({ orderId, status: hostStatus }, 'refund failed at the host; needs a person');
  }

  /** The host's view of an unpaid order's payment (the reconciler asks before cancelling). */
  queryTransaction(orderId: string) {
    return this.d.provider.queryTransaction(orderId);
  }

  /** The host's view of a refund. */
  queryRefund(outRefundNo: string) {
    return this.d.provider.queryRefund(outRefundNo);
  }
}
