import { host } from '../host';
import { sessionStore } from '../store/session';
import { api } from './api';
import { CONSENT_TEMPLATES } from './consent-templates';

/**
 * Asks the user to allow the templates and records what they accepted with the BFF. Never blocks
 * the purchase: a refusal or a failure only means no message later.
 */
export async function askConsent(kind: keyof typeof CONSENT_TEMPLATES): Promise<string[]> {
  try {
    const accepted = await host.requestSubscribe([...CONSENT_TEMPLATES[kind]], sessionStore.get().openid);
    if (accepted.length > 0) await api.recordConsent(accepted);
    return accepted;
  } catch {
    return [];
  }
}
