import Router from '@koa/router';
import { CreateShareBody, FunnelQuery, ShareId } from '@linli/contracts';
import type { ShareService } from './share.service.js';
import { requireRole } from '../../common/auth.js';
import { parse } from '../../common/validate.js';

export function shareRoutes(shares: ShareService): Router {
  const r = new Router();

  r.post('/shares', requireRole('customer'), async (ctx) => {
    ctx.status = 201;
    ctx.body = { share: await shares.share(ctx.state.user!.id, parse(CreateShareBody, ctx.request.body, 'share')) };
  });

  r.post('/shares/:id/visit', requireRole('customer'), async (ctx) => {
    ctx.body = await shares.visit(parse(ShareId, ctx.params.id, 'share id'), ctx.state.user!.id);
  });

  r.get('/admin/funnel', requireRole('admin'), async (ctx) => {
    const q = parse(FunnelQuery, ctx.query, 'query');
    ctx.body = await shares.funnel(q.dealId);
  });

  return r;
}
