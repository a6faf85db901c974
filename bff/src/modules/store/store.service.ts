import type { StoreDto } from '@linli/contracts';
import { haversineM } from '../../common/geo.js';
import { NotFoundError } from '../../common/errors.js';
import { VersionedCache, type CatalogMeta } from '../../common/versioned-cache.js';
import type { StoreModels } from './store.model.js';
import { deliveryConfigOf } from '../delivery/delivery.config.js';

export const STORES_SCOPE = 'stores';

type StoreRow = Omit<StoreDto, 'distanceM' | 'deliverable'>;

/** The store with its distance from a point and whether it delivers there (inside its radius). */
export function withDistance<S extends StoreRow>(s: S, from: { lat: number; lng: number }): S & { distanceM: number; deliverable: boolean } {
  const distanceM = Math.round(haversineM(from.lat, from.lng, s.lat, s.lng));
  return { ...s, distanceM, deliverable: !!s.delivery?.enabled && distanceM <= s.delivery.radiusM };
}

/** Nearest-store search over an in-memory index of active stores, refreshed when stores change. */
export function createStoreService(deps: { models: StoreModels; versions: CatalogMeta; stalenessMs: number }) {
  const index = new VersionedCache<StoreRow[]>(deps.versions, STORES_SCOPE, async () => {
    const docs = await deps.models.Store.find({ active: true }).sort({ _id: 1 }).lean();
    return docs.map((s) => ({
      id: s._id,
      name: s.name,
      city: s.city,
      district: s.district,
      address: s.address,
      lat: s.lat,
      lng: s.lng,
      phone: s.phone,
      openHours: s.openHours,
      delivery: deliveryConfigOf(s.delivery as never),
    }));
  }, { maxAgeMs: deps.stalenessMs });

  return {
    /** Active stores ordered by distance from the point, nearest first (ties by store code). */
    async nearby(lat: number, lng: number, limit = 20): Promise<StoreDto[]> {
      const stores = await index.get();
      return stores
        .map((s) => withDistance(s, { lat, lng }))
        .sort((a, b) => a.distanceM - b.distanceM || a.id.localeCompare(b.id))
        .slice(0, limit);
    },

    /** One active store by code; 404 STORE_NOT_FOUND otherwise. */
    async get(storeId: string): Promise<StoreDto> {
      const s = (await index.get()).find((x) => x.id === storeId);
      if (!s) throw new NotFoundError('Store', 'STORE_NOT_FOUND', { storeId });
      return s;
    },

    /** One active store by code, with its distance from the point when one is given; null when unknown or closed. */
    async find(storeId: string, from?: { lat: number; lng: number }): Promise<StoreDto | null> {
      const s = (await index.get()).find((x) => x.id === storeId);
      if (!s) return null;
      return from ? withDistance(s, from) : s;
    },

    async all(): Promise<StoreDto[]> {
      return index.get();
    },

    /** The name of an active store, or null. */
    async nameOf(storeId: string): Promise<string | null> {
      return (await index.get()).find((x) => x.id === storeId)?.name ?? null;
    },

    /** How many of these store codes exist (active or not). */
    async count(storeIds: string[]): Promise<number> {
      return deps.models.Store.countDocuments({ _id: { $in: storeIds } });
    },
  };
}
export type StoreService = ReturnType<typeof createStoreService>;
