import Router from '@koa/router';
import type { LinliModule } from '../module.js';
import { requireInternalToken } from '../../common/auth.js';
import { createSweepService } from './sweep.service.js';

/** The reconciler, run by the `sweeper` cloud function every minute (safe on every instance at once). */
export const sweepModule: LinliModule = {
  name: 'sweep',
  services: (core) => ({ sweep: createSweepService(core) }),
  routes: (core) => {
    const r = new Router();
    r.post('/internal/sweep', requireInternalToken(core.config), async (ctx) => {
      ctx.body = await core.services.sweep.run();
    });
    return r;
  },
};
