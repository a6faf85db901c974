import Router from '@koa/router';
import { CreateProductBody, InventoryPatchBody, ProductDetailQuery, ProductId, ProductsQuery, StoreId } from '@linli/contracts';
import { z } from 'zod';
import { requireRole } from '../../common/auth.js';
import { parse } from '../../common/validate.js';
import { CATALOG_SCOPE, inventoryScope, type CatalogService } from './catalog.service.js';
import { type Serialized, sendJsonWithEtag, sendSerialized, serialize } from './http-cache.js';

const MAX_PAGES = 2000;

const InventoryParams = z.object({ storeId: StoreId, productId: ProductId }).strict();
const ProductParams = z.object({ id: ProductId }).strict();

export function catalogRoutes(catalog: CatalogService): Router {
  const r = new Router();

  // Serialized pages by everything they depend on (query and versions), so an unchanged page is not
  // serialized and hashed again.
  const pages = new Map<string, Serialized>();
  r.get('/products', async (ctx) => {
    const q = parse(ProductsQuery, ctx.query, 'query');
    const view = await catalog.view();
    await view.store(q.storeId);
    const v = view.versions;
    const key = [q.storeId, q.category ?? '', q.q ?? '', q.cursor ?? '', q.limit, v.get(CATALOG_SCOPE), v.get(inventoryScope(q.storeId))].join('|');
    let s = pages.get(key);
    if (!s) {
      const page = await view.page(q.storeId, q);
      if (pages.size >= MAX_PAGES) pages.delete(pages.keys().next().value!);
      s = serialize({ storeId: q.storeId, ...page });
      pages.set(key, s);
    }
    sendSerialized(ctx, s);
  });

  r.get('/products/:id', async (ctx) => {
    const { id } = parse(ProductParams, ctx.params, 'path');
    const { storeId } = parse(ProductDetailQuery, ctx.query, 'query');
    const view = await catalog.view();
    await view.store(storeId);
    const [product, deals] = await Promise.all([view.product(storeId, id), view.deals(storeId, id)]);
    sendJsonWithEtag(ctx, { product, storeId, deals });
  });

  r.get('/categories', async (ctx) => {
    const view = await catalog.view();
    sendJsonWithEtag(ctx, { categories: await view.categories() });
  });

  r.patch('/admin/inventory/:storeId/:productId', requireRole('admin'), async (ctx) => {
    const { storeId, productId } = parse(InventoryParams, ctx.params, 'path');
    const body = parse(InventoryPatchBody, ctx.request.body);
    ctx.body = { inventory: await catalog.patchInventory(storeId, productId, body) };
  });

  r.post('/admin/products', requireRole('admin'), async (ctx) => {
    const body = parse(CreateProductBody, ctx.request.body);
    const { seq: _seq, ...product } = await catalog.createProduct(body);
    ctx.status = 201;
    ctx.body = { product };
  });

  return r;
}
