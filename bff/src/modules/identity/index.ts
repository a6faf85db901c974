import type { LinliModule } from '../module.js';
import { createHttpHostClient, type HostClient } from './host-client.js';
import { identityRoutes } from './identity.routes.js';
import { createIdentityService, type IdentityService } from './identity.service.js';
import { createInviteService, type InviteService } from './invite.service.js';

declare module '../../core.js' {
  interface Services {
    /** The super-app host's server APIs (login exchange, phone number, SMS, cached access token). */
    host: HostClient;
    identity: IdentityService;
    invites: InviteService;
  }
}

export const identityModule: LinliModule = {
  name: 'identity',
  services: (core) => ({
    host: createHttpHostClient(core.config, core.clock),
    identity: createIdentityService(core),
    invites: createInviteService(core),
  }),
  routes: identityRoutes,
};
