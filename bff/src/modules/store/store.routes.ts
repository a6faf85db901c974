import Router from '@koa/router';
import { NearbyStoresQuery } from '@linli/contracts';
import type { StoreService } from './store.service.js';
import { parse } from '../../common/validate.js';

export function storeRoutes(stores: StoreService): Router {
  const r = new Router();
  r.get('/stores', async (ctx) => {
    const q = parse(NearbyStoresQuery, ctx.query, 'query');
    ctx.body = { stores: await stores.nearby(q.lat, q.lng, q.limit) };
  });
  return r;
}
