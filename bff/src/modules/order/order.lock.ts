import { randomBytes } from 'node:crypto';
import type { Models } from '../../models.js';
import { AppError, isDuplicateKeyError } from '../../common/errors.js';

/** A lease older than this belongs to a crashed holder and may be broken. */
const LEASE_MS = 10_000;
/** A holder passes its lease on to callers queued in this process for at most this long. */
const HANDOVER_MS = 2_000;
/** How long a caller waits for a lease before answering 503. */
const WAIT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Slot {
  token: string | null;
  since: number;
  waiters: (() => void)[];
  busy: boolean;
}

/**
 * Mutual exclusion per key for the read-check-write updates of stock and order status:
 * - across BFF instances, a lease document inserted under the key (unique `_id`);
 * - inside one process, callers of the same key queue in memory and the lease is handed from one
 *   to the next (for up to HANDOVER_MS), so a rush on one product costs one lease, not one per buyer.
 * On MongoDB the conditional updates inside are atomic anyway; the lease makes them so on FerretDB.
 */
export function createKeyedLock(m: Models) {
  const slots = new Map<string, Slot>();

  async function acquireLease(key: string): Promise<string> {
    const token = randomBytes(9).toString('base64url');
    const until = Date.now() + WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await m.OrderLock.create({ _id: key, token, takenAtMs: Date.now() });
        return token;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const cur = await m.OrderLock.findById(key).lean();
      if (cur && Date.now() - cur.takenAtMs > LEASE_MS) {
        await m.OrderLock.deleteOne({ _id: key, token: cur.token });
        continue;
      }
      if (Date.now() > until) throw new AppError(503, 'BUSY', 'Too many people at once; please try again', { key });
      await sleep(Math.min(50, 2 + attempt * 2) + Math.random() * 5);
    }
  }

  async function releaseLease(key: string, token: string) {
    await m.OrderLock.deleteOne({ _id: key, token }).catch(() => {});
  }

  return async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let slot = slots.get(key);
    if (!slot) {
      slot = { token: null, since: 0, waiters: [], busy: false };
      slots.set(key, slot);
    }
    const s = slot;
    if (s.busy) await new Promise<void>((resolve) => s.waiters.push(resolve));
    s.busy = true;
    try {
      if (!s.token || Date.now() - s.since > HANDOVER_MS) {
        if (s.token) await releaseLease(key, s.token);
        s.token = null;
        s.token = await acquireLease(key);
        s.since = Date.now();
      }
      return await fn();
    } finally {
      const next = s.waiters.shift();
      if (next) {
        next(); // keeps busy and the lease: the next caller in this process goes on under it
      } else {
        s.busy = false;
        const token = s.token;
        s.token = null;
        slots.delete(key);
        if (token) await releaseLease(key, token);
      }
    }
  };
}
export type KeyedLock = ReturnType<typeof createKeyedLock>;
