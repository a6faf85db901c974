import { Schema } from 'mongoose';
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
    /** Informational copy of the redemption; the order's move to picked_up is the authority. */
    redeemedAt: { type: Date, default: null },
    redeemedBy: { type: String, default: null },
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
 * The redemption of a voucher: `_id` is the order id, so the unique primary key lets exactly one
 * redeem win even where the database's conditional updates are not atomic (FerretDB v1 evaluates the
 * filter and writes the document in two steps). The order's move to picked_up follows the claim.
 */
export const VoucherRedemptionSchema = new Schema(
  {
    _id: { type: String, required: true },
    clerkId: { type: String, required: true },
    storeId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

/**
 * One slot of a clerk's bad-attempt allowance in one minute window: `_id = <clerkId>:<window>:<k>` with
 * k < limit, so at most `limit` slots can exist (unique key), whatever the concurrency. `:full` marks a
 * window found full, so later attempts in it are refused with one read.
 */
export const VoucherAttemptSlotSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** When the slot can be swept away. */
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
