import type { Models } from '../../models.js';
import type { KeyedLock } from './order.lock.js';
import { bumpInventory } from '../catalog/inventory-cache.js';

/**
 * Stock moves on the catalog's inventory rows. FerretDB 1.x applies an update as read-then-write
 * outside a transaction (and a conditional update that matches nothing scans the collection), so
 * each move reads the row and writes it by `_id` while holding the row's lease (`inv:<id>`): the
 * check and the write cannot interleave with another move of the same row, on any instance.
 * - reserve: `stock >= qty` → `stock -= qty` and tag `holds += "<orderId>:<qty>:<ms>"`, one write.
 *   A tag lives until the reconciler sees the order saved, so a crash between the decrement and
 *   the order's insert is visible and undone.
 * - unreserve / reclaim: only while the tag is there, removing it in the same write, so a hold is
 *   given back at most once; a reclaim also marks the order released.
 * - release (cancel / refund / expiry): only while `releasedOrders` lacks the order, adding it in
 *   the same write, so an order's stock comes back exactly once however many callers race or retry.
 * Raw driver calls: the tags are not part of the catalog's schema and must survive strict mode.
 */
export const invId = (storeId: string, productId: string) => `${storeId}:${productId}`;
export const holdTag = (orderId: string, qty: number, at: Date) => `${orderId}:${qty}:${at.getTime()}`;

export function parseHoldTag(tag: string): { orderId: string; qty: number; at: number } | null {
  const m = /^(o_[a-z2-7]{16}):(\d+):(\d+)$/.exec(tag);
  return m ? { orderId: m[1], qty: Number(m[2]), at: Number(m[3]) } : null;
}

interface Row {
  _id: string;
  stock: number;
  active?: boolean;
  holds?: string[];
  releasedOrders?: string[];
}

const inv = (m: Models) => m.Inventory.collection;
const readRow = async (m: Models, id: string) => (await inv(m).findOne({ _id: id as never })) as unknown as Row | null;
/** Writes one row and then tells the catalog's caches that its stock moved (home and product pages). */
async function write(m: Models, id: string, update: Record<string, unknown>): Promise<void> {
  await inv(m).updateOne({ _id: id as never }, update as never);
  if ((update.$inc as { stock?: number } | undefined)?.stock) {
    const [storeId, productId] = id.split(':');
    await bumpInventory(m, storeId, [productId]);
  }
}

export async function reserve(m: Models, lock: KeyedLock, id: string, tag: string, qty: number): Promise<boolean> {
  return lock(`inv:${id}`, async () => {
    const row = await readRow(m, id);
    if (!row || row.active === false || row.stock < qty) return false;
    await write(m, id, { $inc: { stock: -qty }, $push: { holds: tag } });
    return true;
  });
}

/** Rolls back a hold of a request that failed (its order never existed). */
export async function unreserve(m: Models, lock: KeyedLock, id: string, tag: string, qty: number): Promise<boolean> {
  return lock(`inv:${id}`, async () => {
    const row = await readRow(m, id);
    if (!row?.holds?.includes(tag)) return false;
    await write(m, id, { $inc: { stock: qty }, $pull: { holds: tag } });
    return true;
  });
}

/** Whether the reconciler took this order's hold back (the order must then not go ahead). */
export async function wasReclaimed(m: Models, id: string, tag: string, orderId: string): Promise<boolean> {
  const row = await readRow(m, id);
  return !!row && !row.holds?.includes(tag) && !!row.releasedOrders?.includes(orderId);
}

export async function release(m: Models, lock: KeyedLock, id: string, orderId: string, qty: number): Promise<boolean> {
  return lock(`inv:${id}`, async () => {
    const row = await readRow(m, id);
    if (!row || row.releasedOrders?.includes(orderId)) return false;
    await write(m, id, { $inc: { stock: qty }, $push: { releasedOrders: orderId } });
    return true;
  });
}

/**
 * Settles the hold tags of one row older than `staleBefore`, in one write: a tag whose order exists
 * is dropped (its stock stays sold); a tag whose order never appeared gives its stock back and marks
 * the order released. `orderExists` answers for the order ids.
 */
export async function settleHolds(
  m: Models,
  lock: KeyedLock,
  id: string,
  staleBefore: number,
  orderExists: (orderIds: string[]) => Promise<Set<string>>,
): Promise<{ cleared: number; reclaimed: number }> {
  return lock(`inv:${id}`, async () => {
    const row = await readRow(m, id);
    const stale = (row?.holds ?? []).map((tag) => ({ tag, h: parseHoldTag(tag) })).filter((x) => !x.h || x.h.at < staleBefore);
    if (!row || stale.length === 0) return { cleared: 0, reclaimed: 0 };
    const existing = await orderExists(stale.flatMap((x) => (x.h ? [x.h.orderId] : [])));
    const lost = stale.filter((x) => x.h && !existing.has(x.h.orderId) && !row.releasedOrders?.includes(x.h.orderId));
    const qty = lost.reduce((sum, x) => sum + (x.h?.qty ?? 0), 0);
    const update: Record<string, unknown> = { $pullAll: { holds: stale.map((x) => x.tag) } };
    if (lost.length > 0) {
      update.$inc = { stock: qty };
      update.$push = { releasedOrders: { $each: lost.map((x) => x.h!.orderId) } };
    }
    await write(m, id, update);
    return { cleared: stale.length - lost.length, reclaimed: lost.length };
  });
}

/** Inventory rows carrying hold tags. */
export async function rowsWithHolds(m: Models, limit: number): Promise<string[]> {
  const rows = await inv(m).find({ 'holds.0': { $exists: true } } as never, { projection: { _id: 1 } }).limit(limit).toArray();
  return rows.map((r) => String(r._id));
}
