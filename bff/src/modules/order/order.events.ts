import { DomainEvent } from '../../common/events.js';
import type { OrderDoc } from './order.types.js';

/** The host's payment was applied: the order left `pending_payment` (to its fulfilment, or to `grouping`). */
export class OrderPaid extends DomainEvent {
  readonly type = 'OrderPaid';
  constructor(readonly order: OrderDoc) {
    super();
  }
}

/** The order entered `awaiting_pickup`: it needs its pickup voucher. */
export class OrderAwaitingPickup extends DomainEvent {
  readonly type = 'OrderAwaitingPickup';
  constructor(readonly order: OrderDoc) {
    super();
  }
}

/** An unpaid order was cancelled (by its customer or the reconciler); its stock is already back. */
export class OrderCancelled extends DomainEvent {
  readonly type = 'OrderCancelled';
  constructor(readonly order: OrderDoc) {
    super();
  }
}

/** The host confirmed an order's refund; its stock is already back. */
export class OrderRefunded extends DomainEvent {
  readonly type = 'OrderRefunded';
  constructor(readonly order: OrderDoc) {
    super();
  }
}

/** The customer collected the order (its voucher was redeemed): promotions credit its points. */
export class OrderPickedUp extends DomainEvent {
  readonly type = 'OrderPickedUp';
  constructor(readonly order: OrderDoc) {
    super();
  }
}
