import { Schema, type Connection } from 'mongoose';
import { bindModel } from '../../common/model.js';

/**
 * Who shared what. One share per (sharer, target): sharing the same group twice gives the same id.
 * `confirmed` turns true when the sharer really shared (POST /shares) or someone visited it; the
 * group view mints an unconfirmed one so its share card can carry an id, which the funnel does not count.
 */
export const ShareSchema = new Schema(
  {
    _id: { type: String, required: true },
    sharerId: { type: String, required: true },
    targetType: { type: String, enum: ['group', 'deal', 'product'], required: true },
    targetId: { type: String, required: true },
    dealId: { type: String, default: null },
    confirmed: { type: Boolean, required: true, default: false },
  },
  { versionKey: false, timestamps: true },
);
ShareSchema.index({ sharerId: 1, targetType: 1, targetId: 1 }, { unique: true });
ShareSchema.index({ dealId: 1 });

/** The first visit of one visitor to one share: `_id` = `${shareId}:${visitorId}` makes it unique. */
export const ShareVisitSchema = new Schema(
  {
    _id: { type: String, required: true },
    shareId: { type: String, required: true },
    sharerId: { type: String, required: true },
    visitorId: { type: String, required: true },
    dealId: { type: String, default: null },
  },
  { versionKey: false, timestamps: true },
);
ShareVisitSchema.index({ visitorId: 1, dealId: 1, createdAt: 1 });
ShareVisitSchema.index({ dealId: 1 });

export function shareModels(conn: Connection) {
  return {
    Share: bindModel(conn, 'Share', ShareSchema, 'shares'),
    ShareVisit: bindModel(conn, 'ShareVisit', ShareVisitSchema, 'share_visits'),
  };
}
export type ShareModels = ReturnType<typeof shareModels>;
