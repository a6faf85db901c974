import Router from '@koa/router';
import { NearbyStoresQuery } from '@linli/contracts';
import type { Core } from '../../core.js';
import { parse } from '../../common/validate.js';

export function storeRoutes(core: Core): Router {
  const r = new Router();
  r.get('/stores', async (ctx) => {
    const q = parse(NearbyStoresQuery, ctx.query, 'query');
    ctx.body = { stores: await core.services.store.nearby(q.lat, q.lng, q.limit) };
  });
  return r;
}
