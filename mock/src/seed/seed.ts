import type { Connection, Model } from 'mongoose';
import { bindAllModels as bindModels, type Models } from '@linli/bff/composition';
import { ensureIndexes } from '@linli/bff/common/model';
import { bumpVersion } from '@linli/bff/common/versioned-cache';
import { generateChain } from './generate.js';

export interface SeedReport {
  [collection: string]: { inserted: number; total: number };
}

/** Inserts the documents whose _id is not there yet; existing ones (and their live changes) stay. */
async function insertMissing(model: Model<any>, docs: { _id: string }[]) { // eslint-disable-line @typescript-eslint/no-explicit-any
  const existing = new Set((await model.find({}, { _id: 1 }).lean()).map((d) => String(d._id)));
  const missing = docs.filter((d) => !existing.has(d._id));
  for (let i = 0; i < missing.length; i += 1000) {
    await model.collection.insertMany(missing.slice(i, i + 1000) as never[], { ordered: false }).catch((err: { code?: number; writeErrors?: unknown[] }) => {
      // A concurrent seeder inserted some of them first: duplicates are fine, anything else is not.
      if (err.code !== 11000 && !err.writeErrors) throw err;
    });
  }
  return { inserted: missing.length, total: await model.countDocuments() };
}

/**
 * Seeds the demo chain. Idempotent: a second run inserts nothing and changes nothing, so stock sold
 * in the demo is not reset. Timestamps are added here, since raw inserts skip mongoose's.
 */
export async function seed(conn: Connection, m: Models = bindModels(conn)): Promise<SeedReport> {
  await ensureIndexes(m);
  const chain = generateChain();
  const stamp = <T extends object>(docs: T[]) => docs.map((d) => ({ createdAt: new Date(), updatedAt: new Date(), ...d }));
  const report: SeedReport = {};
  report.stores = await insertMissing(m.Store, stamp(chain.stores));
  report.categories = await insertMissing(m.Category, chain.categories);
  report.products = await insertMissing(m.Product, stamp(chain.products));
  report.inventory = await insertMissing(m.Inventory, stamp(chain.inventory));
  report.memberCards = await insertMissing(m.MemberCard, stamp(chain.memberCards));
  report.users = await insertMissing(m.User, stamp(chain.users));
  report.deals = await insertMissing(m.Deal, stamp(chain.deals));
  if (report.stores.inserted) await bumpVersion(m.CatalogMeta, 'stores');
  if (report.products.inserted || report.inventory.inserted || report.categories.inserted) await bumpVersion(m.CatalogMeta, 'catalog');
  if (report.deals.inserted) await bumpVersion(m.CatalogMeta, 'deals');
  return report;
}
