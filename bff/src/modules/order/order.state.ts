import { OrderStatusEnum } from '@linli/contracts';
import { ConflictError } from '../../common/errors.js';

/** Every status an order can be in (DESIGN.md, "State machines"); one list, shared with the API contract. */
export const ORDER_STATUSES = OrderStatusEnum.options;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * The order state machine as data: the only moves there are. `assertTransition` checks a move, and
 * the database update uses `{_id, status: from}` as its compare-and-set filter, so two racing moves
 * from the same state cannot both win.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_payment: ['paid', 'cancelled'],
  // A normal order goes straight to pickup; a group order waits for its group.
  paid: ['awaiting_pickup', 'grouping', 'refunding'],
  grouping: ['awaiting_pickup', 'refunding'],
  awaiting_pickup: ['picked_up', 'refunding'],
  picked_up: [],
  // A payment that arrives for a cancelled order is refunded.
  cancelled: ['refunding'],
  refunding: ['refunded'],
  refunded: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** Throws 409 ORDER_STATE unless `from → to` is a move of the machine. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    throw new ConflictError('ORDER_STATE', `An order cannot move from ${from} to ${to}`, { from, to });
  }
}

/** Statuses from which `to` can be reached in one move (the CAS filter for "any valid from"). */
export function sourcesOf(to: OrderStatus): OrderStatus[] {
  return ORDER_STATUSES.filter((s) => ORDER_TRANSITIONS[s].includes(to));
}
