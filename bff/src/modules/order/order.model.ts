import { Schema, type Connection } from 'mongoose';
import { bindModel } from '../../common/model.js';
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
    shelfPriceCents: { type: Number, required: true, min: 0 },
    unitPriceCents: { type: Number, required: true, min: 0 },
  },
  { _id: false },
);

/**
 * A customer's order. `status` moves only along ORDER_TRANSITIONS of its fulfilment type, each move
 * one compare-and-set on `{_id, status: from}` that appends to `history` in the same update.
 * Creation is idempotent without a collection of its own: with an Idempotency-Key the `_id` is a
 * keyed hash of (user, key), so one key names one order. A unique `limitKey` carries per-user deal
 * limits (FerretDB ignores `sparse`, so an order without one holds its own id):
 * - `limitKey`: a seat of a per-user deal limit (`deal:<dealId>:<userId>:<n>`, `new:<userId>` for a
 *   new-members-only deal), given back (set to the id again) by the move that cancels or refunds it.
 * Business times come from the injected clock, so `createdAt`/`updatedAt` are written by the service.
 */
export const OrderSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    storeId: { type: String, required: true },
    kind: { type: String, enum: ['normal', 'group'], required: true, default: 'normal' },
    fulfilment: { type: Schema.Types.Mixed, required: true },
    groupId: { type: String, default: null },
    dealId: { type: String, default: null },
    shareId: { type: String, default: null },
    items: { type: [ItemSchema], required: true },
    pricing: { type: Schema.Types.Mixed, required: true },
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
      /** Where a refund the store refuses sends the order back to. */
      returnTo: { type: String, default: null },
      /** The store's last refusal (cleared when the shopper asks again). */
      refusedAt: { type: Date, default: null },
      refusedReason: { type: String, default: null },
    },
    /** Pay deadline: unpaid after this, the reconciler cancels the order. */
    payBy: { type: Date, required: true },
    readyAt: { type: Date, default: null },
    pickedUpAt: { type: Date, default: null },
    /** The order took shelf stock (its lines are holds on inventory rows until collected or given back). */
    stockHeld: { type: Boolean, required: true, default: false },
    /** Set once the order's stock is back on the shelf (cancelled or refunded orders). */
    stockReleasedAt: { type: Date, default: null },
    requestHash: { type: String, default: null },
    limitKey: { type: String, required: true },
    /**
     * One of the user's unpaid-order slots while the order is unpaid (`unpaid:<userId>:<n>`, n <
     * MAX_UNPAID_ORDERS), its own id otherwise: the unique index makes the cap on unpaid orders one
     * insert, and the move out of pending_payment frees the slot in the same update (issue 18, hole 6).
     */
    unpaidKey: {
      type: String,
      required: true,
      default(this: { _id: string }) {
        return this._id;
      },
    },
    outbox: { type: [Schema.Types.Mixed], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
OrderSchema.index({ limitKey: 1 }, { unique: true });
OrderSchema.index({ unpaidKey: 1 }, { unique: true });
OrderSchema.index({ userId: 1, createdAt: -1 });
OrderSchema.index({ userId: 1, status: 1, createdAt: -1 });
OrderSchema.index({ storeId: 1, status: 1, createdAt: -1 });
OrderSchema.index({ status: 1, payBy: 1 });
OrderSchema.index({ groupId: 1 });
OrderSchema.index({ dealId: 1, shareId: 1 });

/**
 * Gives orders written before `unpaidKey` existed their own id as its value, so its unique index can
 * be built on an old database (a missing field would collide as null). Runs before the indexes.
 */
export async function backfillUnpaidKeys(Order: OrderModels['Order']): Promise<number> {
  const missing = await Order.find({ unpaidKey: { $exists: false } }, { _id: 1 }).lean();
  if (missing.length === 0) return 0;
  await Order.bulkWrite(missing.map((o) => ({ updateOne: { filter: { _id: o._id, unpaidKey: { $exists: false } }, update: { $set: { unpaidKey: String(o._id) } } } })));
  return missing.length;
}

export function orderModels(conn: Connection) {
  return { Order: bindModel(conn, 'Order', OrderSchema, 'orders') };
}
export type OrderModels = ReturnType<typeof orderModels>;
