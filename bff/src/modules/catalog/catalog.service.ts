import type { CategoryDto, CreateProductBody, DealSummaryDto, InventoryDto, InventoryPatchBody, ProductDto, ProductPage, StoreDto } from '@linli/contracts';
import type { Clock } from '../../common/clock.js';
import { BusinessRuleError, ConflictError, NotFoundError, isDuplicateKeyError } from '../../common/errors.js';
import { bumpVersion } from '../../common/versioned-cache.js';
import type { GroupbuyModels } from '../groupbuy/group.model.js';
import { STORES_SCOPE } from '../store/store.service.js';
import type { CatalogModels } from './catalog.model.js';
import { decodeCursor, encodeCursor, normalizeTitle } from './cursor.js';
import { FreshReader, KeyedFreshReader, KeyedSnapshot } from '../../common/fresh-read.js';
import { catalogMetaEpoch } from './catalog.model.js';
import { InventoryCache, bumpInventory, inventoryScope, type InventoryRow } from './inventory-cache.js';

export { bumpInventory, inventoryScope };

/** Cache scopes (documents of `catalog_meta`). Every writer bumps the scope it changed. */
export const CATALOG_SCOPE = 'catalog';
export const DEALS_SCOPE = 'deals';
const PRODUCT_SEQ_ID = 'counter:productSeq';

interface ProductRow {
  id: string;
  title: string;
  titleNorm: string;
  subtitle: string;
  categoryId: string;
  unit: string;
  image: string;
  seq: number;
  active: boolean;
}
interface DealRow {
  id: string;
  productId: string;
  storeIds: string[];
  title: string;
  groupSize: number;
  groupPriceCents: number;
  soloPriceCents: number;
  startAt: Date;
  endAt: Date;
  active: boolean;
}
interface CatalogData {
  products: Map<string, ProductRow>;
  categories: CategoryDto[];
}
type StoreRow = Omit<StoreDto, 'distanceM' | 'deliverable'>;
type Versions = ReadonlyMap<string, number>;

export interface PageFilter {
  category?: string;
  q?: string;
  cursor?: string;
  limit: number;
}

export interface CatalogServiceDeps {
  models: CatalogModels & Pick<GroupbuyModels, 'Deal'>;
  clock: Clock;
  /** How old a version read may be when reused for changes made by other instances. */
  stalenessMs: number;
  /** Every active store (the store module's cached index). */
  stores(): Promise<StoreRow[]>;
  /** Open groups per deal at a store (the group-buy module). */
  openGroupCounts(dealIds: string[], storeId: string): Promise<Record<string, number>>;
}

/** A neutral tile for products created without an image. */
const PLACEHOLDER_IMAGE = `data:image/svg+xml;charset=utf-8,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120"><rect width="120" height="120" rx="12" fill="#cfd8dc"/></svg>')}`;

const toProductDto = (p: ProductRow, r: InventoryRow): ProductDto => ({
  id: p.id,
  title: p.title,
  subtitle: p.subtitle,
  categoryId: p.categoryId,
  unit: p.unit,
  image: p.image,
  priceCents: r.priceCents,
  memberPriceCents: r.memberPriceCents,
  stock: r.stock,
  available: r.active && p.active && r.stock > 0,
});

/** Index of the first row whose seq is greater than `after` (rows sorted by seq). */
function firstAfter(rows: InventoryRow[], after: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].seq <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The catalog as stores sell it. Reads are served from process memory, keyed by the versions in
 * `catalog_meta`; each request reads those versions afresh (coalesced with concurrent requests, never
 * from before the request), so a change whose writer bumped its scope is visible on the next request on
 * every instance. The embedded database scans a whole table for every non-trivial query, so the hot
 * path touches only the tiny version table.
 */
export function createCatalogService(deps: CatalogServiceDeps) {
  const { models: m, clock } = deps;

  // Changes made by this process are seen at once (epoch); changes by other instances within maxAgeMs.
  const freshness = { maxAgeMs: deps.stalenessMs, epoch: () => catalogMetaEpoch.value };
  const versions = new FreshReader<Versions>(async () => {
    const docs = await m.CatalogMeta.find({}, { version: 1 }).lean();
    return new Map(docs.map((d) => [String(d._id), d.version]));
  }, freshness);
  const ver = (v: Versions, scope: string) => v.get(scope) ?? 0;

  const catalogData = new KeyedSnapshot<CatalogData>(async () => {
    const [products, categories] = await Promise.all([m.Product.find({}).lean(), m.Category.find({}).lean()]);
    return {
      products: new Map(
        products.map((p) => [
          p._id,
          { id: p._id, title: p.title, titleNorm: p.titleNorm, subtitle: p.subtitle ?? '', categoryId: p.categoryId, unit: p.unit, image: p.image, seq: p.seq, active: p.active },
        ]),
      ),
      categories: categories
        .map((c) => ({ id: c._id, name: c.name, icon: c.icon, sort: c.sort }))
        .sort((a, b) => a.sort - b.sort || a.id.localeCompare(b.id)),
    };
  });

  const inventory = new InventoryCache(m);
  const inventoryOf = (v: Versions, catalogKey: string, storeId: string) => inventory.rows(catalogKey, storeId, ver(v, inventoryScope(storeId)));

  const deals = new KeyedSnapshot<DealRow[]>(async () => {
    // The whole (small) deals table in one read; inactive ones are dropped here, not by an unindexed filter.
    const docs = (await m.Deal.find({}).lean()).filter((d) => d.active);
    return docs.map((d) => ({
      id: d._id,
      productId: d.productId,
      storeIds: d.storeIds,
      title: d.title,
      groupSize: d.groupSize,
      groupPriceCents: d.groupPriceCents,
      soloPriceCents: d.soloPriceCents,
      startAt: d.startAt,
      endAt: d.endAt,
      active: d.active,
    }));
  });

  const stores = new KeyedSnapshot<StoreRow[]>(() => deps.stores());

  const openCounts = new KeyedFreshReader<string, Map<string, number>>(async (key) => {
    const [storeId, ids] = key.split('|');
    return new Map(Object.entries(await deps.openGroupCounts(ids.split(','), storeId)));
  }, { maxAgeMs: deps.stalenessMs, maxKeys: 1000 });

  /** Everything the catalog answers, as of one fresh read of the versions. */
  function viewAt(v: Versions) {
    const catalogKey = String(ver(v, CATALOG_SCOPE));

    const view = {
      versions: v,

      async stores(): Promise<StoreRow[]> {
        return stores.get(String(ver(v, STORES_SCOPE)));
      },

      /** An active store by code; 404 STORE_NOT_FOUND otherwise. */
      async store(storeId: string): Promise<StoreRow> {
        const s = (await view.stores()).find((x) => x.id === storeId);
        if (!s) throw new NotFoundError('Store', 'STORE_NOT_FOUND', { storeId });
        return s;
      },

      async categories(): Promise<CategoryDto[]> {
        return (await catalogData.get(catalogKey)).categories;
      },

      /** One page of the store's listed products in `seq` order, filtered by category and keyword (title or category name). */
      async page(storeId: string, f: PageFilter): Promise<ProductPage> {
        const after = decodeCursor(f.cursor);
        const [cat, rows] = await Promise.all([catalogData.get(catalogKey), inventoryOf(v, catalogKey, storeId)]);
        const q = f.q ? normalizeTitle(f.q) : undefined;
        // A keyword matches a product's title, or the name of its category (水果 finds all of 新鲜水果).
        const qCategories = new Set(q ? cat.categories.filter((c) => normalizeTitle(c.name).includes(q)).map((c) => c.id) : []);
        const items: ProductDto[] = [];
        let lastSeq = 0;
        let more = false;
        for (let i = firstAfter(rows, after); i < rows.length; i++) {
          const r = rows[i];
          if (!r.active || (f.category && r.categoryId !== f.category)) continue;
          const p = cat.products.get(r.productId);
          if (!p || !p.active || (q && !p.titleNorm.includes(q) && !qCategories.has(p.categoryId))) continue;
          if (items.length === f.limit) {
            more = true;
            break;
          }
          items.push(toProductDto(p, r));
          lastSeq = r.seq;
        }
        return { items, nextCursor: more ? encodeCursor(lastSeq) : null };
      },

      /** One product as the store sells it; 404 PRODUCT_NOT_FOUND when not listed there. */
      async product(storeId: string, productId: string): Promise<ProductDto> {
        const [cat, rows] = await Promise.all([catalogData.get(catalogKey), inventoryOf(v, catalogKey, storeId)]);
        const p = cat.products.get(productId);
        const r = p && rows[firstAfter(rows, p.seq - 1)];
        if (!p || !p.active || !r || r.productId !== productId || !r.active) {
          throw new NotFoundError('Product', 'PRODUCT_NOT_FOUND', { storeId, productId });
        }
        return toProductDto(p, r);
      },

      /** Active group deals at the store (optionally of one product), each with its open groups. */
      async deals(storeId: string, productId?: string): Promise<DealSummaryDto[]> {
        const now = clock.now();
        const list = (await deals.get(String(ver(v, DEALS_SCOPE)))).filter(
          (d) => d.active && d.storeIds.includes(storeId) && d.startAt <= now && now < d.endAt && (!productId || d.productId === productId),
        );
        if (list.length === 0) return [];
        // On a product's page 单买 is what buying it alone at this store costs: its shelf price here.
        // (The home strip keeps the deal's own list price: its part of the screen has a time budget.)
        const [counts, rows] = await Promise.all([openCounts.get(`${storeId}|${list.map((d) => d.id).join(',')}`), productId ? inventoryOf(v, catalogKey, storeId) : []]);
        const shelf = new Map(rows.filter((r) => r.productId === productId).map((r) => [r.productId, r.priceCents]));
        return list.map((d) => ({
          id: d.id,
          productId: d.productId,
          title: d.title,
          groupSize: d.groupSize,
          groupPriceCents: d.groupPriceCents,
          soloPriceCents: shelf.get(d.productId) ?? d.soloPriceCents,
          endAt: d.endAt.toISOString(),
          openGroups: counts.get(d.id) ?? 0,
        }));
      },
    };
    return view;
  }

  async function rowDto(storeId: string, productId: string): Promise<InventoryDto> {
    const r = await m.Inventory.findById(`${storeId}:${productId}`).lean();
    if (!r) throw new NotFoundError('Inventory', 'INVENTORY_NOT_FOUND', { storeId, productId });
    return { storeId, productId, priceCents: r.priceCents, memberPriceCents: r.memberPriceCents, stock: r.stock, active: r.active };
  }

  /**
   * Admin: adds `delta` (negative to take away) to a store's stock of a product: ONE `$inc` guarded
   * by `{stock ≥ −delta}`, so stock never goes below zero and concurrent sales' decrements stay.
   * 404 INVENTORY_NOT_FOUND, 409 STOCK_BELOW_ZERO (nothing changed).
   */
  async function adjustStock(storeId: string, productId: string, delta: number, bump = true): Promise<InventoryDto> {
    const _id = `${storeId}:${productId}`;
    const r = await m.Inventory.updateOne(delta < 0 ? { _id, stock: { $gte: -delta } } : { _id }, { $inc: { stock: delta } });
    if (r.matchedCount !== 1) {
      const row = await rowDto(storeId, productId); // 404 when there is no such row
      throw new ConflictError('STOCK_BELOW_ZERO', `Taking ${-delta} would leave stock below zero (it is ${row.stock})`, { storeId, productId, stock: row.stock, stockDelta: delta });
    }
    if (bump) await bumpInventory(m.CatalogMeta, storeId, [productId]);
    return rowDto(storeId, productId);
  }

  return {
    /**
     * Loads every cache now (catalog, all stores' inventory, deals, stores), so the first screens do not
     * wait for it. Resolves with the time it took.
     */
    async warm(): Promise<{ ms: number }> {
      const started = Date.now();
      const view = viewAt(await versions.get());
      const stores = await view.stores();
      const v = view.versions;
      await Promise.all([view.categories(), deals.get(String(ver(v, DEALS_SCOPE))), ...stores.slice(0, 1).map((s) => view.page(s.id, { limit: 1 }))]);
      return { ms: Date.now() - started };
    },

    /** A consistent view of the catalog as of now (one coalesced read of the cache versions). */
    async view() {
      return viewAt(await versions.get());
    },

    /**
     * Admin: sets a store's price, member price or listing of a product, and moves its stock by
     * `stockDelta` with ONE guarded `$inc` (`{stock ≥ −delta}`), never a `$set` of stock, so a sale
     * made meanwhile is not overwritten. Member price may not exceed price. The version bump comes
     * after the write, so the next request anywhere sees it.
     */
    async patchInventory(storeId: string, productId: string, patch: InventoryPatchBody): Promise<InventoryDto> {
      const cur = await rowDto(storeId, productId);
      const { stockDelta, ...fields } = patch;
      const next = { ...cur, ...fields };
      if (next.memberPriceCents > next.priceCents) {
        throw new BusinessRuleError('MEMBER_PRICE_ABOVE_PRICE', 'The member price may not exceed the price', { priceCents: next.priceCents, memberPriceCents: next.memberPriceCents });
      }
      if (Object.keys(fields).length) await m.Inventory.updateOne({ _id: `${storeId}:${productId}` }, { $set: fields });
      if (stockDelta) await adjustStock(storeId, productId, stockDelta, false);
      await bumpInventory(m.CatalogMeta, storeId, [productId]);
      return rowDto(storeId, productId);
    },

    adjustStock,

    /**
     * Takes `qty` from a store's stock only if that much is there (stock never goes below zero), as a
     * till sale would (orders use ShelfStock, which also records the hold). Bumps the version when taken.
     */
    async takeStock(storeId: string, productId: string, qty: number): Promise<boolean> {
      const r = await m.Inventory.updateOne({ _id: `${storeId}:${productId}`, active: true, stock: { $gte: qty } }, { $inc: { stock: -qty } });
      if (r.modifiedCount !== 1) return false;
      await bumpInventory(m.CatalogMeta, storeId, [productId]);
      return true;
    },

    /** The catalog line of a product at a store, as orders price it (null when not listed there). */
    async line(storeId: string, productId: string) {
      const view = viewAt(await versions.get());
      const p = await view.product(storeId, productId).catch((err: unknown) => {
        if (err instanceof NotFoundError) return null;
        throw err;
      });
      return p && { title: p.title, image: p.image, priceCents: p.priceCents, memberPriceCents: p.memberPriceCents, stock: p.stock, listed: true, categoryId: p.categoryId };
    },

    /** Whether a product exists (listed or not). */
    async productExists(productId: string): Promise<boolean> {
      return (await m.Product.exists({ _id: productId })) !== null;
    },

    /**
     * Admin: adds a product with the next `seq` (so open cursors see it at the end, never twice) and
     * lists it at the given stores (default: every active store) at its base price.
     */
    async createProduct(body: CreateProductBody): Promise<ProductDto & { seq: number }> {
      const v = await versions.get();
      const cat = await catalogData.get(String(ver(v, CATALOG_SCOPE)));
      if (!cat.categories.some((c) => c.id === body.categoryId)) {
        throw new BusinessRuleError('CATEGORY_NOT_FOUND', 'No such category', { categoryId: body.categoryId });
      }
      const storeIds = body.storeIds ?? (await deps.stores()).map((s) => s.id);
      let top = 0;
      for (const p of cat.products.values()) top = Math.max(top, p.seq);
      const topDoc = await m.Product.findOne({}, { seq: 1 }).sort({ seq: -1 }).lean();
      top = Math.max(top, topDoc?.seq ?? 0);
      await m.CatalogMeta.updateOne({ _id: PRODUCT_SEQ_ID }, { $max: { version: top } }, { upsert: true });
      for (;;) {
        const counter = await m.CatalogMeta.findOneAndUpdate({ _id: PRODUCT_SEQ_ID }, { $inc: { version: 1 } }, { new: true, upsert: true }).lean();
        const seq = counter!.version;
        const id = `P${String(seq).padStart(4, '0')}`;
        const titleNorm = normalizeTitle(body.title);
        const image = body.image || PLACEHOLDER_IMAGE;
        try {
          await m.Product.create({ _id: id, title: body.title, titleNorm, subtitle: body.subtitle, categoryId: body.categoryId, unit: body.unit, image, basePriceCents: body.basePriceCents, seq, active: true });
        } catch (err) {
          if (isDuplicateKeyError(err)) continue; // a product inserted without the counter took this seq
          throw err;
        }
        const price = body.basePriceCents;
        const member = Math.round((price * 0.92) / 10) * 10;
        if (storeIds.length) {
          await m.Inventory.insertMany(
            storeIds.map((storeId) => ({ _id: `${storeId}:${id}`, storeId, productId: id, categoryId: body.categoryId, seq, priceCents: price, memberPriceCents: Math.min(member, price), stock: body.stock, active: true })),
          );
        }
        await bumpVersion(m.CatalogMeta, CATALOG_SCOPE);
        const inv: InventoryRow = { productId: id, categoryId: body.categoryId, seq, priceCents: price, memberPriceCents: Math.min(member, price), stock: body.stock, active: true };
        return { ...toProductDto({ id, title: body.title, titleNorm, subtitle: body.subtitle, categoryId: body.categoryId, unit: body.unit, image, seq, active: true }, inv), seq };
      }
    },
  };
}
export type CatalogService = ReturnType<typeof createCatalogService>;
export type CatalogView = Awaited<ReturnType<CatalogService['view']>>;

