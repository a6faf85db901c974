import { Schema, type Connection } from 'mongoose';
import { bindModel } from '../../common/model.js';

/** A physical store of the chain. `_id` is the store code (S001, S002, …). */
export const StoreSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    city: { type: String, required: true },
    district: { type: String, required: true },
    address: { type: String, required: true },
    lat: { type: Number, required: true },
    lng: { type: Number, required: true },
    phone: { type: String, required: true },
    openHours: { type: String, required: true },
    active: { type: Boolean, required: true, default: true },
    /** Delivery rules (同城配送); any field left out takes its default (delivery/delivery.config.ts). */
    delivery: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, timestamps: true },
);
StoreSchema.index({ active: 1 });

export function storeModels(conn: Connection) {
  return { Store: bindModel(conn, 'Store', StoreSchema, 'stores') };
}
export type StoreModels = ReturnType<typeof storeModels>;
