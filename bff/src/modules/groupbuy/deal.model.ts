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
    /**
     * Units of the product set aside for this deal (活动库存), across its stores. A group reserves a
     * unit for every seat when it opens (`sold += size`, one guarded update `{sold ≤ cap − size}`),
     * so every group that fills can be served; a failed group gives its units back.
     */
    stockCap: { type: Number, required: true, min: 0 },
    sold: { type: Number, required: true, min: 0, default: 0 },
    /** Groups holding units of the cap: `holds.<groupId> = {n, at}`, the guard that gives them back once. */
    holds: { type: Schema.Types.Mixed, default: undefined },
    active: { type: Boolean, required: true, default: true },
  },
  { versionKey: false, timestamps: true, minimize: true },
);
DealSchema.index({ storeIds: 1, active: 1 });
