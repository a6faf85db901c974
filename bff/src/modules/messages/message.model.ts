import { Schema, type Connection } from 'mongoose';
import { bindModel } from '../../common/model.js';
import { MESSAGE_EVENT_TYPES, MESSAGE_STATUSES } from '@linli/contracts';

/**
 * One subscription message to one user, copied from an order's or a group's outbox. `_id` is the
 * outbox entry's key, so the same event can never make two rows. Status moves
 * `pending → sending → sent | pending (retry) | failed | skipped`, each move a compare-and-set;
 * a row in `sending` whose `claimedUntil` has passed may be claimed again (delivery at least once).
 */
export const MessageSchema = new Schema(
  {
    _id: { type: String, required: true },
    type: { type: String, enum: MESSAGE_EVENT_TYPES, required: true },
    userId: { type: String, required: true },
    templateId: { type: String, required: true },
    /** Outbox data as the state change wrote it; rendered into template keywords when sent. */
    data: { type: Schema.Types.Mixed, default: {} },
    page: { type: String, default: '' },
    /** Where the entry came from: `orders:<id>` or `groups:<id>`. */
    source: { type: String, required: true },
    status: { type: String, enum: MESSAGE_STATUSES, required: true },
    attempts: { type: Number, required: true, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    /** Lease of the dispatcher that claimed the row; another may claim it once this has passed. */
    claimedUntil: { type: Date, default: null },
    claimToken: { type: String, default: null },
    /** True once this message has used up one of the user's consent credits (never twice). */
    consentTaken: { type: Boolean, default: false },
    lastError: { type: String, default: null },
    sentAt: { type: Date, default: null },
    eventAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
MessageSchema.index({ status: 1, nextAttemptAt: 1 });
MessageSchema.index({ status: 1, claimedUntil: 1 });
MessageSchema.index({ userId: 1, createdAt: -1 });

/**
 * One consent credit: the user accepted this template once in `requestSubscribeMessage`. Consent is
 * one-shot as on the real host, so each credit lets one message through; using it deletes the
 * document, and a delete by `_id` succeeds for exactly one caller.
 */
export const MessageConsentSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    templateId: { type: String, required: true },
    grantedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
MessageConsentSchema.index({ userId: 1, templateId: 1, grantedAt: 1 });

/**
 * How far the relay has read each source collection (`_id` = `orders` or `groups`): the start of its
 * last complete pass. The next pass reads entries created since then, less a margin for slow writers.
 */
export const RelayMarkSchema = new Schema(
  {
    _id: { type: String, required: true },
    since: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export function messageModels(conn: Connection) {
  return {
    Message: bindModel(conn, 'Message', MessageSchema, 'messages'),
    MessageConsent: bindModel(conn, 'MessageConsent', MessageConsentSchema, 'message_consents'),
    RelayMark: bindModel(conn, 'RelayMark', RelayMarkSchema, 'message_relay_marks'),
  };
}
export type MessageModels = ReturnType<typeof messageModels>;
