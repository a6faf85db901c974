import { Schema, type Connection } from 'mongoose';
import { bindModel } from '../../common/model.js';

/**
 * A coupon template. `issued` counts the coupons handed out: a claim is ONE guarded `$inc` whose
 * filter carries `issued < total`, so the template is never issued beyond its quantity.
 */
export const CouponTemplateSchema = new Schema(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    kind: { type: String, enum: ['threshold', 'cash', 'percent'], required: true },
    minSpendCents: { type: Number, required: true, default: 0 },
    offCents: { type: Number, required: true, default: 0 },
    percent: { type: Number, required: true, default: 100 },
    maxOffCents: { type: Number, required: true, default: 0 },
    storeIds: { type: [String], default: null },
    productIds: { type: [String], default: null },
    categoryIds: { type: [String], default: null },
    validFrom: { type: Date, default: null },
    validTo: { type: Date, default: null },
    validDays: { type: Number, default: null },
    total: { type: Number, required: true },
    issued: { type: Number, required: true, default: 0 },
    perUser: { type: Number, required: true, default: 1 },
    newMember: { type: Boolean, required: true, default: false },
    active: { type: Boolean, required: true, default: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    stoppedAt: { type: Date, default: null },
  },
  { versionKey: false, minimize: false },
);
CouponTemplateSchema.index({ active: 1, newMember: 1 });

/**
 * A coupon a user holds (a copy of its template's terms, so stopping or editing a template never
 * changes a held coupon). `claimKey` is unique: `<template>:<user>:<n>` for the n-th of the per-user
 * limit, so a user never holds more than `perUser`. `status` moves `usable → used` by one CAS naming
 * the order, and back `used → usable` by one CAS on `{status:'used', orderId}` when that order is
 * cancelled or refunded (exactly once).
 */
export const UserCouponSchema = new Schema(
  {
    _id: { type: String, required: true },
    templateId: { type: String, required: true },
    userId: { type: String, required: true },
    claimKey: { type: String, required: true },
    title: { type: String, required: true },
    kind: { type: String, required: true },
    minSpendCents: { type: Number, required: true },
    offCents: { type: Number, required: true },
    percent: { type: Number, required: true },
    maxOffCents: { type: Number, required: true },
    storeIds: { type: [String], default: null },
    productIds: { type: [String], default: null },
    categoryIds: { type: [String], default: null },
    validFrom: { type: Date, required: true },
    validTo: { type: Date, required: true },
    status: { type: String, enum: ['usable', 'used'], required: true },
    /** The order using it ('' while usable: FerretDB ignores sparse, so no nulls in indexes). */
    orderId: { type: String, default: '' },
    usedAt: { type: Date, default: null },
    /** Each give-back, for the audit of "returned exactly once". */
    returns: { type: [Schema.Types.Mixed], default: [] },
    claimedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
UserCouponSchema.index({ claimKey: 1 }, { unique: true });
UserCouponSchema.index({ userId: 1, status: 1, validTo: 1 });
// The sweep finds the coupon of an order that was never saved by the order id.
UserCouponSchema.index({ orderId: 1 });

/** An automatic 满额/满件 offer. */
export const OfferSchema = new Schema(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    kind: { type: String, enum: ['amount', 'count'], required: true },
    threshold: { type: Number, required: true },
    offCents: { type: Number, required: true },
    storeIds: { type: [String], default: null },
    startsAt: { type: Date, default: null },
    endsAt: { type: Date, default: null },
    active: { type: Boolean, required: true, default: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    stoppedAt: { type: Date, default: null },
  },
  { versionKey: false, minimize: false },
);
OfferSchema.index({ active: 1 });

/** Every admin change of a coupon template or an offer: who, what, when. */
export const PromoAuditSchema = new Schema(
  {
    _id: { type: String, required: true },
    actorId: { type: String, required: true },
    action: { type: String, required: true },
    targetId: { type: String, required: true },
    at: { type: Date, required: true },
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, minimize: false },
);
PromoAuditSchema.index({ targetId: 1, at: -1 });

/**
 * Spendable points as one counter per user, kept in step with the ledger (which stays the truth: the
 * balance is the sum of the ledger). Spending is ONE `$inc` with `balance ≥ n` in the filter, so
 * racing orders never take it below zero. Created on first use from the ledger's sum. `dirtyAt` is
 * set by every change of the counter (in the same update) and cleared by the sweep once it has
 * checked the counter against the ledger (see `PointsService.repairWallets`).
 */
export const PointsWalletSchema = new Schema(
  {
    _id: { type: String, required: true },
    balance: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    dirtyAt: { type: Date },
  },
  { versionKey: false },
);
PointsWalletSchema.index({ dirtyAt: 1 }, { sparse: true });

export function promotionModels(conn: Connection) {
  return {
    CouponTemplate: bindModel(conn, 'CouponTemplate', CouponTemplateSchema, 'coupon_templates'),
    UserCoupon: bindModel(conn, 'UserCoupon', UserCouponSchema, 'user_coupons'),
    Offer: bindModel(conn, 'Offer', OfferSchema, 'offers'),
    PromoAudit: bindModel(conn, 'PromoAudit', PromoAuditSchema, 'promo_audit'),
    PointsWallet: bindModel(conn, 'PointsWallet', PointsWalletSchema, 'points_wallets'),
  };
}
export type PromotionModels = ReturnType<typeof promotionModels>;
