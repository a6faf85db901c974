import type { GroupStatus } from './group.state.js';

/**
 * One seat of a group, stored under `seats.<seatKey(userId)>` (a map, not an array: FerretDB has no
 * positional operator or $elemMatch, but dotted paths work, so "not already a member" is
 * `{'seats.<key>': {$exists: false}}` and "pay this held seat" a filter on `seats.<key>.orderId/status`).
 * The seat names its order id before the order exists, so a seat whose request died is recognisable.
 */
export interface Seat {
  userId: string;
  orderId: string;
  status: 'held' | 'paid';
  leader: boolean;
  holdUntil: Date;
  joinedAt: Date;
  paidAt?: Date | null;
  shareId?: string | null;
}

/**
 * A group as stored. Counters carry the invariants: `seatsLeft` = size − seats (held + paid), never
 * below zero because every join is `{seatsLeft: {$gt: 0}}` + `$inc: -1` in ONE update; `paidCount`
 * counts paid seats, and the payment that makes it `size` is the one that succeeds the group.
 */
export interface GroupDoc {
  _id: string;
  dealId: string;
  storeId: string;
  productId: string;
  leaderId: string;
  size: number;
  status: GroupStatus;
  seatsLeft: number;
  paidCount: number;
  seats: Record<string, Seat>;
  expiresAt: Date;
  openedAt: Date | null;
  closedAt: Date | null;
  /** When its paid members were told the group is about to expire (once). */
  warnedAt: Date | null;
  /** A tombstone written by the sweep under the id of a group whose request died before saving it. */
  abandoned?: boolean;
  createdAt?: Date;
}

/**
 * The key of a user's seat inside `seats`. Ids of the safe alphabet are used as they are; anything
 * else is hex-encoded so a key can never contain `.` or start with `$`.
 */
export function seatKey(userId: string): string {
  return /^[A-Za-z0-9_-]{1,100}$/.test(userId) ? userId : `x${Buffer.from(userId).toString('hex')}`;
}

/** The page a subscription message about a group opens (host format: no leading slash). */
export const groupPage = (groupId: string) => `pages/group/index?id=${groupId}`;
