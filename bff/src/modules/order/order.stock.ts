import type { Models } from '../../models.js';
import type { KeyedLock } from './order.lock.js';

/**
 * Stock moves on the catalog's inventory rows, each one conditional single-document update under the
 * row's lease (`inv:<id>`; FerretDB 1.x updates are read-then-write, so even `$inc` can lose a
 * racing update without it). Raw driver calls: the tags below are not part of the catalog's schema
 * and must not be stripped by mongoose's strict mode.
 * - reserve: `{stock >= qty}` → `stock -= qty` and tag `holds += "<orderId>:<qty>:<ms>"`, one update.
 *   The tag stays until the order document exists, so a crash in between is visible to the sweep.
 * - unreserve / reclaim: only while the tag is there, removing it in the same update, so a hold is
 *   given back at most once; a reclaim also marks the order released (see release).
 * - release (cancel / refund / expiry): only while `releasedOrders` lacks the order, adding it in the
 *   same update, so an order's stock comes back exactly once however many callers race or retry.
 */
export const invId = (storeId: string, productId: string) => `${storeId}:${productId}`;
export const holdTag = (orderId: string, qty: number, at: Date) => `${orderId}:${qty}:${at.getTime()}`;

export function parseHoldTag(tag: string): { orderId: string; qty: number; at: number } | null {
  const m = /^(o_[a-z2-7]{16}):(\d+):(\d+)$/.exec(tag);
  return m ? { orderId: m[1], qty: Number(m[2]), at: Number(m[3]) } : null;
}

type Filter = Record<string, unknown>;
const inv = (m: Models) => m.Inventory.collection;

export async function reserve(m: Models, lock: KeyedLock, id: string, tag: string, qty: number): Promise<boolean> {
  const r = await lock(`inv:${id}`, () => inv(m).updateOne({ _id: id, active: true, stock: { $gte: qty } } as Filter, { $inc: { stock: -qty }, $push: { holds: tag } } as never));
  return r.modifiedCount === 1;
}

/** Rolls back a hold of a request that failed (the order never existed). */
export async function unreserve(m: Models, lock: KeyedLock, id: string, tag: string, qty: number): Promise<boolean> {
  const r = await lock(`inv:${id}`, () => inv(m).updateOne({ _id: id, holds: tag } as Filter, { $inc: { stock: qty }, $pull: { holds: tag } } as never));
  return r.modifiedCount === 1;
}

/** The sweep gives back a hold whose request died; the order (should it appear) counts as released. */
export async function reclaim(m: Models, lock: KeyedLock, id: string, tag: string, orderId: string, qty: number): Promise<boolean> {
  const r = await lock(`inv:${id}`, () => inv(m).updateOne({ _id: id, holds: tag, releasedOrders: { $ne: orderId } } as Filter, {
    $inc: { stock: qty },
    $pull: { holds: tag },
    $push: { releasedOrders: orderId },
  } as never));
  return r.modifiedCount === 1;
}

/** The order exists now: its tag goes (its stock stays taken). False when the sweep reclaimed it first. */
export async function clearHold(m: Models, lock: KeyedLock, id: string, tag: string): Promise<boolean> {
  const r = await lock(`inv:${id}`, () => inv(m).updateOne({ _id: id, holds: tag } as Filter, { $pull: { holds: tag } } as never));
  return r.modifiedCount === 1;
}

export async function release(m: Models, lock: KeyedLock, id: string, orderId: string, qty: number): Promise<boolean> {
  const r = await lock(`inv:${id}`, () => inv(m).updateOne({ _id: id, releasedOrders: { $ne: orderId } } as Filter, {
    $inc: { stock: qty },
    $push: { releasedOrders: orderId },
  } as never));
  return r.modifiedCount === 1;
}

/** Inventory rows carrying hold tags (few: a tag lives only for the moments of one request). */
export async function rowsWithHolds(m: Models, limit: number): Promise<{ _id: string; holds: string[] }[]> {
  const rows = await inv(m).find({ 'holds.0': { $exists: true } } as Filter, { projection: { holds: 1 } }).limit(limit).toArray();
  return rows as unknown as { _id: string; holds: string[] }[];
}
