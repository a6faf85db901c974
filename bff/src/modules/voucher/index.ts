import type { LinliModule } from '../module.js';
import { createVoucherService } from './voucher.service.js';

/** Pickup vouchers: issued for orders awaiting pickup, redeemed through the clerk routes. */
export const voucherModule: LinliModule = {
  name: 'voucher',
  services: (core) => ({ voucher: createVoucherService(core) }),
};
