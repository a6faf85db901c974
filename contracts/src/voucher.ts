import { z } from 'zod';

/**
 * A pickup voucher as the owner of an awaiting-pickup order sees it: the signed code (what the QR
 * holds), the 12-digit short code for typing, the QR image as a data URI, and when it expires.
 */
export const VoucherDto = z.object({
  code: z.string(),
  shortCode: z.string().regex(/^\d{12}$/),
  qr: z.string().startsWith('data:image/png;base64,'),
  expiresAt: z.string(),
});
export type VoucherDto = z.infer<typeof VoucherDto>;

/** What a clerk sends: the scanned QR code (`LV1.…`) or the typed 12-digit short code. */
export const RedeemVoucherBody = z
  .object({
    code: z
      .string()
      .trim()
      .min(1)
      .max(256)
      .transform((s) => (/^[\d\s-]+$/.test(s) ? s.replace(/[\s-]/g, '') : s)),
  })
  .strict();
export type RedeemVoucherBody = z.infer<typeof RedeemVoucherBody>;

export const VOUCHER_AUDIT_OUTCOMES = [
  'redeemed',
  'invalid',
  'expired',
  'wrong_store',
  'already_redeemed',
  'not_redeemable',
  'rate_limited',
  /** The attempt failed for an unexpected reason (answered 500). */
  'error',
] as const;
export type VoucherAuditOutcome = (typeof VOUCHER_AUDIT_OUTCOMES)[number];

export const RedeemVoucherResponse = z.object({
  order: z.object({
    id: z.string(),
    storeId: z.string(),
    status: z.literal('picked_up'),
    amountCents: z.number().int(),
    items: z.array(z.object({ productId: z.string(), title: z.string(), qty: z.number().int(), unitPriceCents: z.number().int() })),
    customerNickname: z.string().nullable(),
  }),
  redeemedAt: z.string(),
});
export type RedeemVoucherResponse = z.infer<typeof RedeemVoucherResponse>;
