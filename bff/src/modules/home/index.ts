import type { LinliModule } from '../module.js';
import { homeRoutes } from './home.routes.js';
import { createHomeService } from './home.service.js';

export const homeModule: LinliModule = {
  name: 'home',
  services: (core) => ({ home: createHomeService(core, { budgetMs: core.config.HOME_PART_BUDGET_MS }) }),
  routes: homeRoutes,
};
