import type { PayRefundResource, PayTransactionResource } from '@linli/contracts';

/** Parameters the miniapp passes to `requestPayment` (JSAPI), signed with the merchant key. */
export interface PaymentParams {
  prepayId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/** A notification whose signature, time window and ciphertext all checked out. */
export type VerifiedNotification =
  | { id: string; kind: 'transaction'; eventType: string; resource: PayTransactionResource }
  | { id: string; kind: 'refund'; eventType: string; resource: PayRefundResource };

export type TradeState = 'SUCCESS' | 'NOTPAY' | 'CLOSED' | 'REFUND' | 'USERPAYING' | 'PAYERROR';

/**
 * The payment platform, as a strategy: the mock-host implementation speaks Pay API v3 against the
 * emulator; a production one points the same calls at the real platform. Every call is idempotent on
 * the host's side by `out_trade_no` / `out_refund_no`, so retrying any of them is safe.
 */
export interface PaymentProvider {
  readonly name: string;
  /** JSAPI prepay for one order (`out_trade_no` = order id). */
  prepay(p: { orderId: string; amountCents: number; description: string; openid: string; expiresAt: Date }): Promise<{ prepayId: string }>;
  /** Fresh `requestPayment` parameters for a prepay id (signed off the event loop where it signs). */
  requestPaymentParams(prepayId: string): Promise<PaymentParams>;
  /**
   * Verifies signature (RSA-SHA256 over `timestamp\nnonce\nbody\n`), timestamp window and serial,
   * then decrypts the resource. Throws a 4xx AppError on anything unverifiable.
   */
  verifyNotification(headers: Record<string, string | undefined>, rawBody: string): Promise<VerifiedNotification>;
  /** The host's view of an order's payment, or null if the host does not know it. */
  queryTransaction(orderId: string): Promise<{ state: TradeState; transactionId?: string; amountCents?: number; successTime?: string } | null>;
  /** Asks for a refund; the same `outRefundNo` never refunds twice. */
  refund(p: { orderId: string; outRefundNo: string; amountCents: number; totalCents: number; reason: string }): Promise<{ status: 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL' }>;
  /** The host's view of a refund, or null if it has none under that number. */
  queryRefund(outRefundNo: string): Promise<{ status: 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL' } | null>;
}
