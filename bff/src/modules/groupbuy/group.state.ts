import { GROUP_STATUSES } from '@linli/contracts';
import { ConflictError } from '../../common/errors.js';

export { GROUP_STATUSES };
export type GroupStatus = (typeof GROUP_STATUSES)[number];

/**
 * The group lifecycle as data (like the order's): `pending` (the leader has not paid yet, not
 * listed, not joinable) → `open` → `succeeded` | `failed`. Every move is one update whose filter is
 * `{_id, status: from}` plus the counters it relies on, so a success and a failure cannot both win.
 */
export const GROUP_TRANSITIONS: Readonly<Record<GroupStatus, readonly GroupStatus[]>> = {
  pending: ['open', 'failed'],
  open: ['succeeded', 'failed'],
  succeeded: [],
  failed: [],
};

/** Throws 409 GROUP_STATE unless `from → to` is a move of the machine; answers the CAS filter. */
export function groupMove(from: GroupStatus, to: GroupStatus): { status: GroupStatus } {
  if (!GROUP_TRANSITIONS[from].includes(to)) throw new ConflictError('GROUP_STATE', `A group cannot move from ${from} to ${to}`, { from, to });
  return { status: from };
}
