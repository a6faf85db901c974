import { Schema } from 'mongoose';

/**
 * Moves every time this process changes a cache version (any update through the CatalogMeta model,
 * e.g. `bumpVersion`), before the writer's call returns. In-process caches compare it to decide that a
 * recently read version may no longer be reused.
 */
export const catalogMetaEpoch = { value: 0 };

/** A product category (水果, 乳品, …). */
export const CategorySchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    sort: { type: Number, required: true },
    icon: { type: String, required: true },
  },
  { versionKey: false },
);

/** A product of the chain's catalog; store-specific price and stock live in Inventory. */
export const ProductSchema = new Schema(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    /** Title folded for search: NFKC (full-width → half-width) and lower case. */
    titleNorm: { type: String, required: true },
    subtitle: { type: String, default: '' },
    categoryId: { type: String, required: true },
    unit: { type: String, required: true },
    image: { type: String, required: true },
    basePriceCents: { type: Number, required: true, min: 0 },
    /** Monotonic sort key, assigned at insert, so cursor pages stay stable as products are added. */
    seq: { type: Number, required: true },
    active: { type: Boolean, required: true, default: true },
  },
  { versionKey: false, timestamps: true },
);
ProductSchema.index({ seq: 1 }, { unique: true });
ProductSchema.index({ categoryId: 1, seq: 1 });

/** Price and stock of one product in one store. `_id` is `${storeId}:${productId}`. */
export const InventorySchema = new Schema(
  {
    _id: { type: String, required: true },
    storeId: { type: String, required: true },
    productId: { type: String, required: true },
    categoryId: { type: String, required: true },
    seq: { type: Number, required: true },
    priceCents: { type: Number, required: true, min: 0 },
    memberPriceCents: { type: Number, required: true, min: 0 },
    /** Never below zero: every decrement is a conditional update `{stock: {$gte: qty}}`. */
    stock: { type: Number, required: true, min: 0 },
    active: { type: Boolean, required: true, default: true },
  },
  { versionKey: false, timestamps: true },
);
InventorySchema.index({ storeId: 1, seq: 1 });
InventorySchema.index({ storeId: 1, categoryId: 1, seq: 1 });
InventorySchema.index({ storeId: 1, productId: 1 }, { unique: true });

/** One document per cache scope; its `version` is bumped on every catalog change. */
export const CatalogMetaSchema = new Schema(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true, default: 0 },
  },
  { versionKey: false },
);
for (const op of ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne'] as const) {
  CatalogMetaSchema.post(op, () => {
    catalogMetaEpoch.value++;
  });
}

/**
 * Per-store change counters of inventory rows: `rev[productId]` is incremented after every write to
 * that row, `full` when a writer cannot say which rows it changed. Kept apart from `catalog_meta` so
 * the per-request version read stays tiny; a reader that sees a store's version move reads this one
 * document and then only the rows whose counter moved.
 */
export const InventoryRevSchema = new Schema(
  {
    _id: { type: String, required: true },
    rev: { type: Schema.Types.Mixed, default: {} },
    full: { type: Number, required: true, default: 0 },
  },
  { versionKey: false, minimize: false },
);
