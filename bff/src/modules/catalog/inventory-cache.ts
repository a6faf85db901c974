import { KeyedSnapshot } from '../../common/fresh-read.js';
import type { CatalogModels } from './catalog.model.js';

/** Price, stock or listing of one store's inventory changed. */
export const inventoryScope = (storeId: string) => `inventory:${storeId}`;

export interface InventoryRow {
  productId: string;
  categoryId: string;
  seq: number;
  priceCents: number;
  memberPriceCents: number;
  stock: number;
  active: boolean;
}

interface StoreState {
  /** The store's inventory version these rows are known to be current for (or newer). */
  version: number;
  revs: Record<string, number>;
  full: number;
  rows: InventoryRow[];
}

const ROW_FIELDS = { productId: 1, categoryId: 1, seq: 1, priceCents: 1, memberPriceCents: 1, stock: 1, active: 1 } as const;

type RowDoc = { productId: string; categoryId: string; seq: number; priceCents: number; memberPriceCents: number; stock: number; active: boolean };
const toRow = (r: RowDoc): InventoryRow => ({
  productId: r.productId,
  categoryId: r.categoryId,
  seq: r.seq,
  priceCents: r.priceCents,
  memberPriceCents: r.memberPriceCents,
  stock: r.stock,
  active: r.active,
});
const bySeq = (a: InventoryRow, b: InventoryRow) => a.seq - b.seq;

/**
 * Records that rows of a store changed, in ONE write of the store's inventory scope: its version and
 * the change counters of those rows move together, so a reader that sees the new version also sees
 * which rows to re-read. Without `productIds` every row of the store is re-read. Call it AFTER the
 * inventory write.
 */
export async function bumpInventory(meta: CatalogModels['CatalogMeta'], storeId: string, productIds?: string[]): Promise<void> {
  const inc: Record<string, number> = { version: 1 };
  if (productIds?.length) for (const id of new Set(productIds)) inc[`rev.${id}`] = 1;
  else inc.full = 1;
  await meta.updateOne({ _id: inventoryScope(storeId) }, { $inc: inc }, { upsert: true });
}

/**
 * Every store's inventory in memory. Loaded in one read per catalog version; after that a store whose
 * inventory version moved reloads only the rows whose change counter moved (reads by `_id`), so a sale
 * costs a reader one or two small reads instead of a scan of the whole table.
 */
export class InventoryCache {
  private readonly all = new KeyedSnapshot<Map<string, StoreState>>(() => this.loadAll());
  private readonly refreshing = new Map<string, Promise<void>>();

  constructor(private readonly m: Pick<CatalogModels, 'Inventory' | 'CatalogMeta'>) {}

  /** The store's rows in `seq` order, current as of at least `storeVersion`. */
  async rows(catalogKey: string, storeId: string, storeVersion: number): Promise<InventoryRow[]> {
    const states = await this.all.get(catalogKey);
    for (let i = 0; ; i++) {
      const st = states.get(storeId);
      if (st && st.version >= storeVersion) return st.rows;
      if (i > 5) throw new Error(`inventory of ${storeId} did not reach version ${storeVersion}`);
      await this.refresh(states, storeId);
    }
  }

  private async loadAll(): Promise<Map<string, StoreState>> {
    const metas = await this.m.CatalogMeta.find({}).lean();
    const docs = await this.m.Inventory.find({}, { ...ROW_FIELDS, storeId: 1 }).lean();
    const out = new Map<string, StoreState>();
    const metaOf = new Map(metas.map((d) => [String(d._id), d]));
    const state = (storeId: string) => {
      let st = out.get(storeId);
      if (!st) {
        const r = metaOf.get(inventoryScope(storeId));
        st = { version: r?.version ?? 0, revs: { ...((r?.rev as Record<string, number> | undefined) ?? {}) }, full: r?.full ?? 0, rows: [] };
        out.set(storeId, st);
      }
      return st;
    };
    for (const d of docs) state(d.storeId).rows.push(toRow(d as RowDoc));
    for (const st of out.values()) st.rows.sort(bySeq);
    return out;
  }

  private refresh(states: Map<string, StoreState>, storeId: string): Promise<void> {
    let p = this.refreshing.get(storeId);
    if (!p) {
      p = this.refreshStore(states, storeId).finally(() => this.refreshing.delete(storeId));
      this.refreshing.set(storeId, p);
    }
    return p;
  }

  private async refreshStore(states: Map<string, StoreState>, storeId: string): Promise<void> {
    const meta = await this.m.CatalogMeta.findById(inventoryScope(storeId)).lean();
    const version = meta?.version ?? 0;
    const revs: Record<string, number> = { ...((meta?.rev as Record<string, number> | undefined) ?? {}) };
    const full = meta?.full ?? 0;
    const old = states.get(storeId);
    let rows: InventoryRow[];
    if (!old || old.full !== full) {
      rows = (await this.m.Inventory.find({ storeId }, ROW_FIELDS).lean()).map((d) => toRow(d as RowDoc)).sort(bySeq);
    } else {
      const changed = Object.keys(revs).filter((id) => revs[id] !== old.revs[id]);
      const fresh = await Promise.all(changed.map((id) => this.m.Inventory.findById(`${storeId}:${id}`, ROW_FIELDS).lean()));
      const byId = new Map(old.rows.map((r) => [r.productId, r]));
      changed.forEach((id, i) => {
        const d = fresh[i];
        if (d) byId.set(id, toRow(d as RowDoc));
        else byId.delete(id);
      });
      rows = [...byId.values()].sort(bySeq);
    }
    states.set(storeId, { version, revs, full, rows });
  }
}
