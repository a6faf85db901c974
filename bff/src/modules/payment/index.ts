import type { LinliModule } from '../module.js';
import { createPaymentProvider } from './mock-host.provider.js';
import { paymentRoutes } from './payment.routes.js';
import { createPaymentService } from './payment.service.js';

export const paymentModule: LinliModule = {
  name: 'payment',
  services: (core) => ({ paymentProvider: createPaymentProvider(core.config, core.clock), payment: createPaymentService(core) }),
  routes: paymentRoutes,
};
