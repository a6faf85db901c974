import type { DispatchResult } from '@linli/contracts';
import { callInternal } from '../shared/bff.js';
import { log, type CloudContext } from '../shared/context.js';

export interface DispatchReport extends DispatchResult {
  at: string;
  trigger: string;
  /** Dispatch calls made in this run (more than one when a backlog filled a whole batch). */
  rounds: number;
}

const DEFAULT_BATCH = 100;
const MAX_ROUNDS = 5;
/** Time a round may take; no new round starts with less left than this. */
const ROUND_BUDGET_MS = 5000;

/**
 * `dispatch-messages` (timer, every minute): asks the BFF to relay its outboxes and deliver due
 * subscription messages (`POST /internal/messages/dispatch`). Delivery is at least once and the host
 * de-duplicates by key, so overlapping runs never message a user twice. Drains a backlog in up to
 * five batches while time allows.
 */
export async function main(event: { TriggerName?: string; limit?: number } | undefined, context: CloudContext): Promise<DispatchReport> {
  const limit = Number.isInteger(event?.limit) && event!.limit! > 0 ? Math.min(event!.limit!, 500) : DEFAULT_BATCH;
  const report: DispatchReport = { at: new Date().toISOString(), trigger: event?.TriggerName ?? context.SOURCE, rounds: 0, relayed: 0, sent: 0, failed: 0, skipped: 0, retrying: 0 };
  while (report.rounds < MAX_ROUNDS) {
    const r = await callInternal<DispatchResult>(context, '/internal/messages/dispatch', { limit });
    report.rounds += 1;
    report.relayed += r.relayed;
    report.sent += r.sent;
    report.failed += r.failed;
    report.skipped += r.skipped;
    report.retrying += r.retrying;
    const handled = r.sent + r.failed + r.skipped;
    if (handled < limit || context.getRemainingTimeInMillis() < ROUND_BUDGET_MS) break;
  }
  log(context, `[dispatch-messages] relayed=${report.relayed} sent=${report.sent} failed=${report.failed} skipped=${report.skipped} retrying=${report.retrying}`);
  return report;
}
