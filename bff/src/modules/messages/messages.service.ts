import type { DispatchResult } from '@linli/contracts';
import type { MessagesDeps } from './messages.deps.js';
import { createConsentService } from './consent.service.js';
import { dispatchMessages } from './message-dispatcher.js';
import { relayOutbox } from './outbox-relay.js';

/** Subscription messages: consent, the outbox relay and delivery. */
export function createMessagesService(deps: MessagesDeps) {
  const consent = createConsentService(deps);
  return {
    consent,
    /** Copies outbox entries of orders and groups into message rows; answers how many were new. */
    relay: (): Promise<number> => relayOutbox(deps),
    /** Relays, then delivers up to `limit` due messages once each; safe to run on many instances at once. */
    dispatch: (limit?: number): Promise<DispatchResult> => dispatchMessages(deps, consent, limit),
  };
}
export type MessagesService = ReturnType<typeof createMessagesService>;
