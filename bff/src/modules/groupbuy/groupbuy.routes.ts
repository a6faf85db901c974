import Router from '@koa/router';
import { CreateDealBody, DealId, GroupId, JoinGroupBody, OpenGroupBody, PatchDealBody, StoreId } from '@linli/contracts';
import { z } from 'zod';
import type { Core } from '../../core.js';
import { requireRole } from '../../common/auth.js';
import { parse } from '../../common/validate.js';
import { toOrderDto } from '../order/order.dto.js';
import type { OrderDoc } from '../order/order.types.js';
import { groupView } from './group.view.js';

/** The same `{order, payment}` answer as POST /orders, plus the group id. */
const answer = (r: { groupId: string; order: unknown; payment: unknown }) => ({ groupId: r.groupId, order: toOrderDto(r.order as OrderDoc), payment: r.payment });

export function groupbuyRoutes(core: Core): Router {
  const r = new Router();
  const svc = () => core.services.groupbuy;

  r.post('/admin/deals', requireRole('admin'), async (ctx) => {
    ctx.status = 201;
    ctx.body = { deal: await svc().deals.create(parse(CreateDealBody, ctx.request.body, 'deal')) };
  });

  r.patch('/admin/deals/:id', requireRole('admin'), async (ctx) => {
    const id = parse(DealId, ctx.params.id, 'deal id');
    ctx.body = { deal: await svc().deals.patch(id, parse(PatchDealBody, ctx.request.body, 'deal')) };
  });

  r.get('/deals/:id', async (ctx) => {
    ctx.body = { deal: await svc().deals.get(parse(DealId, ctx.params.id, 'deal id')) };
  });

  r.get('/deals/:id/groups', async (ctx) => {
    const id = parse(DealId, ctx.params.id, 'deal id');
    const { storeId } = parse(z.object({ storeId: StoreId }).strict(), ctx.query, 'query');
    ctx.body = { groups: await svc().openGroups(id, storeId, 10) };
  });

  r.post('/groups', requireRole('customer'), async (ctx) => {
    const body = parse(OpenGroupBody, ctx.request.body, 'group');
    ctx.status = 201;
    ctx.body = answer(await svc().open(ctx.state.user!.id, body));
  });

  r.get('/groups/:id', async (ctx) => {
    ctx.body = await groupView(core, parse(GroupId, ctx.params.id, 'group id'), ctx.state.user?.id);
  });

  r.post('/groups/:id/join', requireRole('customer'), async (ctx) => {
    const id = parse(GroupId, ctx.params.id, 'group id');
    const body = parse(JoinGroupBody, ctx.request.body ?? {}, 'join');
    ctx.status = 201;
    ctx.body = answer(await svc().join(ctx.state.user!.id, id, body));
  });

  return r;
}
