import Router from '@koa/router';
import { NearbyStoresQuery, StoreId, StoreQuery } from '@linli/contracts';
import { NotFoundError } from '../../common/errors.js';
import type { StoreService } from './store.service.js';
import { parse } from '../../common/validate.js';

export function storeRoutes(stores: StoreService): Router {
  const r = new Router();
  r.get('/stores', async (ctx) => {
    const q = parse(NearbyStoresQuery, ctx.query, 'query');
    ctx.body = { stores: await stores.nearby(q.lat, q.lng, q.limit) };
  });
  // One store (for the store card of an order, a group or the clerk's pages): from the in-memory
  // index, so it costs no database read; browsers may keep it a minute.
  r.get('/stores/:id', async (ctx) => {
    const id = parse(StoreId, ctx.params.id, 'store id');
    const q = parse(StoreQuery, ctx.query, 'query');
    const store = await stores.find(id, q.lat !== undefined && q.lng !== undefined ? { lat: q.lat, lng: q.lng } : undefined);
    if (!store) throw new NotFoundError('Store', 'STORE_NOT_FOUND', { storeId: id });
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.body = { store };
  });
  return r;
}
