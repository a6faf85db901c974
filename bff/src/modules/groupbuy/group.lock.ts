import { randomBytes } from 'node:crypto';
import type { Models } from '../../models.js';
import { AppError, isDuplicateKeyError } from '../../common/errors.js';

/** A lease older than this is taken to belong to a crashed holder and may be broken. */
const LEASE_MS = 10_000;
/** How long a caller waits for a lease before answering 503. */
const WAIT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Mutual exclusion per key, for read-check-write sequences on one document:
 * - in this process, callers of the same key queue on a promise chain (no spinning on the database);
 * - across BFF instances, the holder owns a lease document inserted under the key (unique `_id`).
 * On MongoDB the conditional updates inside are already atomic; the lease makes them so on FerretDB
 * too, whose updates are not (read-then-write without a transaction).
 */
export function createKeyedLock(m: Models) {
  const queues = new Map<string, Promise<void>>();

  async function acquireLease(key: string): Promise<string> {
    const token = randomBytes(9).toString('base64url');
    const until = Date.now() + WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await m.GroupLock.create({ _id: key, token, takenAtMs: Date.now() });
        return token;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const cur = await m.GroupLock.findById(key).lean();
      if (cur && Date.now() - cur.takenAtMs > LEASE_MS) {
        await m.GroupLock.deleteOne({ _id: key, token: cur.token });
        continue;
      }
      if (Date.now() > until) throw new AppError(503, 'BUSY', 'Too many people at once; please try again', { key });
      await sleep(Math.min(50, 2 + attempt * 2) + Math.random() * 5);
    }
  }

  /**
   * Runs `fn` holding the key. `precheck`, if given, runs when this caller's turn in the process queue
   * comes but before the lease is taken: a cheap read that may refuse at once (e.g. the group filled
   * while this caller queued), so a rush of callers does not each pay for a lease.
   */
  return async function withLock<T>(key: string, fn: () => Promise<T>, precheck?: () => Promise<void>): Promise<T> {
    const prev = queues.get(key) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = prev.then(() => mine);
    queues.set(key, tail);
    await prev;
    try {
      if (precheck) await precheck();
      const token = await acquireLease(key);
      try {
        return await fn();
      } finally {
        await m.GroupLock.deleteOne({ _id: key, token }).catch(() => {});
      }
    } finally {
      done();
      if (queues.get(key) === tail) queues.delete(key);
    }
  };
}
export type KeyedLock = ReturnType<typeof createKeyedLock>;
