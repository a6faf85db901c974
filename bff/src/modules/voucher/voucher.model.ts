import { Schema, type Connection } from 'mongoose';
import { bindModel } from '../../common/model.js';
import { VOUCHER_AUDIT_OUTCOMES } from '@linli/contracts';

/**
 * The pickup voucher of one order: `_id` is the order id, so an order has at most one voucher.
 * `shortCode` is 12 random digits, unique. `code` is the signed QR payload (kept so the customer sees
 * the same code until it expires, whatever key is active by then).
 */
export const VoucherSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    storeId: { type: String, required: true },
    kid: { type: String, required: true },
    code: { type: String, required: true },
    shortCode: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, timestamps: true },
);
VoucherSchema.index({ shortCode: 1 }, { unique: true });

/** One redeem attempt, good or bad. Holds a keyed fingerprint of the code, never the code. */
export const VoucherAuditSchema = new Schema(
  {
    clerkId: { type: String, required: true },
    /** The voucher's store when the code could be read; null for unreadable codes. */
    storeId: { type: String, default: null },
    /** Stores the clerk acts for, so a store's audit also shows its clerks' attempts on unreadable codes. */
    clerkStoreIds: { type: [String], default: [] },
    at: { type: Date, required: true },
    outcome: { type: String, enum: VOUCHER_AUDIT_OUTCOMES, required: true },
    orderId: { type: String, default: null },
    codeFingerprint: { type: String, required: true },
  },
  { versionKey: false },
);
VoucherAuditSchema.index({ storeId: 1, at: -1 });
VoucherAuditSchema.index({ clerkStoreIds: 1, at: -1 });

/**
 * A clerk's failed redeem attempts in one minute window (`_id` = `<clerkId>:<window>`). Only failures
 * count, each by one guarded increment `{n < limit}`, so genuine redemptions never use up a clerk's
 * allowance; a failure past the limit is answered 429 instead of saying why it failed.
 */
export const VoucherFailureSchema = new Schema(
  {
    _id: { type: String, required: true },
    n: { type: Number, required: true, default: 0 },
    /** When the window can be swept away. */
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export function voucherModels(conn: Connection) {
  return {
    Voucher: bindModel(conn, 'Voucher', VoucherSchema, 'vouchers'),
    VoucherAudit: bindModel(conn, 'VoucherAudit', VoucherAuditSchema, 'voucher_audit'),
    VoucherFailure: bindModel(conn, 'VoucherFailure', VoucherFailureSchema, 'voucher_failures'),
  };
}
export type VoucherModels = ReturnType<typeof voucherModels>;
