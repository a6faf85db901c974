import Router from '@koa/router';
import { CreateInviteBody, InviteCode, LoginBody, RefreshBody } from '@linli/contracts';
import type { IdentityService } from './identity.service.js';
import type { InviteService } from './invite.service.js';
import { requireAuth, requireRole } from '../../common/auth.js';
import { parse } from '../../common/validate.js';

export function identityRoutes(identity: IdentityService, invites: InviteService): Router {
  const r = new Router();

  r.post('/auth/login', async (ctx) => {
    const { code } = parse(LoginBody, ctx.request.body);
    ctx.body = await identity.login(code);
  });

  r.post('/auth/refresh', async (ctx) => {
    const { refreshToken } = parse(RefreshBody, ctx.request.body);
    ctx.body = await identity.refresh(refreshToken);
  });

  r.post('/auth/logout', async (ctx) => {
    const { refreshToken } = parse(RefreshBody, ctx.request.body);
    await identity.logout(refreshToken);
    ctx.status = 204;
  });

  r.get('/me', requireAuth, async (ctx) => {
    ctx.body = { user: await identity.me(ctx.state.user!.id) };
  });

  r.post('/admin/invites', requireRole('admin'), async (ctx) => {
    const { storeId } = parse(CreateInviteBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = await invites.create(ctx.state.user!.id, storeId);
  });

  r.post('/clerk/invites/:code/redeem', requireRole('customer'), async (ctx) => {
    const code = parse(InviteCode, ctx.params.code, 'invite code');
    ctx.body = await invites.redeem(ctx.state.user!.id, code);
  });
  return r;
}
