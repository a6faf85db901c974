/**
 * Subscription-message templates the miniapp asks for before a step that leads to a message (the
 * host shows them as one "allow" sheet). Kept equal to `CONSENT_ASKS` of @linli/contracts by a unit
 * test; the value is not imported so that the miniapp bundle carries no zod.
 */
export const CONSENT_TEMPLATES = {
  group: ['TPL_GROUP_SUCCESS', 'TPL_GROUP_FAILED', 'TPL_ORDER_READY'],
  order: ['TPL_ORDER_READY', 'TPL_REFUND_DONE'],
  delivery: ['TPL_DELIVERY_OUT', 'TPL_REFUND_DONE'],
} as const;
