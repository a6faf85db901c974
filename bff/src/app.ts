import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import compress from 'koa-compress';
import type { Config } from './config.js';
import type { Core, Deps, Services } from './core.js';
import { authenticate } from './common/auth.js';
import { errorHandler, requestContext } from './common/http.js';
import { bindModels, ensureIndexes } from './models.js';
import { modules } from './modules/index.js';

/**
 * Builds the BFF from its config and dependencies: binds the models to the given connection,
 * creates their indexes, wires every module's services and mounts its routes under /api/v1.
 * It does not listen; `server.ts` does.
 */
export async function createApp(config: Config, deps: Deps): Promise<{ app: Koa; core: Core }> {
  const m = bindModels(deps.conn);
  await ensureIndexes(m);
  const core: Core = {
    config,
    conn: deps.conn,
    m,
    clock: deps.clock,
    logger: deps.logger,
    services: {} as Services,
  };
  for (const mod of modules) Object.assign(core.services, mod.services?.(core));
  Object.assign(core.services, deps.overrides);

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
  for (const mod of modules) {
    if (!mod.routes) continue;
    const r = mod.routes(core);
    api.use(r.routes(), r.allowedMethods());
  }
  app.use(api.routes());
  app.use(api.allowedMethods());
  return { app, core };
}
