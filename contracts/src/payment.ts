import { z } from 'zod';

/**
 * Pay API v3 shapes (as the host sends them). The notification envelope is validated before its
 * signature is checked; the resource is validated after it is decrypted.
 */
export const PayNotificationBody = z
  .object({
    id: z.string().min(1).max(64),
    create_time: z.string().max(40),
    event_type: z.enum(['TRANSACTION.SUCCESS', 'REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED']),
    resource_type: z.literal('encrypt-resource'),
    summary: z.string().max(100).optional(),
    resource: z
      .object({
        original_type: z.enum(['transaction', 'refund']),
        algorithm: z.literal('AEAD_AES_256_GCM'),
        ciphertext: z.string().min(1).max(16_000),
        associated_data: z.string().max(100).optional(),
        nonce: z.string().min(1).max(32),
      })
      .passthrough(),
  })
  .passthrough();
export type PayNotificationBody = z.infer<typeof PayNotificationBody>;

/** Decrypted `TRANSACTION.SUCCESS` resource. */
export const PayTransactionResource = z
  .object({
    mchid: z.string(),
    appid: z.string(),
    out_trade_no: z.string(),
    transaction_id: z.string().min(1).max(64),
    trade_state: z.string(),
    success_time: z.string().optional(),
    payer: z.object({ openid: z.string() }).passthrough().optional(),
    amount: z.object({ total: z.number().int().min(0), currency: z.string().optional() }).passthrough(),
  })
  .passthrough();
export type PayTransactionResource = z.infer<typeof PayTransactionResource>;

/** Decrypted `REFUND.*` resource. */
export const PayRefundResource = z
  .object({
    mchid: z.string(),
    out_trade_no: z.string(),
    transaction_id: z.string(),
    out_refund_no: z.string(),
    refund_id: z.string(),
    refund_status: z.enum(['SUCCESS', 'CLOSED', 'ABNORMAL', 'PROCESSING']),
    success_time: z.string().optional(),
    amount: z.object({ total: z.number().int(), refund: z.number().int() }).passthrough(),
  })
  .passthrough();
export type PayRefundResource = z.infer<typeof PayRefundResource>;

/** What the BFF answers the host: 200 SUCCESS, or 4xx/5xx FAIL (the host then retries). */
export const PayNotifyAck = z.object({ code: z.enum(['SUCCESS', 'FAIL']), message: z.string().optional() });
export type PayNotifyAck = z.infer<typeof PayNotifyAck>;
