import type { DispatchResult } from '@linli/contracts';
import type { Core } from '../../core.js';
import { createConsentService } from './consent.service.js';
import { dispatchMessages } from './message-dispatcher.js';
import { relayOutbox } from './outbox-relay.js';

/** Subscription messages: consent, the outbox relay and delivery. */
export function createMessagesService(core: Core) {
  const consent = createConsentService(core);
  return {
    consent,
    /** Copies outbox entries of orders and groups into message rows; answers how many were new. */
    relay: (): Promise<number> => relayOutbox(core),
    /** Relays, then delivers up to `limit` due messages once each; safe to run on many instances at once. */
    dispatch: (limit?: number): Promise<DispatchResult> => dispatchMessages(core, consent, limit),
  };
}
export type MessagesService = ReturnType<typeof createMessagesService>;

declare module '../../core.js' {
  interface Services {
    messages: MessagesService;
  }
}
