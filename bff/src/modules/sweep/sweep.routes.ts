import Router from '@koa/router';
import type { Config } from '../../config.js';
import { requireInternalToken } from '../../common/auth.js';
import type { SweepService } from './sweep.service.js';

/** The reconciler, run by the `sweeper` cloud function every minute (safe on every instance at once). */
export function sweepRoutes(config: Config, sweep: SweepService): Router {
  const r = new Router();
  r.post('/internal/sweep', requireInternalToken(config), async (ctx) => {
    ctx.body = await sweep.run();
  });
  return r;
}
