import Router from '@koa/router';
import type { Context } from 'koa';
import { CreateOrderBody, IdempotencyKey, ORDER_TAB_STATUSES, OrderIdParam, OrdersListQuery, type StoreDto } from '@linli/contracts';
import { requireRole, type AuthUser } from '../../common/auth.js';
import { ConflictError, NotFoundError } from '../../common/errors.js';
import { parse } from '../../common/validate.js';
import type { VoucherService } from '../voucher/voucher.service.js';
import { toOrderDto } from './order.dto.js';
import type { OrderService } from './order.service.js';
import type { OrderDoc } from './order.types.js';

/** The request's `Idempotency-Key` header, checked (400 when malformed); undefined when absent. */
export function idempotencyKeyOf(ctx: Pick<Context, 'get'>): string | undefined {
  const raw = ctx.get('idempotency-key');
  return raw ? parse(IdempotencyKey, raw, 'Idempotency-Key header') : undefined;
}

/** Customer routes: place, list, read, pay again and cancel one's own orders. */
export function orderRoutes(orders: OrderService, vouchers: VoucherService, storeOf: (storeId: string) => Promise<StoreDto | null> = async () => null): Router {
  const r = new Router();

  /** Loads the order if the caller owns it; someone else's order is a 404, like a missing one. */
  async function loadOwn(user: AuthUser, rawId: string): Promise<OrderDoc> {
    const id = parse(OrderIdParam, rawId, 'order id');
    const order = await orders.get(id);
    if (!order || order.userId !== user.id) throw new NotFoundError('Order', 'ORDER_NOT_FOUND');
    return order;
  }

  async function withVoucher(order: OrderDoc) {
    if (order.status !== 'awaiting_pickup') return toOrderDto(order, null, { deliveryCode: true });
    return toOrderDto(order, await vouchers.forOrder(order));
  }

  r.post('/orders', requireRole('customer'), async (ctx) => {
    const body = parse(CreateOrderBody, ctx.request.body);
    const idempotencyKey = idempotencyKeyOf(ctx);
    const delivery = body.fulfilment?.type === 'delivery' ? body.fulfilment : undefined;
    const { order, payment } = await orders.create({ userId: ctx.state.user!.id, storeId: body.storeId, items: body.items, idempotencyKey, delivery, coupon: body.coupon, usePoints: body.usePoints });
    ctx.status = 201;
    ctx.body = { order: toOrderDto(order), payment };
  });

  r.get('/orders', requireRole('customer'), async (ctx) => {
    const { tab, ...q } = parse(OrdersListQuery, ctx.query, 'query');
    const page = await orders.listForUser(ctx.state.user!.id, { ...q, statuses: tab ? [...ORDER_TAB_STATUSES[tab]] : undefined });
    ctx.body = { orders: page.orders.map((o) => toOrderDto(o)), nextCursor: page.nextCursor };
  });

  r.get('/orders/:id', requireRole('customer'), async (ctx) => {
    const order = await loadOwn(ctx.state.user!, ctx.params.id);
    const [dto, store] = await Promise.all([withVoucher(order), storeOf(order.storeId)]);
    ctx.body = { order: dto, store };
  });

  // Payment parameters again for an unpaid order (the customer left the wallet and comes back).
  r.post('/orders/:id/pay', requireRole('customer'), async (ctx) => {
    const order = await loadOwn(ctx.state.user!, ctx.params.id);
    ctx.body = { order: toOrderDto(order), payment: await orders.paymentFor(order) };
  });

  r.post('/orders/:id/cancel', requireRole('customer'), async (ctx) => {
    const user = ctx.state.user!;
    const order = await loadOwn(user, ctx.params.id);
    if (order.status !== 'pending_payment' || !(await orders.cancel(order._id, { type: 'user', id: user.id }, 'cancelled by customer'))) {
      const now = await orders.mustGet(order._id);
      throw new ConflictError('ORDER_STATE', `Only an unpaid order can be cancelled (this one is ${now.status})`, { status: now.status });
    }
    ctx.body = { order: toOrderDto(await orders.mustGet(order._id)) };
  });

  return r;
}
