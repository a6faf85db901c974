import Router from '@koa/router';
import { ClaimCentreQuery, CouponTemplateId, CreateCouponBody, CreateOfferBody, MyCouponsQuery, OfferId, StoreId } from '@linli/contracts';
import { z } from 'zod';
import { requireRole } from '../../common/auth.js';
import { parse } from '../../common/validate.js';
import type { CouponService } from './coupon.service.js';
import type { OfferService } from './offer.service.js';
import type { PointsService } from './points.service.js';

/** Claim centre, my coupons, offers at a store, and the admin routes that create and stop them (audited). */
export function promotionsRoutes(p: { coupons: CouponService; offers: OfferService; points: PointsService }): Router {
  const r = new Router();

  r.get('/coupons/centre', async (ctx) => {
    const q = parse(ClaimCentreQuery, ctx.query, 'query');
    ctx.body = { templates: await p.coupons.centre(ctx.state.user?.id, q.storeId) };
  });

  r.post('/coupons/:templateId/claim', requireRole('customer'), async (ctx) => {
    const templateId = parse(CouponTemplateId, ctx.params.templateId, 'coupon template id');
    ctx.status = 201;
    ctx.body = { coupon: await p.coupons.claim(ctx.state.user!.id, templateId) };
  });

  r.get('/coupons/mine', requireRole('customer'), async (ctx) => {
    const q = parse(MyCouponsQuery, ctx.query, 'query');
    ctx.body = { coupons: await p.coupons.mine(ctx.state.user!.id, q.status) };
  });

  r.get('/offers', async (ctx) => {
    const q = parse(z.object({ storeId: StoreId }).strict(), ctx.query, 'query');
    ctx.body = { offers: await p.offers.activeAt(q.storeId) };
  });

  r.get('/points/balance', requireRole('customer'), async (ctx) => {
    ctx.body = { balance: await p.points.peek(ctx.state.user!.id) };
  });

  r.get('/admin/coupons', requireRole('admin'), async (ctx) => {
    ctx.body = { templates: await p.coupons.listTemplates() };
  });

  r.post('/admin/coupons', requireRole('admin'), async (ctx) => {
    ctx.status = 201;
    ctx.body = { template: await p.coupons.createTemplate(parse(CreateCouponBody, ctx.request.body, 'coupon'), ctx.state.user!.id) };
  });

  r.post('/admin/coupons/:templateId/stop', requireRole('admin'), async (ctx) => {
    const id = parse(CouponTemplateId, ctx.params.templateId, 'coupon template id');
    ctx.body = { template: await p.coupons.stopTemplate(id, ctx.state.user!.id) };
  });

  r.get('/admin/offers', requireRole('admin'), async (ctx) => {
    ctx.body = { offers: await p.offers.list() };
  });

  r.post('/admin/offers', requireRole('admin'), async (ctx) => {
    ctx.status = 201;
    ctx.body = { offer: await p.offers.create(parse(CreateOfferBody, ctx.request.body, 'offer'), ctx.state.user!.id) };
  });

  r.post('/admin/offers/:offerId/stop', requireRole('admin'), async (ctx) => {
    const id = parse(OfferId, ctx.params.offerId, 'offer id');
    ctx.body = { offer: await p.offers.stop(id, ctx.state.user!.id) };
  });

  return r;
}
