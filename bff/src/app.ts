import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import compress from 'koa-compress';
import type { Config } from './config.js';
import type { Core, Deps } from './core.js';
import { authenticate } from './common/auth.js';
import { errorHandler, requestContext } from './common/http.js';
import { ensureIndexes } from './common/model.js';
import { compose } from './composition.js';
import { aftersaleRoutes } from './modules/aftersale/aftersale.routes.js';
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
import { orderRoutes } from './modules/order/order.routes.js';
import { paymentRoutes } from './modules/payment/payment.routes.js';
import { shareRoutes } from './modules/share/share.routes.js';
import { storeRoutes } from './modules/store/store.routes.js';
import { promotionsRoutes } from './modules/promotions/promotions.routes.js';
import { sweepRoutes } from './modules/sweep/sweep.routes.js';

/**
 * Builds the BFF from its config and dependencies: composes every module's services (composition.ts),
 * creates their indexes, and mounts each module's routes under /api/v1 with the services it needs.
 * It does not listen; `server.ts` does.
 */
export async function createApp(config: Config, deps: Deps): Promise<{ app: Koa; core: Core }> {
  const { m, events, services: s } = compose(config, deps.conn, deps.clock, deps.logger, deps.overrides);
  await ensureIndexes(m);
  const core: Core = { config, conn: deps.conn, m, clock: deps.clock, logger: deps.logger, events, services: s };

  const app = new Koa();
  app.proxy = true;
  app.silent = true;
  app.use(requestContext(deps.logger));
  // gzip/br/deflate when the client asks (identity otherwise); bodies under 1 KB are sent as they are.
  app.use(compress({ threshold: 1024 }));
  app.use(errorHandler);
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '64kb', encoding: 'utf-8' }));
  app.use(authenticate(config, deps.clock));

  const api = new Router({ prefix: '/api/v1' });
  const groupView = {
    models: m,
    clock: deps.clock,
    product: async (id: string) => (await m.Product.findById(id, { title: 1, image: 1, unit: 1 }).lean()) as { _id: string; title: string; image: string; unit: string } | null,
    profiles: (ids: string[]) => s.identity.profiles(ids),
    shareOf: (viewerId: string, groupId: string) => s.share.getOrCreate(viewerId, 'group', groupId, false),
    store: (storeId: string) => s.store.find(storeId),
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
    shareRoutes(s.share),
    assetRoutes(config.PRODUCT_IMAGES_DIR, deps.logger),
    aftersaleRoutes(s.aftersale),
    checkoutRoutes(s.checkout),
    promotionsRoutes(s.promotions),
  ];
  for (const r of routers) api.use(r.routes(), r.allowedMethods());
  app.use(api.routes());
  app.use(api.allowedMethods());
  return { app, core };
}
