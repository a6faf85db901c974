import type { LinliModule } from '../module.js';
import { shareRoutes } from './share.routes.js';
import { createShareService } from './share.service.js';

/** Share attribution and the admin funnel (shares → visits → joins → paid → picked up). */
export const shareModule: LinliModule = {
  name: 'share',
  services: (core) => ({ share: createShareService(core) }),
  routes: shareRoutes,
};
