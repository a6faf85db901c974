import { Schema, type Connection } from 'mongoose';
import { bindModel } from '../../common/model.js';

/** A member card: offline cards come from the chain's till system; online ones are issued here. */
export const MemberCardSchema = new Schema(
  {
    _id: { type: String, required: true },
    phone: { type: String, required: true },
    name: { type: String, default: '' },
    source: { type: String, enum: ['offline', 'online'], required: true },
    /** Balance and lifetime points as the till system had them when the card was imported (opening balance). */
    points: { type: Number, required: true, default: 0 },
    lifetimePoints: { type: Number, required: true, default: 0 },
    /**
     * The bound user, copied here from `card_bindings` (which is the truth). Never set to null: FerretDB
     * ignores `sparse`, so two explicit nulls would collide in this unique index, while absent fields do not.
     */
    userId: { type: String },
    boundAt: { type: Date },
  },
  { versionKey: false, timestamps: true },
);
MemberCardSchema.index({ phone: 1 });
MemberCardSchema.index({ userId: 1 }, { unique: true, sparse: true });

/**
 * Who holds which card. One insert claims both sides: `_id` (the card number) is unique, so one user
 * per card; `userId` is unique and always present, so one card per user. FerretDB 1.24 drops the
 * `sparse` option of an index (verified), which is why the binding lives here and not as a sparse
 * unique field of the card.
 */
export const CardBindingSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    source: { type: String, enum: ['offline', 'online', 'phone'], required: true },
    boundAt: { type: Date, required: true },
  },
  { versionKey: false },
);
CardBindingSchema.index({ userId: 1 }, { unique: true });

/**
 * The points ledger. `_id` is `reason:refId`, so each (reason, refId) is credited at most once; the
 * balance is the sum of `points` and the lifetime total the sum of `lifetime` over a user's entries.
 */
export const PointsEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    cardNo: { type: String, default: null },
    reason: { type: String, required: true },
    refId: { type: String, required: true },
    /** Signed change of the spendable balance. */
    points: { type: Number, required: true },
    /** Change of lifetime points (credits count, spending does not). */
    lifetime: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    /** Who credited it at the till (member scans), and at which store. */
    clerkId: { type: String, default: undefined },
    storeId: { type: String, default: undefined },
  },
  { versionKey: false },
);
PointsEntrySchema.index({ userId: 1, createdAt: -1, _id: -1 });

/**
 * The latest SMS verification sent to a user for binding a card (`_id` is the user id). One send per
 * minute (`sentMinute` guards the upsert); each check takes one of five `attempts` and a right code
 * is `used` once, every step one guarded update of this document.
 */
export const SmsChallengeSchema = new Schema(
  {
    _id: { type: String, required: true },
    challengeId: { type: String, required: true },
    cardNo: { type: String, required: true },
    phone: { type: String, required: true },
    codeHash: { type: String, required: true },
    sentAt: { type: Date, required: true },
    sentMinute: { type: Number, required: true },
    attempts: { type: Number, required: true, default: 0 },
    used: { type: Boolean, required: true, default: false },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);

/**
 * Fixed-window counters of SMS sends (issue 18, hole 5): `_id` is `<scope>:<key>:<window>` (scope
 * ip, phone, account). Each send takes one by a guarded upsert `{_id, n < limit}` → `n + 1`, so a
 * full window refuses on any number of instances; the sweep drops windows past `expiresAt`.
 */
export const SmsQuotaSchema = new Schema(
  {
    _id: { type: String, required: true },
    n: { type: Number, required: true, default: 0 },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export function memberModels(conn: Connection) {
  return {
    MemberCard: bindModel(conn, 'MemberCard', MemberCardSchema, 'member_cards'),
    CardBinding: bindModel(conn, 'CardBinding', CardBindingSchema, 'card_bindings'),
    PointsEntry: bindModel(conn, 'PointsEntry', PointsEntrySchema, 'points_ledger'),
    SmsChallenge: bindModel(conn, 'SmsChallenge', SmsChallengeSchema, 'sms_challenges'),
    SmsQuota: bindModel(conn, 'SmsQuota', SmsQuotaSchema, 'sms_quotas'),
  };
}
export type MemberModels = ReturnType<typeof memberModels>;
