import Router from '@koa/router';
import { HomeQuery } from '@linli/contracts';
import type { HomeService } from './home.service.js';
import { parse } from '../../common/validate.js';
import { sendJsonWithEtag, sendSerialized } from '../catalog/http-cache.js';

export function homeRoutes(home: HomeService): Router {
  const r = new Router();
  r.get('/home', async (ctx) => {
    const q = parse(HomeQuery, ctx.query, 'query');
    const { body, serialized } = await home.screen(q, ctx.state.user?.id);
    if (serialized) sendSerialized(ctx, serialized, { vary: 'Authorization' });
    else sendJsonWithEtag(ctx, body, { vary: 'Authorization' });
  });
  return r;
}
