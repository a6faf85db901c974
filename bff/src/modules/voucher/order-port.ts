import type { Core } from '../../core.js';
import type { OrderDoc } from '../order/order.types.js';

/** The fields of an order that vouchers and the clerk workspace read (the order module owns them all). */
export type OrderRow = Pick<OrderDoc, '_id' | 'userId' | 'storeId' | 'items' | 'amountCents' | 'status' | 'history' | 'readyAt' | 'pickedUpAt' | 'createdAt'>;

/**
 * The one place the voucher and clerk modules touch orders: reads through the order model, moves
 * through the order service's transition (compare-and-set with history) and other writes through its
 * leased update, so the state machine and the order's write discipline stay the order module's.
 */
export function orderPort(core: Core) {
  return {
    findById: async (id: string) => (await core.m.Order.findById(id).lean()) as OrderRow | null,
    transition: (...args: Parameters<Core['services']['order']['transition']>) => core.services.order.transition(...args),
    /** Any other write to an order, under the order module's per-order lease. */
    update: (...args: Parameters<Core['services']['order']['update']>) => core.services.order.update(...args),
  };
}
export type OrderPort = ReturnType<typeof orderPort>;
