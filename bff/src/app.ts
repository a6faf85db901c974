import { createHmac } from 'node:crypto';
import Router from '@koa/router';
import Koa from 'koa';
import compress from 'koa-compress';
import type { Config } from './config.js';
import type { Core, Deps } from './core.js';
import { authenticate } from './common/auth.js';
import { parseJsonBody } from './common/body.js';
import { requestDeadline } from './common/deadline.js';
import { errorHandler, requestContext } from './common/http.js';
import { ensureIndexes } from './common/model.js';
import { compose } from './composition.js';
import { aftersaleRoutes } from './modules/aftersale/aftersale.routes.js';
import { backofficeRoutes } from './modules/backoffice/backoffice.routes.js';
import { assetRoutes } from './modules/assets/assets.routes.js';
import { catalogRoutes } from './modules/catalog/catalog.routes.js';
import { checkoutRoutes } from './modules/checkout/checkout.routes.js';
import { clerkRoutes } from './modules/clerk/clerk.routes.js';
import { devRoutes } from './modules/dev/index.js';
import { groupbuyRoutes } from './modules/groupbuy/groupbuy.routes.js';
import { healthRoutes } from './modules/health/index.js';
import { homeRoutes } from './modules/home/home.routes.js';
import { identityRoutes } from './modules/identity/identity.routes.js';
import { memberRoutes } from './modules/member/member.routes.js';
import { messagesRoutes } from './modules/messages/messages.routes.js';
import { backfillUnpaidKeys } from './modules/order/order.model.js';
import { backfillFirstTouches } from './modules/share/share.model.js';
import { orderRoutes } from './modules/order/order.routes.js';
import { paymentRoutes } from './modules/payment/payment.routes.js';
import { shareRoutes } from './modules/share/share.routes.js';
import { dealPageRoutes } from './modules/groupbuy/deal-page.routes.js';
import { storeRoutes } from './modules/store/store.routes.js';
import { promotionsRoutes } from './modules/promotions/promotions.routes.js';
import { sweepRoutes } from './modules/sweep/sweep.routes.js';
import { deliveryRoutes } from './modules/delivery/delivery.routes.js';

/**
 * Builds the BFF from its config and dependencies: composes every module's services (composition.ts),
 * creates their indexes, and mounts each module's routes under /api/v1 with the services it needs.
 * It does not listen; `server.ts` does.
 */
export async function createApp(config: Config, deps: Deps): Promise<{ app: Koa; core: Core }> {
  const { m, events, services: s } = compose(config, deps.conn, deps.clock, deps.logger, deps.overrides);
  await backfillUnpaidKeys(m.Order);
  await backfillFirstTouches(m);
  await ensureIndexes(m);
  const core: Core = { config, conn: deps.conn, m, clock: deps.clock, logger: deps.logger, events, services: s };

  const app = new Koa();
  // The client address (per-IP limits): from the socket, or from the entries trusted proxies appended.
  app.proxy = config.TRUSTED_PROXIES > 0;
  app.maxIpsCount = config.TRUSTED_PROXIES;
  app.silent = true;
  app.use(requestContext(deps.logger));
  // gzip/br/deflate when the client asks (identity otherwise); bodies under 1 KB are sent as they are.
  app.use(compress({ threshold: 1024 }));
  app.use(errorHandler);
  app.use(requestDeadline(config.REQUEST_DEADLINE_MS));
  app.use(parseJsonBody());
  app.use(authenticate(config, deps.clock, (userId, ver) => s.access.check(userId, ver)));
  // Back office (issue 15): every clerk and admin mutation is recorded with its outcome.
  app.use(s.backoffice.audit.trail(async (id) => (await m.Order.findById(id, { storeId: 1 }).lean())?.storeId ?? null));

  const api = new Router({ prefix: '/api/v1' });
  const groupView = {
    models: m,
    clock: deps.clock,
    product: async (id: string) => (await m.Product.findById(id, { title: 1, image: 1, unit: 1 }).lean()) as { _id: string; title: string; image: string; unit: string } | null,
    profiles: (ids: string[]) => s.identity.profiles(ids),
    shareOf: (viewerId: string, groupId: string) => s.share.getOrCreate(viewerId, 'group', groupId, false),
    store: (storeId: string) => s.store.find(storeId),
    // Opaque seat ids (issue 18, hole 3): a key of their own, derived from the signing secret.
    idKey: createHmac('sha256', config.JWT_SECRET).update('linli seat ids').digest('hex'),
  };
  const routers = [
    healthRoutes(deps.conn),
    storeRoutes(s.store),
    orderRoutes(s.order, s.voucher, (storeId) => s.store.find(storeId)),
    paymentRoutes(s.payment),
    sweepRoutes(config, s.sweep),
    catalogRoutes(s.catalog),
    homeRoutes(s.home),
    identityRoutes(s.identity, s.invites),
    memberRoutes(s.member),
    devRoutes(config, deps.clock),
    clerkRoutes(s.clerk, s.voucher),
    messagesRoutes(config, s.messages),
    groupbuyRoutes(s.groupbuy, groupView),
    shareRoutes(s.share, s.posters, config.SHARE_LINK_BASE),
    assetRoutes(config.PRODUCT_IMAGES_DIR, deps.logger),
    aftersaleRoutes(s.aftersale),
    // sharing (issue 13): the deal page
    dealPageRoutes({
      clock: deps.clock,
      deal: (id) => s.groupbuy.deals.load(id),
      product: async (storeId, productId) => (await s.catalog.view()).product(storeId, productId),
      store: (id) => s.store.find(id),
      openGroups: (dealId, storeId) => s.groupbuy.queries.openGroups(dealId, storeId, 10),
      share: (viewerId, dealId, storeId) => s.share.payload(viewerId, 'deal', dealId, storeId),
    }),
    checkoutRoutes(s.checkout),
    promotionsRoutes(s.promotions),
    deliveryRoutes(s.addresses, s.delivery, s.deliveryDesk),
    backofficeRoutes(s.backoffice.desk, s.backoffice.console, s.backoffice.audit),
  ];
  for (const r of routers) api.use(r.routes(), r.allowedMethods());
  app.use(api.routes());
  app.use(api.allowedMethods());
  return { app, core };
}
