import { Schema } from 'mongoose';
import type { Models } from '../../models.js';
import { isDuplicateKeyError } from '../../common/errors.js';

/**
 * Keys that can be claimed once. Inserting a document with a unique `_id` is the one write that both
 * MongoDB and FerretDB 1.24 (SQLite) make atomic under concurrency: FerretDB applies a conditional
 * update as read-modify-write outside a transaction, so N racing `updateOne({_id, used: false}, …)`
 * can all report `modifiedCount: 1` (measured: 3–19 "winners" of 20). Every "at most once" of
 * identity and membership is therefore an insert here (or into another collection's unique key).
 */
export const OnceKeySchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Who claimed it (a user id), so the same claimant's retry can be told from someone else. */
    by: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

export type OnceClaim = { won: true } | { won: false; by: string | null };

/** Claims `key` for `by`: exactly one of any number of racing callers wins. */
export async function claimOnce(m: Models, key: string, by: string, at: Date): Promise<OnceClaim> {
  try {
    await m.OnceKey.create({ _id: key, by, at });
    return { won: true };
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const holder = await m.OnceKey.findById(key).lean();
    return { won: false, by: holder?.by ?? null };
  }
}

/** Who holds `key`, or null when nobody claimed it yet. */
export async function onceHolder(m: Models, key: string): Promise<string | null> {
  return (await m.OnceKey.findById(key).lean())?.by ?? null;
}
