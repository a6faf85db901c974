/**
 * Transactional outbox without transactions: a state change and the message it causes are written by
 * ONE single-document update. The update that moves an order or a group also `$push`es an entry onto
 * that document's `outbox` array; the entry's `key` is unique per event and recipient (e.g.
 * `GroupSucceeded:<groupId>:<userId>`), so a retried move pushes nothing twice (its CAS filter on the
 * status already lost). The messages module's relay copies entries into the `messages` collection,
 * whose `_id` is the key, so a repeated copy is absorbed; it never writes the source documents.
 */
export const OUTBOX_EVENT_TYPES = ['GroupSucceeded', 'GroupFailed', 'OrderReady', 'RefundCompleted', 'GroupExpiringSoon', 'OrderOutForDelivery'] as const;
export type OutboxEventType = (typeof OUTBOX_EVENT_TYPES)[number];

export interface OutboxEntry {
  /** Unique per event and recipient: the same event can never produce two messages. */
  key: string;
  type: OutboxEventType;
  /** Recipient (a user id). */
  userId: string;
  /** Template fields, already as strings the host's subscription message expects. */
  data: Record<string, string>;
  /** Miniapp page the message opens. */
  page: string;
  createdAt: Date;
}

export function outboxEntry(type: OutboxEventType, refId: string, userId: string, data: Record<string, string>, page: string, now: Date): OutboxEntry {
  return { key: `${type}:${refId}:${userId}`, type, userId, data, page, createdAt: now };
}
