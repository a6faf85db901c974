import Router from '@koa/router';
import { AddressBody, AddressId, AssignCourierBody, ClerkDeliveriesQuery, ConfirmDeliveryBody, DeliveryOptionsQuery, OrderIdParam, StoreId } from '@linli/contracts';
import { requireRole } from '../../common/auth.js';
import { parse } from '../../common/validate.js';
import { toOrderDto } from '../order/order.dto.js';
import { toAddressDto, type AddressService } from './address.service.js';
import type { DeliveryDesk } from './delivery.desk.js';
import type { DeliveryService } from './delivery.service.js';

/**
 * Delivery: the shopper's address book and the store's delivery options (customer side), the
 * store's delivery queue, couriers, sending out and confirming with the code (clerk side).
 */
export function deliveryRoutes(addresses: AddressService, delivery: DeliveryService, desk: DeliveryDesk): Router {
  const r = new Router();
  const customer = requireRole('customer');
  const clerk = requireRole('clerk');

  r.get('/addresses', customer, async (ctx) => {
    ctx.body = { addresses: (await addresses.list(ctx.state.user!.id)).map(toAddressDto) };
  });
  r.post('/addresses', customer, async (ctx) => {
    const body = parse(AddressBody, ctx.request.body, 'address');
    ctx.status = 201;
    ctx.body = { address: toAddressDto(await addresses.add(ctx.state.user!.id, body)) };
  });
  r.put('/addresses/:id', customer, async (ctx) => {
    const id = parse(AddressId, ctx.params.id, 'address id');
    const body = parse(AddressBody, ctx.request.body, 'address');
    ctx.body = { address: toAddressDto(await addresses.replace(ctx.state.user!.id, id, body)) };
  });
  r.delete('/addresses/:id', customer, async (ctx) => {
    const id = parse(AddressId, ctx.params.id, 'address id');
    await addresses.remove(ctx.state.user!.id, id);
    ctx.status = 204;
  });

  // Anyone may ask about a point; an address of the book needs its owner.
  r.get('/delivery/options', async (ctx) => {
    const q = parse(DeliveryOptionsQuery, ctx.query, 'query');
    if (q.addressId) await customer(ctx, async () => {});
    ctx.body = { options: await delivery.options(q.storeId, { userId: ctx.state.user?.id, addressId: q.addressId, lat: q.lat, lng: q.lng }) };
  });

  r.get('/clerk/deliveries', clerk, async (ctx) => {
    ctx.body = await desk.queue(ctx.state.user!, parse(ClerkDeliveriesQuery, ctx.query, 'query'));
  });
  r.get('/clerk/couriers', clerk, async (ctx) => {
    const storeId = ctx.query.storeId === undefined ? undefined : parse(StoreId, ctx.query.storeId, 'storeId');
    ctx.body = await desk.couriers(ctx.state.user!, storeId);
  });
  r.post('/clerk/deliveries/:id/assign', clerk, async (ctx) => {
    const id = parse(OrderIdParam, ctx.params.id, 'order id');
    const { courierId } = parse(AssignCourierBody, ctx.request.body ?? {}, 'body');
    ctx.body = { order: toOrderDto(await desk.assign(ctx.state.user!, id, courierId)) };
  });
  r.post('/clerk/deliveries/:id/out', clerk, async (ctx) => {
    const id = parse(OrderIdParam, ctx.params.id, 'order id');
    ctx.body = { order: toOrderDto(await desk.sendOut(ctx.state.user!, id)) };
  });
  r.post('/clerk/deliveries/:id/confirm', clerk, async (ctx) => {
    const id = parse(OrderIdParam, ctx.params.id, 'order id');
    const { code } = parse(ConfirmDeliveryBody, ctx.request.body ?? {}, 'body');
    ctx.body = { order: toOrderDto(await desk.confirm(ctx.state.user!, id, code)) };
  });
  r.get('/clerk/deliveries/:id/audit', clerk, async (ctx) => {
    const id = parse(OrderIdParam, ctx.params.id, 'order id');
    ctx.body = { attempts: await desk.auditOf(ctx.state.user!, id) };
  });
  return r;
}
