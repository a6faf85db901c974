import { Schema } from 'mongoose';

/** A clerk invite an admin made for one store; `_id` is the code. Redeemed at most once: the
 * redemption is the guarded update `{redeemedBy: null, expiresAt > now}`. */
export const ClerkInviteSchema = new Schema(
  {
    _id: { type: String, required: true },
    storeId: { type: String, required: true },
    createdBy: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    redeemedBy: { type: String, default: null },
    redeemedAt: { type: Date, default: null },
  },
  { versionKey: false, timestamps: true },
);
ClerkInviteSchema.index({ storeId: 1 });
