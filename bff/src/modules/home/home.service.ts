import type { DealSummaryDto, HomePart, HomeQuery, HomeResponse, StoreDto } from '@linli/contracts';
import type { Logger } from '../../common/logger.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import { NotFoundError } from '../../common/errors.js';
import { haversineM } from '../../common/geo.js';
import { type Serialized, serialize } from '../catalog/http-cache.js';
import { runParts } from './budget.js';
import { withDistance } from '../store/store.service.js';

export const FIRST_PAGE_SIZE = 20;
export const NEARBY_COUNT = 3;
const MAX_CACHED = 2000;

export interface HomeServiceDeps {
  catalog: CatalogService;
  logger: Logger;
  /** The member part (the member module's summary of a user). */
  memberSummary(userId: string): Promise<unknown>;
  /** Time budget of each part; a later part is left out and named in `partial`. */
  budgetMs: number;
}

interface Placement {
  store: StoreDto;
  nearby: StoreDto[];
}

const byDistance = (a: StoreDto, b: StoreDto) => a.distanceM! - b.distanceM! || a.id.localeCompare(b.id);

/** A bounded map that forgets its oldest entry when full. */
function boundedSet<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= MAX_CACHED) map.delete(map.keys().next().value!);
  map.set(key, value);
  return value;
}

/**
 * The home screen in one round trip. It owns no data: it composes the store, catalog, group-buy and
 * member services. The store is required (no store, no screen); every other part runs in parallel
 * under a time budget and is left out, and named in `partial`, when it fails or is late.
 *
 * A complete anonymous screen is also kept serialized under a key naming everything it shows (the
 * point or store, the catalog, stores, deals and store-inventory versions, the deals and their open
 * group counts), so an unchanged screen is answered without being rebuilt.
 */
export function createHomeService(deps: HomeServiceDeps) {
  const placements = new Map<string, Placement>();
  const screens = new Map<string, Serialized>();

  async function place(q: HomeQuery, view: Awaited<ReturnType<CatalogService['view']>>): Promise<{ key: string; placement: Placement }> {
    const key = `${view.versions.get('stores') ?? 0}|${q.storeId ?? ''}|${q.lat ?? ''}|${q.lng ?? ''}`;
    const hit = placements.get(key);
    if (hit) return { key, placement: hit };
    const stores = await view.stores();
    let placement: Placement;
    if (q.storeId) {
      const s = await view.store(q.storeId);
      const others = stores.filter((x) => x.id !== s.id).map((x) => ({ ...x, distanceM: Math.round(haversineM(s.lat, s.lng, x.lat, x.lng)) }));
      placement = { store: s, nearby: others.sort(byDistance).slice(0, NEARBY_COUNT) };
    } else {
      // The shopper's point: each store says whether it delivers there (`deliverable`).
      const all = stores.map((x) => withDistance(x, { lat: q.lat!, lng: q.lng! })).sort(byDistance);
      if (all.length === 0) throw new NotFoundError('Store', 'STORE_NOT_FOUND');
      placement = { store: all[0], nearby: all.slice(1, 1 + NEARBY_COUNT) };
    }
    return { key, placement: boundedSet(placements, key, placement) };
  }

  const service = {
    /** The home screen for a point or a store, with the member part when `userId` is given. */
    async home(q: HomeQuery, userId?: string): Promise<HomeResponse> {
      const r = await service.screen(q, userId);
      return r.body ?? (JSON.parse(r.serialized!.json) as HomeResponse);
    },

    /**
     * The screen either as a body to send, or (complete anonymous screens) already serialized with
     * its ETag. Both carry the same content.
     */
    async screen(q: HomeQuery, userId?: string): Promise<{ body?: HomeResponse; serialized?: Serialized }> {
      const view = await deps.catalog.view();
      const { key: placeKey, placement } = await place(q, view);
      const storeId = placement.store.id;

      let deals: Promise<DealSummaryDto[]> | undefined;
      let screenKey: string | undefined;
      if (!userId) {
        deals = view.deals(storeId);
        deals.catch(() => {}); // a failure is reported by the deals part below
        const list = await deals.catch(() => undefined);
        if (list) {
          const v = view.versions;
          screenKey = [placeKey, v.get('catalog'), v.get('deals'), v.get(`inventory:${storeId}`), list.map((d) => `${d.id}:${d.openGroups}`).join(',')].join('|');
          const hit = screens.get(screenKey);
          if (hit) return { serialized: hit };
        }
      }

      const parts: Partial<Record<HomePart, () => Promise<unknown>>> = {
        nearby: async () => placement.nearby,
        categories: () => view.categories(),
        deals: () => deals ?? view.deals(storeId),
        products: () => view.page(storeId, { limit: FIRST_PAGE_SIZE }),
      };
      if (userId) {
        parts.member = () => deps.memberSummary(userId);
      }

      const results = await runParts(parts, deps.budgetMs);
      const out: HomeResponse = { store: placement.store, partial: [] };
      for (const [name, r] of Object.entries(results) as [HomePart, (typeof results)[HomePart]][]) {
        if (r.ok) (out as Record<string, unknown>)[name] = r.value;
        else {
          out.partial.push(name);
          deps.logger.warn({ part: name, reason: r.reason, err: r.error }, 'home part left out');
        }
      }
      out.partial.sort();
      if (screenKey && out.partial.length === 0) return { serialized: boundedSet(screens, screenKey, serialize(out)) };
      return { body: out };
    },
  };
  return service;
}
export type HomeService = ReturnType<typeof createHomeService>;
