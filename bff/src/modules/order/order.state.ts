import { OrderStatusEnum, type FulfilmentType } from '@linli/contracts';
import { ConflictError } from '../../common/errors.js';

/** Every status an order can be in (DESIGN.md, "State machines"); one list, shared with the API contract. */
export const ORDER_STATUSES = OrderStatusEnum.options;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

type Machine = Partial<Record<OrderStatus, readonly OrderStatus[]>>;

/**
 * The moves every order has, whatever its fulfilment: payment, cancellation, refunds. A refund the
 * store refuses moves `refund_requested` back to where the order was (the guard in `assertTransition`
 * checks it goes back to exactly that state).
 */
const COMMON: Machine = {
  pending_payment: ['paid', 'cancelled'],
  // A payment that arrives for a cancelled order is refunded.
  cancelled: ['refunding'],
  refund_requested: ['refunding', 'paid', 'grouping', 'awaiting_pickup', 'preparing'],
  refunding: ['refunded'],
  refunded: [],
};

/** Collected in store: a normal order goes to pickup when paid, a group order waits for its group. */
const PICKUP: Machine = {
  paid: ['awaiting_pickup', 'grouping', 'refunding'],
  grouping: ['awaiting_pickup', 'refunding'],
  awaiting_pickup: ['picked_up', 'refund_requested', 'refunding'],
  picked_up: [],
};

/** Delivered from the store: prepared, handed to a courier, delivered. */
const DELIVERY: Machine = {
  paid: ['preparing', 'grouping', 'refunding'],
  grouping: ['preparing', 'refunding'],
  preparing: ['delivering', 'refund_requested', 'refunding'],
  delivering: ['delivered', 'refunding'],
  delivered: [],
};

function compose(part: Machine): Readonly<Record<OrderStatus, readonly OrderStatus[]>> {
  const out = {} as Record<OrderStatus, readonly OrderStatus[]>;
  for (const s of ORDER_STATUSES) out[s] = part[s] ?? COMMON[s] ?? [];
  return out;
}

/**
 * The order state machine as data, one table per fulfilment type: the only moves there are.
 * `assertTransition` checks a move, and the database update uses `{_id, status: from}` as its
 * compare-and-set filter, so two racing moves from the same state cannot both win.
 */
export const ORDER_TRANSITIONS: Readonly<Record<FulfilmentType, Readonly<Record<OrderStatus, readonly OrderStatus[]>>>> = {
  pickup: compose(PICKUP),
  delivery: compose(DELIVERY),
};

/** Where a paid order goes next on its own (a group order goes to `grouping` instead). */
export const FULFILMENT_START: Readonly<Record<FulfilmentType, OrderStatus>> = { pickup: 'awaiting_pickup', delivery: 'preparing' };

/** Statuses in which an order is over: nothing more happens to it. */
export const FINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['picked_up', 'delivered', 'refunded']);

export function canTransition(from: OrderStatus, to: OrderStatus, fulfilment: FulfilmentType = 'pickup'): boolean {
  return ORDER_TRANSITIONS[fulfilment][from].includes(to);
}

/**
 * Throws 409 ORDER_STATE unless `from → to` is a move of the order's machine. Guard: a refused refund
 * goes back only to `returnTo`, the state the order was in when the refund was asked for.
 */
export function assertTransition(from: OrderStatus, to: OrderStatus, fulfilment: FulfilmentType = 'pickup', returnTo?: OrderStatus | null): void {
  if (!canTransition(from, to, fulfilment)) {
    throw new ConflictError('ORDER_STATE', `An order cannot move from ${from} to ${to}`, { from, to });
  }
  if (from === 'refund_requested' && to !== 'refunding' && to !== returnTo) {
    throw new ConflictError('ORDER_STATE', `A refused refund goes back to ${returnTo ?? 'where the order was'}, not ${to}`, { from, to });
  }
}

/** Checks a path of moves made by one write (e.g. pending_payment → paid → awaiting_pickup). */
export function assertPath(path: readonly OrderStatus[], fulfilment: FulfilmentType = 'pickup', returnTo?: OrderStatus | null): void {
  for (let i = 1; i < path.length; i++) assertTransition(path[i - 1], path[i], fulfilment, returnTo);
}
