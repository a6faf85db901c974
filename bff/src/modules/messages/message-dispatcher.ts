import { randomUUID } from 'node:crypto';
import { MESSAGE_TEMPLATES, type DispatchResult, type MessageEventType } from '@linli/contracts';
import type { MessagesDeps } from './messages.deps.js';
import type { ConsentService } from './consent.service.js';
import { renderTemplate } from './message-templates.js';
import { relayOutbox } from './outbox-relay.js';

/** How long a claimed row is ours; after that another dispatcher may claim it again. */
export const LEASE_MS = 60_000;
/** Sends after which a failing message is given up. */
export const MAX_ATTEMPTS = 8;
/** Sends in flight at once within one dispatch run. */
const PARALLEL_SENDS = 8;

/** Wait before attempt n+1 after n failed attempts: 30 s, 1 min, 2 min, … at most 30 min. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
}

interface ClaimedRow {
  _id: string;
  type: MessageEventType;
  userId: string;
  templateId: string;
  data: Record<string, unknown>;
  page: string;
  attempts: number;
  claimToken: string | null;
  consentTaken: boolean;
  eventAt: Date;
}

type Outcome = 'sent' | 'skipped' | 'failed' | 'retrying' | 'lost';

/**
 * One dispatch run: relay the outboxes, claim due rows (one guarded update per row and attempt, so two
 * dispatchers never send the same attempt), send each once through `deps.sender`,
 * and record the outcome only while still holding the claim. At least once: a claim whose lease ran out is claimable
 * again, and the host de-duplicates by the row's key.
 */
export async function dispatchMessages(deps: MessagesDeps, consent: ConsentService, limit = 100): Promise<DispatchResult> {
  const Message = deps.m.Message;
  const relayed = await relayOutbox(deps);
  const now = deps.clock.now();
  const due = () => ({ $or: [{ status: 'pending', nextAttemptAt: { $lte: now } }, { status: 'sending', claimedUntil: { $lte: now } }] });

  const candidates = (await Message.find(due()).sort({ nextAttemptAt: 1 }).limit(limit).lean()) as unknown as ClaimedRow[];
  const claimed: ClaimedRow[] = [];
  for (const c of candidates) {
    // Each attempt is claimed by one guarded update on its attempt number: exactly one dispatcher
    // wins it; a stale read names an attempt that was already claimed, so it loses.
    const attempt = c.attempts + 1;
    const token = randomUUID();
    const r = await Message.updateOne(
      { _id: c._id, attempts: c.attempts, ...due() },
      { $set: { status: 'sending', attempts: attempt, claimedUntil: new Date(now.getTime() + LEASE_MS), claimToken: token, updatedAt: now } },
    );
    if (r.modifiedCount === 1) claimed.push({ ...c, attempts: attempt, claimToken: token });
  }

  const openids = await deps.openids(claimed.map((r) => r.userId));

  /** Moves a row we still hold; false when our lease was lost to another dispatcher. */
  const finish = async (row: ClaimedRow, set: Record<string, unknown>): Promise<boolean> => {
    const r = await Message.updateOne(
      { _id: row._id, status: 'sending', claimToken: row.claimToken },
      { $set: { ...set, claimedUntil: null, claimToken: null, updatedAt: deps.clock.now() } },
    );
    return r.modifiedCount === 1;
  };

  const giveUp = async (row: ClaimedRow, error: string): Promise<Outcome> => {
    if (!(await finish(row, { status: 'failed', lastError: error }))) return 'lost';
    if (row.consentTaken) await consent.giveBack(row.userId, row.templateId);
    return 'failed';
  };

  async function deliver(row: ClaimedRow): Promise<Outcome> {
    if (!row.consentTaken) {
      if (!(await consent.take(row.userId, row.templateId))) {
        return (await finish(row, { status: 'skipped', lastError: 'NO_CONSENT' })) ? 'skipped' : 'lost';
      }
      const marked = await Message.updateOne({ _id: row._id, status: 'sending', claimToken: row.claimToken }, { $set: { consentTaken: true } });
      if (marked.modifiedCount !== 1) {
        await consent.giveBack(row.userId, row.templateId);
        return 'lost';
      }
      row.consentTaken = true;
    }
    const openid = openids.get(row.userId);
    if (!openid) return giveUp(row, `NO_OPENID: user ${row.userId} not found`);
    const rendered = renderTemplate(row.type, row.data ?? {}, { key: row._id, eventAt: row.eventAt });
    if (!rendered.ok) return giveUp(row, rendered.error);

    const outcome = await deps.sender.send(
      {
        touser: openid,
        template_id: rendered.templateId,
        page: row.page || MESSAGE_TEMPLATES[row.type].page,
        data: rendered.data,
        miniprogram_state: deps.config.NODE_ENV === 'production' ? 'formal' : 'developer',
        lang: 'zh_CN',
      },
      row._id,
    );
    if (outcome.ok) return (await finish(row, { status: 'sent', sentAt: deps.clock.now(), lastError: null })) ? 'sent' : 'lost';
    if (outcome.refused) return (await finish(row, { status: 'skipped', lastError: outcome.error })) ? 'skipped' : 'lost';
    if (outcome.permanent || row.attempts >= MAX_ATTEMPTS) return giveUp(row, outcome.error);
    const retryAt = new Date(deps.clock.now().getTime() + backoffMs(row.attempts));
    return (await finish(row, { status: 'pending', nextAttemptAt: retryAt, lastError: outcome.error })) ? 'retrying' : 'lost';
  }

  const result: DispatchResult = { relayed, sent: 0, failed: 0, skipped: 0, retrying: 0 };
  let next = 0;
  const worker = async () => {
    while (next < claimed.length) {
      const row = claimed[next++];
      let outcome: Outcome;
      try {
        outcome = await deliver(row);
      } catch (err) {
        // Left in `sending`: the lease runs out and a later run tries again.
        deps.logger.error({ err, key: row._id }, 'message dispatch failed unexpectedly');
        outcome = 'lost';
      }
      if (outcome === 'retrying') {
        result.failed += 1;
        result.retrying += 1;
      } else if (outcome !== 'lost') {
        result[outcome] += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_SENDS, claimed.length) }, worker));
  if (result.sent + result.failed + result.skipped + result.relayed > 0) deps.logger.info(result, 'messages dispatched');
  return result;
}
