import type { LinliModule } from '../module.js';
import { groupbuyRoutes } from './groupbuy.routes.js';
import { createGroupService } from './group.service.js';

/** Group deals and groups (拼团): deal admin, open / join / view a group, and the reconciler's group pass. */
export const groupbuyModule: LinliModule = {
  name: 'groupbuy',
  services: (core) => ({ groupbuy: createGroupService(core) }),
  routes: groupbuyRoutes,
};
