import { Schema, type Connection } from 'mongoose';
import { bindModel } from '../../common/model.js';
import { DealSchema } from './deal.model.js';
import { GROUP_STATUSES } from './group.state.js';

/** A group on a deal; see `GroupDoc` for what the fields promise. */
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
    paidCount: { type: Number, required: true, min: 0 },
    seats: { type: Schema.Types.Mixed, required: true },
    /** Countdown target; for a pending group, when the leader's hold lapses. */
    expiresAt: { type: Date, required: true },
    openedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    warnedAt: { type: Date, default: null },
    abandoned: { type: Boolean, default: undefined },
    outbox: { type: [Schema.Types.Mixed], default: [] },
  },
  { versionKey: false, timestamps: true, minimize: false },
);
GroupSchema.index({ status: 1, expiresAt: 1 });
GroupSchema.index({ dealId: 1, storeId: 1, status: 1 });

export function groupbuyModels(conn: Connection) {
  return {
    Deal: bindModel(conn, 'Deal', DealSchema, 'deals'),
    Group: bindModel(conn, 'Group', GroupSchema, 'groups'),
  };
}
export type GroupbuyModels = ReturnType<typeof groupbuyModels>;
