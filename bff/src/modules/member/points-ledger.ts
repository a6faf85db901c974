import { isDuplicateKeyError } from '../../common/errors.js';
import type { MemberModels } from './member.model.js';

/** One ledger entry to book; its `_id` is `<reason>:<refId>`, so it is booked once. */
export interface PointsBooking {
  userId: string;
  cardNo: string | null;
  reason: string;
  refId: string;
  /** Signed change of the spendable balance. */
  points: number;
  /** Change of lifetime points. */
  lifetime: number;
  createdAt: Date;
  /** Who credited it at the till, and at which store. */
  clerkId?: string;
  storeId?: string;
}

/** The spendable-points counter kept beside the ledger (promotions' `PointsService.add`). */
export interface PointsCounter {
  add(userId: string, points: number): Promise<void>;
}

/** Inserts the entry: false when it already exists. */
export async function insertPointsEntry(PointsEntry: MemberModels['PointsEntry'], e: PointsBooking): Promise<boolean> {
  try {
    await PointsEntry.create({ _id: `${e.reason}:${e.refId}`, ...e });
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

/**
 * The entry of a counter move made just before it: false when it already existed (a retry), and the
 * move is undone; a failed insert undoes the move too, then throws.
 */
export async function insertAfterMove(PointsEntry: MemberModels['PointsEntry'], counter: PointsCounter | undefined, e: PointsBooking): Promise<boolean> {
  let booked: boolean;
  try {
    booked = await insertPointsEntry(PointsEntry, e);
  } catch (err) {
    await counter?.add(e.userId, -e.points);
    throw err;
  }
  if (!booked) await counter?.add(e.userId, -e.points);
  return booked;
}

/**
 * Books an entry once per (reason, refId) and moves the counter with it: the counter FIRST, then the
 * entry (`insertAfterMove`). A process dying between the two leaves the counter off and its wallet
 * dirty, which the sweep repairs from the ledger (`PointsService.repairWallets`); the other order would
 * leave nothing to find. Every booking of points goes through here or `insertAfterMove`.
 */
export async function bookPoints(PointsEntry: MemberModels['PointsEntry'], counter: PointsCounter | undefined, e: PointsBooking): Promise<boolean> {
  if (await PointsEntry.exists({ _id: `${e.reason}:${e.refId}` })) return false;
  await counter?.add(e.userId, e.points);
  return insertAfterMove(PointsEntry, counter, e);
}
