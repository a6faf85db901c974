import { Schema, type Connection } from 'mongoose';
import { bindModel } from '../../common/model.js';

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
    /** Never below zero: every decrement is a conditional update `{stock: {$gte: qty}}` (catalog/stock.ts). */
    stock: { type: Number, required: true, min: 0 },
    active: { type: Boolean, required: true, default: true },
    /** Orders holding this row's stock: `holds.<orderId> = {q, at}` (see ShelfStock). */
    holds: { type: Schema.Types.Mixed, default: undefined },
  },
  { versionKey: false, timestamps: true, minimize: true },
);
InventorySchema.index({ storeId: 1, seq: 1 });
InventorySchema.index({ storeId: 1, categoryId: 1, seq: 1 });
InventorySchema.index({ storeId: 1, productId: 1 }, { unique: true });

/**
 * One document per cache scope; its `version` is bumped on every change of what the scope caches.
 * A store's inventory scope (`inventory:<storeId>`) also counts changes per product in `rev`, so a
 * reader that sees the version move re-reads just the rows whose counter moved — and a sale costs the
 * writer one update of this document.
 */
export const CatalogMetaSchema = new Schema(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true, default: 0 },
    rev: { type: Schema.Types.Mixed, default: undefined },
    full: { type: Number, default: undefined },
  },
  { versionKey: false, minimize: true },
);
for (const op of ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne'] as const) {
  CatalogMetaSchema.post(op, () => {
    catalogMetaEpoch.value++;
  });
}

export function catalogModels(conn: Connection) {
  return {
    Category: bindModel(conn, 'Category', CategorySchema, 'categories'),
    Product: bindModel(conn, 'Product', ProductSchema, 'products'),
    Inventory: bindModel(conn, 'Inventory', InventorySchema, 'inventory'),
    CatalogMeta: bindModel(conn, 'CatalogMeta', CatalogMetaSchema, 'catalog_meta'),
  };
}
export type CatalogModels = ReturnType<typeof catalogModels>;
