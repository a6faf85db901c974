/**
 * What the group-buy module needs from the order, payment and voucher modules, typed here so this
 * module compiles on its own. The real services arrive through `core.services` at call time.
 */
export interface OrderLike {
  _id?: string;
  id?: string;
  userId: string;
  status: string;
  groupId?: string | null;
  dealId?: string | null;
  shareId?: string | null;
}

export interface GroupOrderInput {
  userId: string;
  storeId: string;
  items: { productId: string; qty: number }[];
  idempotencyKey?: string;
  kind: 'group';
  groupId: string;
  dealId: string;
  shareId?: string;
  unitPriceOverrideCents: number;
  payWithinMinutes: number;
}

export type Actor = { type: 'user' | 'clerk' | 'system' | 'host'; id: string };

export interface OrderPort {
  create(input: GroupOrderInput): Promise<{ order: OrderLike; payment: unknown }>;
  transition(orderId: string, from: string, to: string, actor: Actor, reason: string, extra?: { set?: Record<string, unknown>; push?: Record<string, unknown> }): Promise<boolean>;
  cancel(orderId: string, actor: Actor, reason: string): Promise<unknown>;
}

export interface PaymentPort {
  refund(orderId: string, reason: string): Promise<unknown>;
}

export interface VoucherPort {
  ensureFor(orderId: string): Promise<unknown>;
}

export const orderIdOf = (o: OrderLike): string => String(o.id ?? o._id);

export const SYSTEM: Actor = { type: 'system', id: 'groupbuy' };
