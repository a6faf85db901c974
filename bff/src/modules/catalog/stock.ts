import type { Clock } from '../../common/clock.js';
import type { CatalogModels } from './catalog.model.js';
import { bumpInventory } from './inventory-cache.js';

export const invId = (storeId: string, productId: string) => `${storeId}:${productId}`;

/** One line of an order as the shelf sees it. */
export interface StockLine {
  productId: string;
  qty: number;
}

/** A hold as stored on an inventory row, under `holds.<orderId>`. */
interface Hold {
  q: number;
  at: Date;
}

/** A hold found by the sweep. */
export interface FoundHold {
  orderId: string;
  storeId: string;
  productId: string;
  qty: number;
  at: Date;
}

/** The order ids used as keys under `holds` (never a `.` or a leading `$`). */
const ORDER_KEY = /^o_[a-z2-7]{16}$/;

/**
 * Shelf stock of the stores, one inventory row per (store, product). Every move is ONE guarded
 * single-document update of the row, so it holds on MongoDB and on the embedded database alike:
 * - take: `{_id, active, stock ≥ qty, holds.<order> absent}` → `stock −= qty`, `holds.<order> = {q, at}`;
 * - give back: `{_id, holds.<order> present}` → `stock += q`, unset the hold: exactly once, whoever
 *   calls and however often (a refund, a cancel, two racing sweeps, a retried request);
 * - keep (the customer has the goods): unset the hold, stock stays sold.
 * So a row lists exactly the orders holding its stock, and a take whose order never got saved (a
 * crash between the two writes) is visible to the sweep, which fences the order id and gives it back.
 * The holds of a row are the orders that still hold its stock (unpaid, or paid and not yet collected),
 * which bounds the row's size.
 */
export class ShelfStock {
  constructor(private readonly d: { models: Pick<CatalogModels, 'Inventory' | 'CatalogMeta'>; clock: Clock }) {}

  private get rows() {
    return this.d.models.Inventory.collection;
  }

  /**
   * Takes every line for `orderId`, or none: on the first line that is short (or not sold here) it
   * gives back the lines already taken and answers that product. Bumps the store's inventory version.
   */
  async take(storeId: string, lines: StockLine[], orderId: string): Promise<{ ok: true } | { ok: false; productId: string; alreadyHeld: boolean }> {
    if (!ORDER_KEY.test(orderId)) throw new Error(`not an order id: ${orderId}`);
    const at = this.d.clock.now();
    const taken: StockLine[] = [];
    for (const line of lines) {
      const r = await this.rows.updateOne(
        { _id: invId(storeId, line.productId) as never, active: true, stock: { $gte: line.qty }, [`holds.${orderId}`]: { $exists: false } },
        { $inc: { stock: -line.qty }, $set: { [`holds.${orderId}`]: { q: line.qty, at } satisfies Hold } },
      );
      if (r.modifiedCount !== 1) {
        // The same order id holding this row already: a twin request (same Idempotency-Key) is ahead.
        const row = await this.rows.findOne({ _id: invId(storeId, line.productId) as never }, { projection: { [`holds.${orderId}`]: 1 } });
        const alreadyHeld = !!(row?.holds as Record<string, Hold> | undefined)?.[orderId];
        if (taken.length && !alreadyHeld) await this.giveBack(storeId, taken, orderId);
        return { ok: false, productId: line.productId, alreadyHeld };
      }
      taken.push(line);
    }
    await bumpInventory(this.d.models.CatalogMeta, storeId, lines.map((l) => l.productId));
    return { ok: true };
  }

  /**
   * Gives back every line `orderId` still holds (exactly once per line, ever: the hold is the guard).
   * `lines` are the order's own lines, so their quantities are the holds'. Answers how many came back.
   */
  async giveBack(storeId: string, lines: StockLine[], orderId: string): Promise<number> {
    let back = 0;
    for (const line of lines) {
      const key = `holds.${orderId}`;
      const r = await this.rows.updateOne({ _id: invId(storeId, line.productId) as never, [key]: { $exists: true } }, { $inc: { stock: line.qty }, $unset: { [key]: '' } });
      back += r.modifiedCount;
    }
    if (back > 0) await bumpInventory(this.d.models.CatalogMeta, storeId, lines.map((l) => l.productId));
    return back;
  }

  /** The goods left with the customer: the holds go, the stock stays sold. Idempotent. */
  async keep(storeId: string, lines: StockLine[], orderId: string): Promise<void> {
    for (const line of lines) {
      await this.rows.updateOne({ _id: invId(storeId, line.productId) as never, [`holds.${orderId}`]: { $exists: true } }, { $unset: { [`holds.${orderId}`]: '' } });
    }
  }

  /** Holds taken before `before`, for the sweep (rows without holds are skipped by the filter). */
  async holdsOlderThan(before: Date, limit = 2000): Promise<FoundHold[]> {
    const out: FoundHold[] = [];
    const rows = await this.rows.find({ holds: { $exists: true } } as never, { projection: { storeId: 1, productId: 1, holds: 1 } }).toArray();
    for (const row of rows) {
      for (const [orderId, h] of Object.entries((row.holds ?? {}) as Record<string, Hold>)) {
        if (h && h.at < before) out.push({ orderId, storeId: String(row.storeId), productId: String(row.productId), qty: h.q, at: h.at });
        if (out.length >= limit) return out;
      }
    }
    return out;
  }
}
