import type { Core } from '../../core.js';
import type { OrderDoc } from './order.types.js';

/**
 * What the order and payment modules call on modules that may not be there yet (member, voucher,
 * groupbuy). Read at call time through `core.services`, always with optional chaining.
 */
export interface OrderPeers {
  member?: { isMember(userId: string): Promise<boolean> };
  voucher?: { ensureFor(orderId: string): Promise<unknown>; forOrder(order: OrderDoc): Promise<unknown> };
  groupbuy?: {
    onOrderPaid(order: OrderDoc): Promise<unknown>;
    onOrderCancelled(order: OrderDoc): Promise<unknown>;
    sweep?(now: Date): Promise<unknown>;
  };
}

export function peers(core: Core): OrderPeers {
  return core.services as unknown as OrderPeers;
}
