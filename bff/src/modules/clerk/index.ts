import type { LinliModule } from '../module.js';
import { clerkRoutes } from './clerk.routes.js';
import { createClerkService } from './clerk.service.js';

/** The clerk workspace: order queue, mark ready, voucher redemption, redemption audit. */
export const clerkModule: LinliModule = {
  name: 'clerk',
  services: (core) => ({ clerk: createClerkService(core) }),
  routes: clerkRoutes,
};
