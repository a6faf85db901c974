import Router from '@koa/router';
import type { Connection } from 'mongoose';
import { pingDb } from '../../common/db.js';
import { AppError } from '../../common/errors.js';

/** Liveness plus database reachability: 200 when the database answers a ping, 503 when it does not. */
export function healthRoutes(conn: Connection): Router {
    const r = new Router();
    const started = Date.now();
    r.get('/healthz', async (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      if (!(await pingDb(conn))) throw new AppError(503, 'DB_UNAVAILABLE', 'The database does not answer');
      ctx.body = { status: 'ok', db: 'up', uptimeS: Math.round((Date.now() - started) / 1000) };
    });
    return r;
}
