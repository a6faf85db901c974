import { Schema, type Connection } from 'mongoose';
import { bindModel } from '../../common/model.js';
import { isDuplicateKeyError } from '../../common/errors.js';

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

/**
 * The first share of a deal a visitor opened, the one an order on that deal is attributed to:
 * `_id` = `${dealId}:${visitorId}`, written once (the first insert wins), so an order reads it by
 * `_id` instead of querying the visitor's visits (which the embedded database answers by a scan).
 */
export const ShareFirstTouchSchema = new Schema(
  {
    _id: { type: String, required: true },
    shareId: { type: String, required: true },
  },
  { versionKey: false, timestamps: { createdAt: true, updatedAt: false } },
);

export const firstTouchId = (dealId: string, visitorId: string) => `${dealId}:${visitorId}`;

export function shareModels(conn: Connection) {
  return {
    Share: bindModel(conn, 'Share', ShareSchema, 'shares'),
    ShareVisit: bindModel(conn, 'ShareVisit', ShareVisitSchema, 'share_visits'),
    ShareFirstTouch: bindModel(conn, 'ShareFirstTouch', ShareFirstTouchSchema, 'share_first_touches'),
  };
}

/**
 * Writes the first touch of every (deal, visitor) visited before first touches were kept, oldest
 * visit first so the first insert is the earliest visit (a duplicate is one already there). Run at
 * start, like the order module's backfill; a no-op once done.
 */
export async function backfillFirstTouches(m: ShareModels): Promise<number> {
  const visits = await m.ShareVisit.find({ dealId: { $ne: null } }, { shareId: 1, visitorId: 1, dealId: 1, createdAt: 1 }).sort({ createdAt: 1, _id: 1 }).lean();
  if (visits.length === 0) return 0;
  const have = new Set((await m.ShareFirstTouch.find({}, { _id: 1 }).lean()).map((x) => x._id));
  const seen = new Set<string>();
  const docs = [];
  for (const v of visits) {
    const id = firstTouchId(v.dealId!, v.visitorId);
    if (have.has(id) || seen.has(id)) continue;
    seen.add(id);
    docs.push({ _id: id, shareId: v.shareId, createdAt: v.createdAt });
  }
  if (docs.length === 0) return 0;
  try {
    await m.ShareFirstTouch.collection.insertMany(docs as never[], { ordered: false });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err; // another instance started at the same time
  }
  return docs.length;
}
export type ShareModels = ReturnType<typeof shareModels>;
