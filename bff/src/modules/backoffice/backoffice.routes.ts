import Router from '@koa/router';
import {
  AdminInventoryQuery,
  AuditQuery,
  BulkStockBody,
  ClerkSummaryQuery,
  DealId,
  OrderIdParam,
  OutOfStockBody,
  StatsQuery,
  StoreId,
  StorePatchBody,
  VoucherPreviewBody,
} from '@linli/contracts';
import { z } from 'zod';
import { requireRole } from '../../common/auth.js';
import { parse } from '../../common/validate.js';
import type { AdminConsole } from './admin-console.service.js';
import type { BackofficeAudit } from './audit.js';
import { storeOf, type ClerkDesk } from './clerk-desk.service.js';

/**
 * The back office: the clerk workspace's extra routes (`requireRole('clerk') → store scope → action`)
 * and the operator console (`requireRole('admin')`). Every mutation is audited by the app's audit
 * trail middleware (audit.ts).
 */
export function backofficeRoutes(desk: ClerkDesk, admin: AdminConsole, audit: BackofficeAudit): Router {
  const r = new Router();
  const clerk = requireRole('clerk', 'admin');
  const operator = requireRole('admin');

  r.get('/clerk/stores', clerk, async (ctx) => {
    ctx.body = await desk.stores(ctx.state.user!);
  });
  r.post('/clerk/vouchers/preview', clerk, async (ctx) => {
    const { code } = parse(VoucherPreviewBody, ctx.request.body ?? {}, 'body');
    ctx.body = await desk.previewVoucher(ctx.state.user!, code);
  });
  r.get('/clerk/summary', clerk, async (ctx) => {
    const q = parse(ClerkSummaryQuery, ctx.query, 'query');
    ctx.body = await desk.summary(ctx.state.user!, q.storeId);
  });
  r.post('/clerk/orders/:id/out-of-stock', clerk, async (ctx) => {
    const id = parse(OrderIdParam, ctx.params.id, 'order id');
    const { reason } = parse(OutOfStockBody, ctx.request.body ?? {}, 'body');
    const order = await desk.outOfStock(ctx.state.user!, id, reason);
    ctx.state.audit = { storeId: order.storeId, target: id };
    ctx.body = { order: { id: order._id, storeId: order.storeId, status: order.status } };
  });
  r.get('/clerk/actions', clerk, async (ctx) => {
    const q = parse(AuditQuery, ctx.query, 'query');
    ctx.body = { actions: await audit.list(storeOf(ctx.state.user!, q.storeId), q.limit) };
  });

  r.get('/admin/inventory', operator, async (ctx) => {
    const { storeId } = parse(AdminInventoryQuery, ctx.query, 'query');
    ctx.body = await admin.inventory(storeId);
  });
  r.post('/admin/inventory/:storeId/stock', operator, async (ctx) => {
    const storeId = parse(StoreId, ctx.params.storeId, 'store id');
    ctx.body = await admin.bulkStock(storeId, parse(BulkStockBody, ctx.request.body ?? {}, 'body'));
  });
  r.get('/admin/deals', operator, async (ctx) => {
    ctx.body = await admin.deals();
  });
  r.post('/admin/deals/:id/stop', operator, async (ctx) => {
    ctx.body = { deal: await admin.stopDeal(parse(DealId, ctx.params.id, 'deal id')) };
  });
  r.get('/admin/deals/:id/groups', operator, async (ctx) => {
    ctx.body = await admin.dealGroups(parse(DealId, ctx.params.id, 'deal id'));
  });
  r.get('/admin/stores', operator, async (ctx) => {
    ctx.body = await admin.stores();
  });
  r.patch('/admin/stores/:storeId', operator, async (ctx) => {
    const storeId = parse(StoreId, ctx.params.storeId, 'store id');
    ctx.body = { store: await admin.patchStore(storeId, parse(StorePatchBody, ctx.request.body ?? {}, 'body')) };
  });
  r.get('/admin/invites', operator, async (ctx) => {
    const { storeId } = parse(z.object({ storeId: StoreId.optional() }).strict(), ctx.query, 'query');
    ctx.body = await admin.invites(storeId);
  });
  r.get('/admin/stats/sales', operator, async (ctx) => {
    ctx.body = await admin.sales(parse(StatsQuery, ctx.query, 'query').days);
  });
  r.get('/admin/stats/groups', operator, async (ctx) => {
    ctx.body = await admin.groups();
  });
  r.get('/admin/audit', operator, async (ctx) => {
    const q = parse(AuditQuery, ctx.query, 'query');
    ctx.body = { actions: await audit.list(q.storeId, q.limit) };
  });
  return r;
}
