import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { pino } from 'pino';
import type { MockConfig } from './config.js';
import type { Host, HostParts } from './host.js';
import { hostModules } from './modules/index.js';

/**
 * The super-app host emulator: the platform's server APIs (same paths and payload shapes as the
 * real host) plus a /dev surface for demos and tests. Not a server of ours in production.
 */
export function createMockHost(config: MockConfig, opts: { now?: () => number } = {}): { app: Koa; host: Host } {
  const logger = pino({ name: 'mock-host', level: config.LOG_LEVEL });
  const host: Host = { config, logger, now: opts.now ?? Date.now, parts: {} as HostParts };
  for (const mod of hostModules) Object.assign(host.parts, mod.part?.(host));

  const app = new Koa();
  app.silent = true;
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const e = err as { status?: number; message?: string };
      ctx.status = e.status && e.status < 600 ? e.status : 500;
      // The host answers errors in its own style: errcode/errmsg (mini-program APIs).
      ctx.body = { errcode: -1, errmsg: e.message ?? 'system error' };
      if (ctx.status >= 500) logger.error({ err }, 'mock host error');
    }
  });
  app.use(bodyParser({ enableTypes: ['json', 'text'], jsonLimit: '1mb' }));
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok', service: 'mock-host' };
  });
  for (const mod of hostModules) {
    if (!mod.routes) continue;
    const r = mod.routes(host);
    router.use(r.routes(), r.allowedMethods());
  }
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { app, host };
}
