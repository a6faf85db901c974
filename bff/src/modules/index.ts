import type { LinliModule } from './module.js';
import { healthModule } from './health/index.js';
import { storeModule } from './store/index.js';
import { catalogModule } from './catalog/index.js';
import { homeModule } from './home/index.js';
import { identityModule } from './identity/index.js';
import { memberModule } from './member/index.js';
import { devModule } from './dev/index.js';
import { orderModule } from './order/index.js';
import { paymentModule } from './payment/index.js';
import { sweepModule } from './sweep/index.js';
import { messagesModule } from './messages/index.js';
import { voucherModule } from './voucher/index.js';
import { clerkModule } from './clerk/index.js';
import { groupbuyModule } from './groupbuy/index.js';
import { shareModule } from './share/index.js';
import { assetsModule } from './assets/index.js';

/** Every module of the BFF, in mount order. Add one line when a module is added. */
export const modules: LinliModule[] = [healthModule, storeModule, orderModule, paymentModule, sweepModule, catalogModule, homeModule, identityModule, memberModule, devModule, voucherModule, clerkModule, messagesModule, groupbuyModule, shareModule, assetsModule];
