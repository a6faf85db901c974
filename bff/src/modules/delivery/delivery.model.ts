import { Schema, type Connection } from 'mongoose';
import { DELIVERY_AUDIT_OUTCOMES } from '@linli/contracts';
import { bindModel } from '../../common/model.js';

/**
 * An address of a shopper's book (`_id` = `a_` + 16 random base32 characters). The phone is checked
 * by the schema as well as by the API contract; coordinates are kept so the store can tell the
 * distance and the courier can open the map.
 */
export const AddressSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    name: { type: String, required: true, maxlength: 20 },
    phone: { type: String, required: true, match: /^1[3-9]\d{9}$/ },
    address: { type: String, required: true, maxlength: 120 },
    detail: { type: String, default: '', maxlength: 60 },
    lat: { type: Number, required: true, min: -90, max: 90 },
    lng: { type: Number, required: true, min: -180, max: 180 },
    isDefault: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
AddressSchema.index({ userId: 1, updatedAt: -1 });

/** One delivery-code confirmation attempt, good or bad (never the code itself). */
export const DeliveryAuditSchema = new Schema(
  {
    clerkId: { type: String, required: true },
    storeId: { type: String, default: null },
    orderId: { type: String, required: true },
    outcome: { type: String, enum: DELIVERY_AUDIT_OUTCOMES, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
DeliveryAuditSchema.index({ orderId: 1, at: -1 });
DeliveryAuditSchema.index({ storeId: 1, at: -1 });

/**
 * A clerk's failed confirmations in one minute (`_id` = `<clerkId>:<window>`), counted by one guarded
 * increment `{n < limit}` as for vouchers: only failures count, so genuine confirmations never use up
 * the allowance, and guessing a code stops at the limit.
 */
export const DeliveryFailureSchema = new Schema(
  {
    _id: { type: String, required: true },
    n: { type: Number, required: true, default: 0 },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export function deliveryModels(conn: Connection) {
  return {
    Address: bindModel(conn, 'Address', AddressSchema, 'addresses'),
    DeliveryAudit: bindModel(conn, 'DeliveryAudit', DeliveryAuditSchema, 'delivery_audit'),
    DeliveryFailure: bindModel(conn, 'DeliveryFailure', DeliveryFailureSchema, 'delivery_failures'),
  };
}
export type DeliveryModels = ReturnType<typeof deliveryModels>;
