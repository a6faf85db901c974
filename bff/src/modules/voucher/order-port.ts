import type { Collection } from 'mongoose';
import type { Core } from '../../core.js';
import { assertTransition, type OrderStatus } from '../order/order.state.js';

/** The fields of an order that vouchers and the clerk workspace read (the order module owns the rest). */
export interface OrderRow {
  _id: string;
  userId: string;
  storeId: string;
  items: { productId: string; title: string; image?: string; qty: number; unitPriceCents: number }[];
  amountCents: number;
  status: OrderStatus;
  history?: { from: string; to: string; at: Date; actor: { type: string; id: string }; reason: string }[];
  readyAt?: Date | null;
  pickedUpAt?: Date | null;
  createdAt: Date;
}

export interface OrderActor {
  type: string;
  id: string;
}

type TransitionFn = (
  orderId: string,
  from: OrderStatus,
  to: OrderStatus,
  actor: OrderActor,
  reason: string,
  extra?: { set?: Record<string, unknown>; push?: Record<string, unknown> },
) => Promise<boolean>;

/**
 * The one place this module touches orders: reads go to the `orders` collection, moves go through
 * the order service's compare-and-set transition (with history), so the state machine stays the
 * order module's.
 */
export function orderPort(core: Core) {
  const orders = (): Collection<OrderRow> => core.conn.collection<OrderRow>('orders');

  /** Same CAS as the order service, used only while that service is not registered. */
  const localTransition: TransitionFn = async (orderId, from, to, actor, reason, extra) => {
    assertTransition(from, to);
    const at = core.clock.now();
    const r = await orders().updateOne(
      { _id: orderId, status: from },
      {
        $set: { status: to, updatedAt: at, ...extra?.set },
        $push: { history: { from, to, at, actor, reason }, ...extra?.push } as never,
      },
    );
    return r.modifiedCount === 1;
  };

  return {
    collection: orders,
    findById: (id: string) => orders().findOne({ _id: id }) as Promise<OrderRow | null>,
    transition: ((...args) => {
      const svc = (core.services as unknown as { order?: { transition?: TransitionFn } }).order;
      return (svc?.transition ?? localTransition)(...args);
    }) as TransitionFn,
  };
}
export type OrderPort = ReturnType<typeof orderPort>;
