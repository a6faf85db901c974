import { Schema } from 'mongoose';

/**
 * A refresh token, stored only as its SHA-256. Each is used once: the use is the guarded update
 * `{_id, usedAt: null}` → `usedAt = now`. Using one mints the next token of the same family.
 */
export const RefreshTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    familyId: { type: String, required: true },
    userId: { type: String, required: true },
    usedAt: { type: Date, default: null },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, timestamps: true },
);
RefreshTokenSchema.index({ familyId: 1 });

/**
 * One login's chain of refresh tokens. A reused (already rotated) token revokes the family, and every
 * refresh checks the family after winning its token, so no token minted in a race survives revocation.
 */
export const RefreshFamilySchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    revokedAt: { type: Date, default: null },
    revokedReason: { type: String, default: null },
  },
  { versionKey: false, timestamps: true },
);
RefreshFamilySchema.index({ userId: 1 });
