import { callInternal } from '../shared/bff.js';
import { log, type CloudContext } from '../shared/context.js';

export interface SweepReport {
  /** When this run started (ISO). */
  at: string;
  trigger: string;
  /** The counts `/internal/sweep` answered (groups expired, holds freed, orders cancelled, refunds retried, …). */
  counts: Record<string, unknown>;
  /** Human summary of what changed, e.g. `groupsFailed=1 refundsRequested=2`; `nothing to do` when all are zero. */
  summary: string;
}

/** Every numeric count in the answer, nested ones as `a.b`, non-zero only. */
function nonZero(counts: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(counts)) {
    if (typeof v === 'number' && v !== 0) out.push(`${prefix}${k}=${v}`);
    else if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...nonZero(v as Record<string, unknown>, `${prefix}${k}.`));
  }
  return out;
}

/**
 * `sweeper` (timer, every minute): runs the BFF's reconciler (`POST /internal/sweep`, internal token)
 * that expires groups and seat holds, cancels unpaid orders and retries refunds, and reports what it did.
 * The sweep is idempotent, so an overlapping or repeated run is harmless.
 */
export async function main(event: { TriggerName?: string } | undefined, context: CloudContext): Promise<SweepReport> {
  const at = new Date().toISOString();
  const counts = await callInternal<Record<string, unknown>>(context, '/internal/sweep', {});
  const changed = nonZero(counts);
  const report: SweepReport = { at, trigger: event?.TriggerName ?? context.SOURCE, counts, summary: changed.length ? changed.join(' ') : 'nothing to do' };
  log(context, `[sweeper] ${report.summary}`);
  return report;
}
