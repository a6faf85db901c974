import { Schema } from 'mongoose';

/** A member card: offline cards come from the chain's till system; online ones are issued here. */
export const MemberCardSchema = new Schema(
  {
    _id: { type: String, required: true },
    phone: { type: String, required: true },
    name: { type: String, default: '' },
    source: { type: String, enum: ['offline', 'online'], required: true },
    points: { type: Number, required: true, default: 0 },
    lifetimePoints: { type: Number, required: true, default: 0 },
    /** One user per card: a unique index over the bound user (cards not bound carry none). */
    userId: { type: String },
    boundAt: { type: Date },
  },
  { versionKey: false, timestamps: true },
);
MemberCardSchema.index({ phone: 1 });
MemberCardSchema.index({ userId: 1 }, { unique: true, sparse: true });
