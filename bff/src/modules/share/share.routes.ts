import Router from '@koa/router';
import { CreateShareBody, FunnelQuery, PosterQuery, ShareId, ShareLinkQuery, ShareResolveQuery } from '@linli/contracts';
import type { ShareService } from './share.service.js';
import type { PosterService } from './poster.service.js';
import { requireRole } from '../../common/auth.js';
import { parse } from '../../common/validate.js';

/**
 * Shares: `POST /shares` (really shared), `GET /shares/link` (the card prepared), `GET /shares/:id`
 * (what a link or scene opens), `GET /shares/:id/poster` (the PNG), visits and the funnel.
 * `linkBase` is where the h5 app is served; without it, the origin the request came through.
 */
export function shareRoutes(shares: ShareService, posters?: PosterService, linkBase?: string): Router {
  const r = new Router();

  r.post('/shares', requireRole('customer'), async (ctx) => {
    ctx.status = 201;
    ctx.body = { share: await shares.share(ctx.state.user!.id, parse(CreateShareBody, ctx.request.body, 'share')) };
  });

  r.get('/shares/link', requireRole('customer'), async (ctx) => {
    ctx.body = { share: await shares.link(ctx.state.user!.id, parse(ShareLinkQuery, ctx.query, 'query')) };
  });

  r.get('/shares/:id', async (ctx) => {
    const { storeId } = parse(ShareResolveQuery, ctx.query, 'query');
    ctx.body = { share: (await shares.resolve(parse(ShareId, ctx.params.id, 'share id'), storeId)).share };
  });

  if (posters) {
    r.get('/shares/:id/poster', async (ctx) => {
      const id = parse(ShareId, ctx.params.id, 'share id');
      const q = parse(PosterQuery, ctx.query, 'query');
      const p = await posters.poster(id, q, linkBase ?? `${ctx.protocol}://${ctx.host}`);
      ctx.set('Cache-Control', 'public, max-age=300');
      ctx.set('ETag', p.etag);
      ctx.set('X-Poster-Code', p.code);
      ctx.set('X-Poster-Link', encodeURI(p.link));
      ctx.status = 200;
      if (ctx.fresh) {
        ctx.status = 304;
        return;
      }
      ctx.type = 'image/png';
      ctx.body = p.png;
    });
  }

  r.post('/shares/:id/visit', requireRole('customer'), async (ctx) => {
    ctx.body = await shares.visit(parse(ShareId, ctx.params.id, 'share id'), ctx.state.user!.id);
  });

  r.get('/admin/funnel', requireRole('admin'), async (ctx) => {
    const q = parse(FunnelQuery, ctx.query, 'query');
    ctx.body = await shares.funnel(q.dealId);
  });

  return r;
}
