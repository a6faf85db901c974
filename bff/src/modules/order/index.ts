import type { LinliModule } from '../module.js';
import { orderRoutes } from './order.routes.js';
import { createOrderService } from './order.service.js';

export const orderModule: LinliModule = {
  name: 'order',
  services: (core) => ({ order: createOrderService(core) }),
  routes: orderRoutes,
};
