import Router from '@koa/router';
import { GroupId, PreviewJoinGroupBody, PreviewOpenGroupBody, PreviewOrderBody } from '@linli/contracts';
import { parse } from '../../common/validate.js';
import type { CheckoutService } from './checkout.service.js';

/**
 * Previews: what `POST /orders`, `POST /groups` and `POST /groups/:id/join` would charge, priced by
 * the same quote. Open to guests (shelf prices); a signed-in customer gets their member prices.
 */
export function checkoutRoutes(checkout: CheckoutService): Router {
  const r = new Router();

  r.post('/orders/preview', async (ctx) => {
    const body = parse(PreviewOrderBody, ctx.request.body);
    const delivery = body.fulfilment?.type === 'delivery' ? body.fulfilment : undefined;
    ctx.body = { preview: await checkout.previewOrder(ctx.state.user?.id, { storeId: body.storeId, items: body.items, delivery, coupon: body.coupon, usePoints: body.usePoints }) };
  });

  r.post('/groups/preview', async (ctx) => {
    const body = parse(PreviewOpenGroupBody, ctx.request.body, 'group');
    ctx.body = { preview: await checkout.previewOpen(ctx.state.user?.id, body) };
  });

  r.post('/groups/:id/join/preview', async (ctx) => {
    const id = parse(GroupId, ctx.params.id, 'group id');
    parse(PreviewJoinGroupBody, ctx.request.body ?? {}, 'join');
    ctx.body = { preview: await checkout.previewJoin(ctx.state.user?.id, id) };
  });

  return r;
}
