import type { Connection, InferSchemaType, Model, Schema } from 'mongoose';
import { StoreSchema } from './modules/store/store.model.js';
import { CategorySchema, ProductSchema, InventorySchema, CatalogMetaSchema } from './modules/catalog/catalog.model.js';
import { UserSchema } from './modules/identity/user.model.js';
import { MemberCardSchema } from './modules/member/member.model.js';
import { DealSchema } from './modules/groupbuy/deal.model.js';

/**
 * Every collection of the BFF, bound to one connection. Add a model here when a module adds one;
 * `ensureIndexes` builds the indexes of all of them.
 */
const schemas = {
  Store: [StoreSchema, 'stores'],
  Category: [CategorySchema, 'categories'],
  Product: [ProductSchema, 'products'],
  Inventory: [InventorySchema, 'inventory'],
  CatalogMeta: [CatalogMetaSchema, 'catalog_meta'],
  User: [UserSchema, 'users'],
  MemberCard: [MemberCardSchema, 'member_cards'],
  Deal: [DealSchema, 'deals'],
} as const;

export type Models = { [K in keyof typeof schemas]: Model<InferSchemaType<(typeof schemas)[K][0]>> };

export function bindModels(conn: Connection): Models {
  const out: Record<string, unknown> = {};
  for (const [name, [schema, collection]] of Object.entries(schemas)) {
    out[name] = conn.models[name] ?? conn.model(name, schema as Schema, collection);
  }
  return out as unknown as Models;
}

/** Creates every declared index (unique keys carry invariants, so this runs before serving). */
export async function ensureIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models) as unknown as Model<unknown>[]) {
    await model.createCollection().catch(() => {});
    await model.createIndexes();
  }
}
