import { Schema } from 'mongoose';

export const GROUP_STATUSES = ['pending', 'open', 'succeeded', 'failed'] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

/**
 * One seat of a group, stored under `seats.<seatKey(userId)>` (a map, not an array: FerretDB has no
 * positional operator or $elemMatch, but dotted paths work, so "not already a member" is
 * `{'seats.<key>': {$exists: false}}` and "pay this held seat" is a filter on `seats.<key>.orderId/status`).
 */
export interface Seat {
  userId: string;
  orderId: string | null;
  claimId: string;
  status: 'held' | 'paid';
  leader: boolean;
  holdUntil: Date;
  joinedAt: Date;
  paidAt?: Date;
  shareId?: string | null;
}

/**
 * A group on a deal. Counters carry the invariants (FerretDB has no $expr): `seatsLeft` = size − seats
 * (held + paid), never below zero because every join is `{seatsLeft: {$gt: 0}}` + `$inc: -1` in ONE update.
 */
export const GroupSchema = new Schema(
  {
    _id: { type: String, required: true },
    dealId: { type: String, required: true },
    storeId: { type: String, required: true },
    productId: { type: String, required: true },
    leaderId: { type: String, required: true },
    size: { type: Number, required: true, min: 2, max: 10 },
    status: { type: String, enum: GROUP_STATUSES, required: true },
    seatsLeft: { type: Number, required: true, min: 0 },
    heldCount: { type: Number, required: true, min: 0 },
    paidCount: { type: Number, required: true, min: 0 },
    seats: { type: Schema.Types.Mixed, required: true },
    /** Countdown target; for a pending group, when the leader's hold lapses. */
    expiresAt: { type: Date, required: true },
    openedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    /** Succeeded but not every order moved to awaiting pickup yet (the sweep finishes it). */
    settled: { type: Boolean, default: false },
    /** Failed but not every seat refunded / cancelled yet (the sweep finishes it). */
    refundsPending: { type: Boolean, default: false },
    expiringSoonNotified: { type: Boolean, default: false },
    outbox: { type: [Schema.Types.Mixed], default: [] },
  },
  { versionKey: false, timestamps: true, minimize: false },
);
GroupSchema.index({ status: 1, expiresAt: 1 });
GroupSchema.index({ dealId: 1, storeId: 1, status: 1 });
GroupSchema.index({ status: 1, heldCount: 1 });
GroupSchema.index({ status: 1, settled: 1 });
GroupSchema.index({ status: 1, refundsPending: 1 });

/**
 * What one seat took from the deal: a unit of its stock cap (the deal's unreleased claims are its
 * "sold") and one of the user's usage slots. Released exactly once (under the claim's lease) when the
 * seat's order is cancelled or refunded, or the seat never got an order.
 */
export const GroupClaimSchema = new Schema(
  {
    _id: { type: String, required: true },
    dealId: { type: String, required: true },
    userId: { type: String, required: true },
    groupId: { type: String, required: true },
    usageSlot: { type: String, default: null },
    orderId: { type: String, default: null },
    released: { type: Boolean, required: true, default: false },
  },
  { versionKey: false, timestamps: true },
);
GroupClaimSchema.index({ orderId: 1 });
GroupClaimSchema.index({ dealId: 1, released: 1 });

/**
 * One of a user's seats on a deal: `_id` = `${dealId}:${userId}#n` with n < perUserLimit, so the limit
 * is enforced by inserts on a unique key (atomic on FerretDB too), not by a counter.
 */
export const DealUsageSchema = new Schema(
  {
    _id: { type: String, required: true },
    claimId: { type: String, required: true },
  },
  { versionKey: false, timestamps: true },
);

/**
 * A short lease on one key (a group, a deal): held by whoever inserted `_id` first. FerretDB 1.x
 * applies an update as read-then-write outside a transaction (FerretDB issue #3040), so a
 * conditional update alone can let several racers "win"; an insert on a unique `_id` cannot.
 */
export const GroupLockSchema = new Schema(
  {
    _id: { type: String, required: true },
    token: { type: String, required: true },
    /** Wall-clock ms when taken (infrastructure time, not business time): a lease older than the limit is stale. */
    takenAtMs: { type: Number, required: true },
  },
  { versionKey: false },
);
