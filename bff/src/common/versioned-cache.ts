import type { CatalogModels } from '../modules/catalog/catalog.model.js';
import { FreshReader, type FreshnessOptions } from './fresh-read.js';

/** The model of the version documents (`catalog_meta`). */
export type CatalogMeta = CatalogModels['CatalogMeta'];

/**
 * Bumps the version of a cache scope. Call it in every write path that changes what the scope caches;
 * every BFF instance sees the new version on its next read and reloads.
 */
export async function bumpVersion(meta: CatalogMeta, scope: string): Promise<void> {
  await meta.updateOne({ _id: scope }, { $inc: { version: 1 } }, { upsert: true });
}

/** Current version of a scope (0 before the first change). One indexed read by _id. */
export async function readVersion(meta: CatalogMeta, scope: string): Promise<number> {
  const doc = await meta.findById(scope).lean();
  return doc?.version ?? 0;
}

/**
 * A value loaded from the database and kept in process memory until the scope's version changes.
 * Correct across instances: a call sees every change made before it (concurrent calls share one
 * version read), or, with `freshness.maxAgeMs`, changes made elsewhere up to that long ago.
 */
export class VersionedCache<T> {
  private value?: T;
  private version = -1;
  private loading?: Promise<T>;
  private readonly versions: FreshReader<number>;

  /** `freshness`: how version reads are shared between concurrent callers (see FreshReader). */
  constructor(
    private readonly meta: CatalogMeta,
    private readonly scope: string,
    private readonly load: () => Promise<T>,
    freshness: FreshnessOptions = {},
  ) {
    this.versions = new FreshReader(() => readVersion(meta, scope), freshness);
  }

  async get(): Promise<T> {
    const v = await this.versions.get();
    if (v === this.version && this.value !== undefined) return this.value;
    if (!this.loading) {
      this.loading = this.load()
        .then((value) => {
          this.value = value;
          this.version = v;
          return value;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }
}
