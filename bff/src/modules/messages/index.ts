import type { LinliModule } from '../module.js';
import { createHostMessageSender } from './message-sender.js';
import { messagesRoutes } from './messages.routes.js';
import { createMessagesService } from './messages.service.js';

export type { MessageSender, SendOutcome, SubscribeMessage } from './message-sender.js';

export const messagesModule: LinliModule = {
  name: 'messages',
  services: (core) => ({ messages: createMessagesService(core), messageSender: createHostMessageSender(core) }),
  routes: messagesRoutes,
};
