import { Schema, type Connection } from 'mongoose';
import { bindModel } from '../../common/model.js';

/**
 * One back-office action (a clerk's or an admin's), kept whatever its outcome: who, when, at which
 * store, what, on what, and `ok` or the error code it was refused with. Append-only.
 */
export const BackofficeAuditSchema = new Schema(
  {
    at: { type: Date, required: true },
    actorId: { type: String, required: true },
    roles: { type: [String], required: true },
    storeId: { type: String, default: null },
    action: { type: String, required: true },
    target: { type: String, default: null },
    outcome: { type: String, required: true },
  },
  { versionKey: false },
);
BackofficeAuditSchema.index({ storeId: 1, at: -1 });
BackofficeAuditSchema.index({ at: -1 });

export function backofficeModels(conn: Connection) {
  return { BackofficeAudit: bindModel(conn, 'BackofficeAudit', BackofficeAuditSchema, 'backoffice_audit') };
}
export type BackofficeModels = ReturnType<typeof backofficeModels>;
