import Router from '@koa/router';
import { CreateDealBody, DealId, GroupId, JoinGroupBody, OpenGroupBody, PatchDealBody, StoreId } from '@linli/contracts';
import { z } from 'zod';
import { requireRole } from '../../common/auth.js';
import { parse } from '../../common/validate.js';
import { toOrderDto } from '../order/order.dto.js';
import { idempotencyKeyOf } from '../order/order.routes.js';
import type { DealService } from './deal.service.js';
import type { GroupJoin, SeatTaken } from './group.join.js';
import type { GroupQueries } from './group.queries.js';
import { groupView, type GroupViewDeps } from './group.view.js';

/** The same `{order, payment}` answer as POST /orders, plus the group id. */
const answer = (r: SeatTaken) => ({ groupId: r.groupId, order: toOrderDto(r.order), payment: r.payment });

/** Deal admin, and opening, viewing and joining groups: `requireRole('customer') → open | join`. */
export function groupbuyRoutes(g: { deals: DealService; join: GroupJoin; queries: GroupQueries }, view: GroupViewDeps): Router {
  const r = new Router();

  r.post('/admin/deals', requireRole('admin'), async (ctx) => {
    ctx.status = 201;
    ctx.body = { deal: await g.deals.create(parse(CreateDealBody, ctx.request.body, 'deal')) };
  });

  r.patch('/admin/deals/:id', requireRole('admin'), async (ctx) => {
    const id = parse(DealId, ctx.params.id, 'deal id');
    ctx.body = { deal: await g.deals.patch(id, parse(PatchDealBody, ctx.request.body, 'deal')) };
  });

  r.get('/deals/:id', async (ctx) => {
    ctx.body = { deal: await g.deals.get(parse(DealId, ctx.params.id, 'deal id')) };
  });

  r.get('/deals/:id/groups', async (ctx) => {
    const id = parse(DealId, ctx.params.id, 'deal id');
    const { storeId } = parse(z.object({ storeId: StoreId }).strict(), ctx.query, 'query');
    ctx.body = { groups: await g.queries.openGroups(id, storeId, 10) };
  });

  r.post('/groups', requireRole('customer'), async (ctx) => {
    const body = parse(OpenGroupBody, ctx.request.body, 'group');
    // A retry whose first answer was lost sends the same key and gets the same group and order.
    ctx.status = 201;
    ctx.body = answer(await g.join.open(ctx.state.user!.id, { ...body, idempotencyKey: idempotencyKeyOf(ctx) }));
  });

  r.get('/groups/:id', async (ctx) => {
    ctx.body = await groupView(view, parse(GroupId, ctx.params.id, 'group id'), ctx.state.user?.id);
  });

  r.post('/groups/:id/join', requireRole('customer'), async (ctx) => {
    const id = parse(GroupId, ctx.params.id, 'group id');
    const body = parse(JoinGroupBody, ctx.request.body ?? {}, 'join');
    ctx.status = 201;
    ctx.body = answer(await g.join.join(ctx.state.user!.id, id, body));
  });

  return r;
}
