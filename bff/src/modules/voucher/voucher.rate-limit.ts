import { randomInt } from 'node:crypto';
import type { Models } from '../../models.js';
import { isDuplicateKeyError } from '../../common/errors.js';

const WINDOW_MS = 60_000;

/**
 * Bad redeem attempts per clerk per minute window, counted in the database so every BFF instance
 * shares the limit. An attempt reserves one of `limit` slots before it is evaluated; slots are
 * unique keys, so a burst of parallel attempts cannot pass the limit (conditional `$inc` counters are
 * not atomic on FerretDB v1). An attempt that turns out good gives its slot back.
 */
export function badAttemptLimiter(m: Models) {
  const insert = async (_id: string, expiresAt: Date): Promise<boolean> => {
    try {
      await m.VoucherAttemptSlot.collection.insertOne({ _id: _id as never, expiresAt });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  };

  return {
    /** Reserves a slot; returns its release, or null when the clerk has used up this window. */
    async reserve(clerkId: string, now: Date, limit: number): Promise<(() => Promise<void>) | null> {
      const window = Math.floor(now.getTime() / WINDOW_MS);
      const prefix = `${clerkId}:${window}:`;
      const expiresAt = new Date((window + 2) * WINDOW_MS);
      if (await m.VoucherAttemptSlot.collection.findOne({ _id: `${prefix}full` as never })) return null;
      const start = randomInt(0, limit);
      for (let i = 0; i < limit; i++) {
        const _id = `${prefix}${(start + i) % limit}`;
        if (await insert(_id, expiresAt)) {
          return async () => {
            await m.VoucherAttemptSlot.collection.deleteOne({ _id: _id as never });
          };
        }
      }
      await insert(`${prefix}full`, expiresAt);
      return null;
    },

    /** Removes slots of past windows (for the reconciler sweep). */
    async sweep(now: Date): Promise<number> {
      const r = await m.VoucherAttemptSlot.deleteMany({ expiresAt: { $lt: now } });
      return r.deletedCount;
    },
  };
}
