import type { LinliModule } from '../module.js';
import { catalogRoutes } from './catalog.routes.js';
import { createCatalogService } from './catalog.service.js';

export const catalogModule: LinliModule = {
  name: 'catalog',
  services: (core) => ({ catalog: createCatalogService(core) }),
  routes: catalogRoutes,
};
