import type { LinliModule } from '../module.js';
import { memberRoutes } from './member.routes.js';
import { createMemberService, type MemberService } from './member.service.js';

declare module '../../core.js' {
  interface Services {
    member: MemberService;
  }
}

export const memberModule: LinliModule = {
  name: 'member',
  services: (core) => ({ member: createMemberService(core) }),
  routes: memberRoutes,
};
