import Router from '@koa/router';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { requireInternalToken } from '../../common/auth.js';
import { OffsetClock, type Clock } from '../../common/clock.js';
import { AppError } from '../../common/errors.js';
import { parse } from '../../common/validate.js';

const AdvanceBody = z.object({ advanceMs: z.number().int().min(0).max(30 * 24 * 3600 * 1000) }).strict();

/**
 * Test clock for end-to-end tests of expiry: only when ALLOW_TEST_CLOCK=1 and the BFF runs on an
 * OffsetClock, and only with the internal token. Absent (404) otherwise.
 */
export function devRoutes(config: Config, anyClock: Clock): Router {
    const r = new Router();
    if (!config.ALLOW_TEST_CLOCK || !(anyClock instanceof OffsetClock)) return r;
    const clock = anyClock;
    r.get('/internal/clock', requireInternalToken(config), (ctx) => {
      ctx.body = { now: clock.now().toISOString(), offsetMs: clock.offset };
    });
    r.post('/internal/clock', requireInternalToken(config), (ctx) => {
      const { advanceMs } = parse(AdvanceBody, ctx.request.body);
      if (config.NODE_ENV === 'production') throw new AppError(404, 'ROUTE_NOT_FOUND', 'No such route');
      clock.advance(advanceMs);
      ctx.body = { now: clock.now().toISOString(), offsetMs: clock.offset };
    });
    // A request that takes as long as asked: lets the shutdown test prove in-flight requests finish.
    r.get('/internal/sleep', requireInternalToken(config), async (ctx) => {
      const { ms } = parse(z.object({ ms: z.coerce.number().int().min(0).max(30_000) }), ctx.query, 'query');
      await new Promise((resolve) => setTimeout(resolve, ms));
      ctx.body = { slept: ms };
    });
    return r;
}
