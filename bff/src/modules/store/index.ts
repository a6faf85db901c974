import type { LinliModule } from '../module.js';
import { storeRoutes } from './store.routes.js';
import { createStoreService } from './store.service.js';

export const storeModule: LinliModule = {
  name: 'store',
  services: (core) => ({ store: createStoreService(core) }),
  routes: storeRoutes,
};
