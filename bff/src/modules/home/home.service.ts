import type { HomePart, HomeQuery, HomeResponse, StoreDto } from '@linli/contracts';
import type { Core } from '../../core.js';
import { NotFoundError } from '../../common/errors.js';
import { haversineM } from '../../common/geo.js';
import { runParts } from './budget.js';

export const FIRST_PAGE_SIZE = 20;
export const NEARBY_COUNT = 3;

/** What the member module may offer; optional so home works before or without it. */
interface MemberSummaryPort {
  summary?(userId: string): Promise<unknown>;
}

const byDistance = (a: StoreDto, b: StoreDto) => a.distanceM! - b.distanceM! || a.id.localeCompare(b.id);

/**
 * The home screen in one round trip. It owns no data: it composes the store, catalog, group-buy and
 * member services. The store is required (no store, no screen); every other part runs in parallel
 * under a time budget and is left out, and named in `partial`, when it fails or is late.
 */
export function createHomeService(core: Core, opts: { budgetMs: number }) {
  return {
    async home(q: HomeQuery, userId?: string): Promise<HomeResponse> {
      const view = await core.services.catalog.view();
      const stores = await view.stores();
      let store: StoreDto;
      let others: StoreDto[];
      if (q.storeId) {
        const s = await view.store(q.storeId);
        store = s;
        others = stores.filter((x) => x.id !== s.id).map((x) => ({ ...x, distanceM: Math.round(haversineM(s.lat, s.lng, x.lat, x.lng)) }));
      } else {
        const all = stores.map((x) => ({ ...x, distanceM: Math.round(haversineM(q.lat!, q.lng!, x.lat, x.lng)) })).sort(byDistance);
        if (all.length === 0) throw new NotFoundError('Store', 'STORE_NOT_FOUND');
        store = all[0];
        others = all.slice(1);
      }
      const storeId = store.id;
      const member = (core.services as { member?: MemberSummaryPort }).member;

      const parts: Partial<Record<HomePart, () => Promise<unknown>>> = {
        nearby: async () => others.sort(byDistance).slice(0, NEARBY_COUNT),
        categories: () => view.categories(),
        deals: () => view.deals(storeId),
        products: () => view.page(storeId, { limit: FIRST_PAGE_SIZE }),
      };
      if (userId) {
        parts.member = async () => {
          if (!member?.summary) throw new Error('member module not available');
          return member.summary(userId);
        };
      }

      const results = await runParts(parts, opts.budgetMs);
      const out: HomeResponse = { store, partial: [] };
      for (const [name, r] of Object.entries(results) as [HomePart, (typeof results)[HomePart]][]) {
        if (r.ok) (out as Record<string, unknown>)[name] = r.value;
        else {
          out.partial.push(name);
          core.logger.warn({ part: name, reason: r.reason, err: r.error }, 'home part left out');
        }
      }
      out.partial.sort();
      return out;
    },
  };
}
export type HomeService = ReturnType<typeof createHomeService>;

declare module '../../core.js' {
  interface Services {
    home: HomeService;
  }
}
