import type { LinliModule } from '../module.js';
import { assetRoutes } from './assets.routes.js';

/** Static pictures (product images) served by content-hashed name with long cache headers. */
export const assetsModule: LinliModule = {
  name: 'assets',
  routes: assetRoutes,
};
