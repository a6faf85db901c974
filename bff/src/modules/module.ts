import type Router from '@koa/router';
import type { Core, Services } from '../core.js';

/** A domain of the BFF: its services (added to core.services) and its routes under /api/v1. */
export interface LinliModule {
  name: string;
  services?: (core: Core) => Partial<Services>;
  routes?: (core: Core) => Router;
}
