import Router from '@koa/router';
import { ClerkAuditQuery, ClerkOrdersQuery, OrderIdParam, RedeemVoucherBody } from '@linli/contracts';
import type { VoucherService } from '../voucher/voucher.service.js';
import type { ClerkService } from './clerk.service.js';
import { requireRole } from '../../common/auth.js';
import { parse } from '../../common/validate.js';

/**
 * The clerk workspace. Every route is `requireRole('clerk') → store scope → action`; the store scope
 * comes from the token's storeIds. (Clerk invites and member scans live in their own modules.)
 */
export function clerkRoutes(clerks: ClerkService, vouchers: VoucherService): Router {
  const r = new Router();
  const clerk = requireRole('clerk');

  r.post('/clerk/vouchers/redeem', clerk, async (ctx) => {
    const { code } = parse(RedeemVoucherBody, ctx.request.body ?? {}, 'body');
    ctx.body = await vouchers.redeem(ctx.state.user!, code);
  });

  r.get('/clerk/orders', clerk, async (ctx) => {
    const q = parse(ClerkOrdersQuery, ctx.query, 'query');
    ctx.body = await clerks.queue(ctx.state.user!, q);
  });

  r.post('/clerk/orders/:id/ready', clerk, async (ctx) => {
    const id = parse(OrderIdParam, ctx.params.id, 'order id');
    ctx.body = await clerks.markReady(ctx.state.user!, id);
  });

  r.get('/clerk/audit', clerk, async (ctx) => {
    const q = parse(ClerkAuditQuery, ctx.query, 'query');
    ctx.body = await clerks.audit(ctx.state.user!, q);
  });

  return r;
}
