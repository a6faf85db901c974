import Router from '@koa/router';
import type { Logger } from '../../common/logger.js';
import { NotFoundError } from '../../common/errors.js';
import { PRODUCT_IMAGES_DIR, StaticFiles } from './static-files.js';

/** A year, the most HTTP caches honour: the name changes whenever the content does. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * `GET /static/products/:name`: a product picture by its content-hashed name, cacheable for good.
 * Unknown names (and anything that is not a plain hashed name, such as `../x`) answer 404 ASSET_NOT_FOUND.
 */
export function assetRoutes(dir: string | undefined, logger: Logger): Router {
  const products = StaticFiles.load(dir ?? PRODUCT_IMAGES_DIR, logger);
  const r = new Router();
  r.get('/static/products/:name', (ctx) => {
    const file = products.get(ctx.params.name);
    if (!file) throw new NotFoundError('Asset', 'ASSET_NOT_FOUND');
    ctx.set('Cache-Control', IMMUTABLE);
    ctx.set('ETag', file.etag);
    ctx.set('X-Content-Type-Options', 'nosniff');
    // An SVG opened on its own may not run script or load anything.
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = file.body;
    ctx.type = file.type;
  });
  return r;
}
