import Router from '@koa/router';
import { DealId, DealPageQuery } from '@linli/contracts';
import { parse } from '../../common/validate.js';
import { dealPage, type DealPageDeps } from './deal.page.js';

/** `GET /deals/:id/page?storeId`: the deal page (anyone; the share card carries the viewer's share id when logged in). */
export function dealPageRoutes(deps: DealPageDeps): Router {
  const r = new Router();
  r.get('/deals/:id/page', async (ctx) => {
    const id = parse(DealId, ctx.params.id, 'deal id');
    const { storeId } = parse(DealPageQuery, ctx.query, 'query');
    ctx.body = await dealPage(deps, id, storeId, ctx.state.user?.id);
  });
  return r;
}
