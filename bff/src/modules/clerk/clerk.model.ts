import { Schema } from 'mongoose';

/**
 * "This order was marked ready": `_id` is the order id, so the unique key lets exactly one clerk mark
 * it (conditional updates are not atomic on FerretDB v1), and the OrderReady message is queued once.
 */
export const ReadyMarkSchema = new Schema(
  {
    _id: { type: String, required: true },
    clerkId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
