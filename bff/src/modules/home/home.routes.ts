import Router from '@koa/router';
import { HomeQuery } from '@linli/contracts';
import type { Core } from '../../core.js';
import { parse } from '../../common/validate.js';
import { sendJsonWithEtag, sendSerialized } from '../catalog/http-cache.js';

export function homeRoutes(core: Core): Router {
  const r = new Router();
  r.get('/home', async (ctx) => {
    const q = parse(HomeQuery, ctx.query, 'query');
    const { body, serialized } = await core.services.home.screen(q, ctx.state.user?.id);
    if (serialized) sendSerialized(ctx, serialized, { vary: 'Authorization' });
    else sendJsonWithEtag(ctx, body, { vary: 'Authorization' });
  });
  return r;
}
