import type { StoreDto } from '@linli/contracts';
import type { Core } from '../../core.js';
import { haversineM } from '../../common/geo.js';
import { NotFoundError } from '../../common/errors.js';
import { VersionedCache } from '../../common/versioned-cache.js';

export const STORES_SCOPE = 'stores';

type StoreRow = Omit<StoreDto, 'distanceM'>;

/** Nearest-store search over an in-memory index of active stores, refreshed when stores change. */
export function createStoreService(core: Core) {
  const index = new VersionedCache<StoreRow[]>(core.m, STORES_SCOPE, async () => {
    const docs = await core.m.Store.find({ active: true }).sort({ _id: 1 }).lean();
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
    }));
  }, { maxAgeMs: core.config.CATALOG_STALENESS_MS });

  return {
    /** Active stores ordered by distance from the point, nearest first (ties by store code). */
    async nearby(lat: number, lng: number, limit = 20): Promise<StoreDto[]> {
      const stores = await index.get();
      return stores
        .map((s) => ({ ...s, distanceM: Math.round(haversineM(lat, lng, s.lat, s.lng)) }))
        .sort((a, b) => a.distanceM - b.distanceM || a.id.localeCompare(b.id))
        .slice(0, limit);
    },

    /** One active store by code; 404 STORE_NOT_FOUND otherwise. */
    async get(storeId: string): Promise<StoreDto> {
      const s = (await index.get()).find((x) => x.id === storeId);
      if (!s) throw new NotFoundError('Store', 'STORE_NOT_FOUND', { storeId });
      return s;
    },

    async all(): Promise<StoreDto[]> {
      return index.get();
    },
  };
}
export type StoreService = ReturnType<typeof createStoreService>;

declare module '../../core.js' {
  interface Services {
    store: StoreService;
  }
}
