import { randomUUID } from 'node:crypto';
import { MESSAGE_EVENT_TYPES, MESSAGE_TEMPLATES, type ConsentDto } from '@linli/contracts';
import type { MessagesDeps } from './messages.deps.js';

/** Credits one user may hold per template; accepts beyond this are not counted. */
export const MAX_CONSENT_CREDITS = 20;

/**
 * Subscription consent, one-shot as on the real host: each accept (`record`) adds one credit per
 * template, and each message sent with it (`take`) uses exactly one. A credit is a document and
 * using it is a delete by `_id`, so two dispatchers can never spend one credit twice.
 */
export function createConsentService(deps: MessagesDeps) {
  const Consent = deps.m.MessageConsent;

  async function counts(userId: string): Promise<Map<string, number>> {
    const rows = await Consent.find({ userId }, { templateId: 1 }).lean();
    const out = new Map<string, number>();
    for (const r of rows) out.set(r.templateId, (out.get(r.templateId) ?? 0) + 1);
    return out;
  }

  async function list(userId: string): Promise<ConsentDto[]> {
    const byTemplate = await counts(userId);
    return MESSAGE_EVENT_TYPES.map((type) => {
      const t = MESSAGE_TEMPLATES[type];
      return { templateId: t.templateId, type, title: t.title, remaining: byTemplate.get(t.templateId) ?? 0 };
    });
  }

  const grant = (userId: string, templateId: string) =>
    Consent.collection.insertOne({ _id: `c_${randomUUID()}`, userId, templateId, grantedAt: deps.clock.now() } as never);

  return {
    list,

    /** Records that the user accepted these templates once more; answers every template's credits. */
    async record(userId: string, templateIds: string[]): Promise<ConsentDto[]> {
      const held = await counts(userId);
      for (const templateId of templateIds) {
        if ((held.get(templateId) ?? 0) < MAX_CONSENT_CREDITS) await grant(userId, templateId);
      }
      return list(userId);
    },

    /** Uses one credit (the oldest); false when the user has none for this template. */
    async take(userId: string, templateId: string): Promise<boolean> {
      for (;;) {
        const some = await Consent.find({ userId, templateId }, { _id: 1 }).sort({ grantedAt: 1 }).limit(5).lean();
        if (some.length === 0) return false;
        for (const c of some) {
          const r = await Consent.deleteOne({ _id: c._id });
          if (r.deletedCount === 1) return true;
        }
      }
    },

    /** Returns a credit taken for a message that could not be delivered. */
    async giveBack(userId: string, templateId: string): Promise<void> {
      await grant(userId, templateId);
    },
  };
}
export type ConsentService = ReturnType<typeof createConsentService>;
