import { Schema, type Connection } from 'mongoose';
import { bindModel } from '../../common/model.js';

/**
 * Every payment the host reported, keyed by its transaction id: the unique `_id` is what makes a
 * notification apply at most once. `state` says how far applying it got (`received` ones are
 * finished by the reconciler).
 */
export const PaymentSchema = new Schema(
  {
    _id: { type: String, required: true },
    orderId: { type: String, required: true },
    amountCents: { type: Number, required: true, min: 0 },
    paidAt: { type: Date, required: true },
    state: { type: String, enum: ['received', 'applied'], required: true },
    receivedAt: { type: Date, required: true },
    appliedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
PaymentSchema.index({ orderId: 1 });
PaymentSchema.index({ state: 1, receivedAt: 1 });

export function paymentModels(conn: Connection) {
  return { Payment: bindModel(conn, 'Payment', PaymentSchema, 'payments') };
}
export type PaymentModels = ReturnType<typeof paymentModels>;
