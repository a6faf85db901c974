import Router from '@koa/router';
import { ClerkRefundsQuery, OrderIdParam, RefundRequestBody, RefuseRefundBody } from '@linli/contracts';
import { requireRole } from '../../common/auth.js';
import { parse } from '../../common/validate.js';
import { toOrderDto } from '../order/order.dto.js';
import type { AfterSaleService } from './aftersale.service.js';

/**
 * After-sale routes: the shopper's `requireRole('customer') → own order → request`, and the store's
 * `requireRole('clerk') → store scope → approve | refuse`, each answering the order as its owner sees it.
 */
export function aftersaleRoutes(aftersale: AfterSaleService): Router {
  const r = new Router();
  const clerk = requireRole('clerk');

  r.post('/orders/:id/refund-request', requireRole('customer'), async (ctx) => {
    const id = parse(OrderIdParam, ctx.params.id, 'order id');
    const { reason } = parse(RefundRequestBody, ctx.request.body ?? {}, 'body');
    ctx.body = { order: toOrderDto(await aftersale.request(ctx.state.user!.id, id, reason)) };
  });

  r.get('/clerk/refunds', clerk, async (ctx) => {
    const q = parse(ClerkRefundsQuery, ctx.query, 'query');
    ctx.body = await aftersale.pending(ctx.state.user!, q);
  });

  r.post('/clerk/orders/:id/refund/approve', clerk, async (ctx) => {
    const id = parse(OrderIdParam, ctx.params.id, 'order id');
    ctx.body = { order: toOrderDto(await aftersale.approve(ctx.state.user!, id)) };
  });

  r.post('/clerk/orders/:id/refund/refuse', clerk, async (ctx) => {
    const id = parse(OrderIdParam, ctx.params.id, 'order id');
    const { reason } = parse(RefuseRefundBody, ctx.request.body ?? {}, 'body');
    ctx.body = { order: toOrderDto(await aftersale.refuse(ctx.state.user!, id, reason)) };
  });

  return r;
}
