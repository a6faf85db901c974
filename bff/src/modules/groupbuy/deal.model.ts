import { Schema } from 'mongoose';

/** A group-buy offer on one product at some stores. */
export const DealSchema = new Schema(
  {
    _id: { type: String, required: true },
    productId: { type: String, required: true },
    storeIds: { type: [String], required: true },
    title: { type: String, required: true },
    groupSize: { type: Number, required: true, min: 2, max: 10 },
    groupPriceCents: { type: Number, required: true, min: 0 },
    soloPriceCents: { type: Number, required: true, min: 0 },
    durationMinutes: { type: Number, required: true, min: 1 },
    perUserLimit: { type: Number, required: true, min: 1, default: 1 },
    newMembersOnly: { type: Boolean, required: true, default: false },
    leaderDiscountCents: { type: Number, required: true, min: 0, default: 0 },
    startAt: { type: Date, required: true },
    endAt: { type: Date, required: true },
    /** Most seats that may ever be sold on this deal; `sold` counts them by conditional increments. */
    stockCap: { type: Number, required: true, min: 0 },
    sold: { type: Number, required: true, min: 0, default: 0 },
    active: { type: Boolean, required: true, default: true },
  },
  { versionKey: false, timestamps: true },
);
DealSchema.index({ storeIds: 1, active: 1 });
