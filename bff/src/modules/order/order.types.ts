import type { OrderStatus } from './order.state.js';
import type { OutboxEntry } from '../../common/outbox.js';

/** Who made a move of the order. */
export interface Actor {
  type: 'user' | 'clerk' | 'system' | 'host';
  id: string;
}

export interface OrderItem {
  productId: string;
  title: string;
  image: string;
  qty: number;
  unitPriceCents: number;
}

export interface OrderHistoryEntry {
  from: OrderStatus | null;
  to: OrderStatus;
  at: Date;
  actor: Actor;
  reason: string;
}

/** An order as stored (lean). */
export interface OrderDoc {
  _id: string;
  userId: string;
  storeId: string;
  kind: 'normal' | 'group';
  groupId: string | null;
  dealId: string | null;
  shareId: string | null;
  items: OrderItem[];
  amountCents: number;
  status: OrderStatus;
  history: OrderHistoryEntry[];
  payment: { prepayId: string | null; transactionId: string | null; paidAt: Date | null; amountCents: number | null };
  refund: {
    outRefundNo: string | null;
    status: 'requested' | 'succeeded' | 'failed' | null;
    requestedAt: Date | null;
    completedAt: Date | null;
    reason: string | null;
  };
  payBy: Date;
  readyAt: Date | null;
  pickedUpAt: Date | null;
  stockReleasedAt: Date | null;
  voucherEnsuredAt: Date | null;
  outbox: OutboxEntry[];
  createdAt: Date;
  updatedAt: Date;
}

/** Extra fields to write in the same update as a move (`$set`, `$push` besides the history entry). */
export interface TransitionExtra {
  set?: Record<string, unknown>;
  push?: Record<string, unknown>;
}
