import { Schema } from 'mongoose';
import { ORDER_STATUSES } from './order.state.js';

const ActorSchema = new Schema({ type: { type: String, enum: ['user', 'clerk', 'system', 'host'], required: true }, id: { type: String, required: true } }, { _id: false });

const HistorySchema = new Schema(
  {
    from: { type: String, default: null },
    to: { type: String, required: true },
    at: { type: Date, required: true },
    actor: { type: ActorSchema, required: true },
    reason: { type: String, default: '' },
  },
  { _id: false },
);

const ItemSchema = new Schema(
  {
    productId: { type: String, required: true },
    title: { type: String, required: true },
    image: { type: String, default: '' },
    qty: { type: Number, required: true, min: 1 },
    unitPriceCents: { type: Number, required: true, min: 0 },
  },
  { _id: false },
);

/**
 * A customer's order. `status` moves only along ORDER_TRANSITIONS, each move a compare-and-set on
 * `{_id, status: from}` that appends to `history` in the same update. Business times come from the
 * injected clock, so `createdAt`/`updatedAt` are written by the service, not by mongoose.
 */
export const OrderSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    storeId: { type: String, required: true },
    kind: { type: String, enum: ['normal', 'group'], required: true, default: 'normal' },
    groupId: { type: String, default: null },
    dealId: { type: String, default: null },
    shareId: { type: String, default: null },
    items: { type: [ItemSchema], required: true },
    amountCents: { type: Number, required: true, min: 0 },
    status: { type: String, enum: ORDER_STATUSES, required: true },
    history: { type: [HistorySchema], default: [] },
    payment: {
      prepayId: { type: String, default: null },
      transactionId: { type: String, default: null },
      paidAt: { type: Date, default: null },
      amountCents: { type: Number, default: null },
    },
    refund: {
      outRefundNo: { type: String, default: null },
      status: { type: String, enum: ['requested', 'succeeded', 'failed', null], default: null },
      requestedAt: { type: Date, default: null },
      completedAt: { type: Date, default: null },
      reason: { type: String, default: null },
    },
    /** Pay deadline: unpaid after this, the reconciler cancels the order and releases its stock. */
    payBy: { type: Date, required: true },
    readyAt: { type: Date, default: null },
    pickedUpAt: { type: Date, default: null },
    /** Set once every item's stock is back on the shelf (cancelled or refunded orders). */
    stockReleasedAt: { type: Date, default: null },
    /** Set once the voucher service has issued this order's voucher. */
    voucherEnsuredAt: { type: Date, default: null },
    outbox: { type: [Schema.Types.Mixed], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
OrderSchema.index({ userId: 1, createdAt: -1 });
OrderSchema.index({ userId: 1, status: 1, createdAt: -1 });
OrderSchema.index({ storeId: 1, status: 1, createdAt: -1 });
OrderSchema.index({ status: 1, payBy: 1 });
OrderSchema.index({ groupId: 1 });
OrderSchema.index({ 'payment.transactionId': 1 });

/**
 * An `Idempotency-Key` seen from a user: `_id` is `${userId}:${key}`, so the same key can name only
 * one order. `requestHash` catches a key reused for a different request.
 */
export const OrderKeySchema = new Schema(
  {
    _id: { type: String, required: true },
    orderId: { type: String, required: true },
    requestHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

/**
 * A short lease on one key (`order:<id>`, `inv:<storeId:productId>`), held by whoever inserted `_id`
 * first. FerretDB 1.x applies an update as read-then-write outside a transaction, so a conditional
 * update alone can let two racers both "win"; an insert on a unique `_id` cannot.
 */
export const OrderLockSchema = new Schema(
  {
    _id: { type: String, required: true },
    token: { type: String, required: true },
    /** Wall-clock ms when taken (infrastructure time): a lease older than the limit is stale. */
    takenAtMs: { type: Number, required: true },
  },
  { versionKey: false },
);
