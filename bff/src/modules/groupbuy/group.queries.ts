import type { OpenGroupSummaryDto } from '@linli/contracts';
import type { Clock } from '../../common/clock.js';
import type { GroupbuyModels } from './group.model.js';
import type { GroupDoc } from './group.types.js';

/** Reads of open groups for the home, product and deal pages. */
export class GroupQueries {
  constructor(private readonly d: { models: Pick<GroupbuyModels, 'Group'>; clock: Clock; profiles(userIds: string[]): Promise<{ _id: string; nickname: string; avatar: string }[]> }) {}

  /** Open (joinable) groups per deal at a store, for the home screen: `{[dealId]: count}`. */
  async openGroupCounts(dealIds: string[], storeId: string): Promise<Record<string, number>> {
    const out: Record<string, number> = Object.fromEntries(dealIds.map((d) => [d, 0]));
    if (dealIds.length === 0) return out;
    const rows = await this.d.models.Group.aggregate<{ _id: string; n: number }>([
      { $match: { dealId: { $in: dealIds }, storeId, status: 'open', seatsLeft: { $gt: 0 }, expiresAt: { $gt: this.d.clock.now() } } },
      { $group: { _id: '$dealId', n: { $sum: 1 } } },
    ]);
    for (const r of rows) out[r._id] = r.n;
    return out;
  }

  /** A few open groups of a deal at a store that still have seats, soonest to end first; the leader by nickname and avatar (never a user id). */
  async openGroups(dealId: string, storeId: string, limit = 5): Promise<OpenGroupSummaryDto[]> {
    const docs = (await this.d.models.Group.find({ dealId, storeId, status: 'open', seatsLeft: { $gt: 0 }, expiresAt: { $gt: this.d.clock.now() } })
      .sort({ expiresAt: 1 })
      .limit(limit)
      .lean()) as GroupDoc[];
    const leaders = new Map((await this.d.profiles(docs.map((g) => g.leaderId))).map((u) => [u._id, u]));
    return docs.map((g) => ({
      id: g._id,
      seatsLeft: g.seatsLeft,
      size: g.size,
      expiresAt: g.expiresAt.toISOString(),
      leader: { nickname: leaders.get(g.leaderId)?.nickname ?? '邻里用户', avatar: leaders.get(g.leaderId)?.avatar ?? '' },
    }));
  }
}
