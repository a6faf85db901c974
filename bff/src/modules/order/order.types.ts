import type { FulfilmentType, PricingDto } from '@linli/contracts';
import type { OrderStatus } from './order.state.js';
import type { OutboxEntry } from '../../common/outbox.js';
import type { PricedLine } from '../pricing/pricing.js';

/** Who made a move of the order. */
export interface Actor {
  type: 'user' | 'clerk' | 'system' | 'host';
  id: string;
}

/** One line of an order, as the pricing module priced it. */
export type OrderItem = PricedLine;

export interface OrderHistoryEntry {
  from: OrderStatus | null;
  to: OrderStatus;
  at: Date;
  actor: Actor;
  reason: string;
}

/** How the order reaches the customer; delivery orders carry their address and slot here. */
export interface Fulfilment {
  type: FulfilmentType;
  [extra: string]: unknown;
}

export type Pricing = PricingDto;

/** An order as stored (lean). */
export interface OrderDoc {
  _id: string;
  userId: string;
  storeId: string;
  kind: 'normal' | 'group';
  fulfilment: Fulfilment;
  groupId: string | null;
  dealId: string | null;
  shareId: string | null;
  items: OrderItem[];
  pricing: Pricing;
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
    returnTo: OrderStatus | null;
    refusedAt?: Date | null;
    refusedReason?: string | null;
  };
  payBy: Date;
  readyAt: Date | null;
  pickedUpAt: Date | null;
  stockHeld: boolean;
  stockReleasedAt: Date | null;
  requestHash: string | null;
  limitKey: string;
  /**
   * While unpaid, one of the user's unpaid-order slots (`unpaid:<userId>:<n>`, unique); the order's
   * own id once it leaves pending_payment (the move that pays or cancels it sets it). Optional only
   * for documents written before it existed (the start-up backfill gives them their id).
   */
  unpaidKey?: string;
  outbox: OutboxEntry[];
  createdAt: Date;
  updatedAt: Date;
  /** A tombstone written by `OrderService.fence`: never a customer's order. */
  abandoned?: boolean;
}

/** Extra fields to write in the same update as a move (`$set`, `$push` besides the history entry). */
export interface TransitionExtra {
  set?: Record<string, unknown>;
  push?: Record<string, unknown>;
}
