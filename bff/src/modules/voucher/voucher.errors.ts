import { AppError, ConflictError, ForbiddenError, ValidationError } from '../../common/errors.js';

/** 400: the code is not one this BFF signed or issued (forged, tampered, unknown short code). */
export class VoucherInvalidError extends ValidationError {
  constructor() {
    super('This is not a valid pickup voucher', undefined, 'VOUCHER_INVALID');
  }
}

/** 410: a genuine voucher past its expiry. */
export class VoucherExpiredError extends AppError {
  constructor(expiresAt: Date) {
    super(410, 'VOUCHER_EXPIRED', 'This pickup voucher has expired', { expiresAt: expiresAt.toISOString() });
  }
}

/** 403: a genuine voucher of a store the clerk does not act for. */
export class VoucherWrongStoreError extends ForbiddenError {
  constructor(storeId: string) {
    super('This voucher belongs to another store', 'WRONG_STORE', { storeId });
  }
}

/** 409: the voucher was redeemed already; says when and by whom. */
export class VoucherAlreadyRedeemedError extends ConflictError {
  constructor(details: { orderId: string; redeemedAt: string | null; redeemedBy: string | null; redeemedById: string | null }) {
    super('VOUCHER_ALREADY_REDEEMED', 'This voucher has already been redeemed', details);
  }
}

/** 409: the order is not awaiting pickup (unpaid, still grouping, cancelled, refunding, refunded). */
export class OrderNotRedeemableError extends ConflictError {
  constructor(orderId: string, status: string) {
    super('ORDER_NOT_REDEEMABLE', `The order is ${status}, not awaiting pickup`, { orderId, status });
  }
}
