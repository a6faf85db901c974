import Router from '@koa/router';
import { CreateProductBody, InventoryPatchBody, ProductDetailQuery, ProductId, ProductsQuery, StoreId } from '@linli/contracts';
import { z } from 'zod';
import type { Core } from '../../core.js';
import { requireRole } from '../../common/auth.js';
import { parse } from '../../common/validate.js';
import { sendJsonWithEtag } from './http-cache.js';

const InventoryParams = z.object({ storeId: StoreId, productId: ProductId }).strict();
const ProductParams = z.object({ id: ProductId }).strict();

export function catalogRoutes(core: Core): Router {
  const r = new Router();

  r.get('/products', async (ctx) => {
    const q = parse(ProductsQuery, ctx.query, 'query');
    const view = await core.services.catalog.view();
    await view.store(q.storeId);
    const page = await view.page(q.storeId, q);
    sendJsonWithEtag(ctx, { storeId: q.storeId, ...page });
  });

  r.get('/products/:id', async (ctx) => {
    const { id } = parse(ProductParams, ctx.params, 'path');
    const { storeId } = parse(ProductDetailQuery, ctx.query, 'query');
    const view = await core.services.catalog.view();
    await view.store(storeId);
    const [product, deals] = await Promise.all([view.product(storeId, id), view.deals(storeId, id)]);
    sendJsonWithEtag(ctx, { product, storeId, deals });
  });

  r.get('/categories', async (ctx) => {
    const view = await core.services.catalog.view();
    sendJsonWithEtag(ctx, { categories: await view.categories() });
  });

  r.patch('/admin/inventory/:storeId/:productId', requireRole('admin'), async (ctx) => {
    const { storeId, productId } = parse(InventoryParams, ctx.params, 'path');
    const body = parse(InventoryPatchBody, ctx.request.body);
    ctx.body = { inventory: await core.services.catalog.patchInventory(storeId, productId, body) };
  });

  r.post('/admin/products', requireRole('admin'), async (ctx) => {
    const body = parse(CreateProductBody, ctx.request.body);
    const { seq: _seq, ...product } = await core.services.catalog.createProduct(body);
    ctx.status = 201;
    ctx.body = { product };
  });

  return r;
}
