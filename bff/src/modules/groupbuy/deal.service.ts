import { randomBytes } from 'node:crypto';
import type { CreateDealBody, DealDto, PatchDealBody } from '@linli/contracts';
import type { Clock } from '../../common/clock.js';
import { BusinessRuleError, ConflictError, NotFoundError } from '../../common/errors.js';
import { KeyedFreshReader } from '../../common/fresh-read.js';
import { bumpVersion, type CatalogMeta } from '../../common/versioned-cache.js';
import type { GroupbuyModels } from './group.model.js';

export const DEALS_SCOPE = 'deals';

export interface DealDoc {
  _id: string;
  productId: string;
  storeIds: string[];
  title: string;
  groupSize: number;
  groupPriceCents: number;
  soloPriceCents: number;
  durationMinutes: number;
  perUserLimit: number;
  newMembersOnly: boolean;
  leaderDiscountCents: number;
  startAt: Date;
  endAt: Date;
  stockCap: number;
  sold: number;
  holds?: Record<string, { n: number; at: Date }>;
  active: boolean;
}

/** What the leader pays: the group price less the leader discount, never below zero. */
export const leaderPriceCents = (d: Pick<DealDoc, 'groupPriceCents' | 'leaderDiscountCents'>) => Math.max(0, d.groupPriceCents - d.leaderDiscountCents);

/** On offer now, with room in its cap for one more whole group. */
export function isAvailable(d: DealDoc, now: Date): boolean {
  return d.active && d.startAt <= now && now < d.endAt && d.sold + d.groupSize <= d.stockCap;
}

export function toDealDto(d: DealDoc, now: Date): DealDto {
  return {
    id: d._id,
    productId: d.productId,
    storeIds: d.storeIds,
    title: d.title,
    groupSize: d.groupSize,
    groupPriceCents: d.groupPriceCents,
    soloPriceCents: d.soloPriceCents,
    leaderPriceCents: leaderPriceCents(d),
    durationMinutes: d.durationMinutes,
    perUserLimit: d.perUserLimit,
    newMembersOnly: d.newMembersOnly,
    leaderDiscountCents: d.leaderDiscountCents,
    startAt: d.startAt.toISOString(),
    endAt: d.endAt.toISOString(),
    stockCap: d.stockCap,
    sold: d.sold,
    active: d.active,
    available: isAvailable(d, now),
  };
}

export interface DealServiceDeps {
  models: Pick<GroupbuyModels, 'Deal'>;
  clock: Clock;
  versions: CatalogMeta;
  productExists(productId: string): Promise<boolean>;
  /** How many of the given store codes exist. */
  countStores(storeIds: string[]): Promise<number>;
}

/**
 * Deals: the admin API, reads, and the deal's cap (活动库存). The cap is held per group: a group's
 * units are taken in one guarded update when it opens and given back exactly once if it fails
 * (`holds.<groupId>` is the guard), so joins never touch the deal document.
 */
export class DealService {
  /** Deal reads shared by concurrent callers (a rush of joins reads the deal once, never stale). */
  private readonly reads = new KeyedFreshReader<string, DealDoc | null>(async (dealId) => (await this.deals.findById(dealId).lean()) as DealDoc | null, { maxKeys: 2000 });

  constructor(private readonly d: DealServiceDeps) {}

  private get deals() {
    return this.d.models.Deal;
  }

  async load(dealId: string): Promise<DealDoc> {
    const d = await this.reads.get(dealId);
    if (!d) throw new NotFoundError('Deal', 'DEAL_NOT_FOUND', { dealId });
    return d;
  }

  /** One deal as the API shows it; 404 DEAL_NOT_FOUND. */
  async get(dealId: string): Promise<DealDto> {
    return toDealDto(await this.load(dealId), this.d.clock.now());
  }

  private async assertProductAndStores(productId: string | undefined, storeIds: string[] | undefined) {
    if (productId && !(await this.d.productExists(productId))) {
      throw new BusinessRuleError('PRODUCT_NOT_FOUND', 'The deal names a product that does not exist', { productId });
    }
    if (storeIds && (await this.d.countStores(storeIds)) !== new Set(storeIds).size) {
      throw new BusinessRuleError('STORE_NOT_FOUND', 'The deal names a store that does not exist', { storeIds });
    }
  }

  /** Creates a deal (admin). A given id that exists is 409 DUPLICATE. */
  async create(body: CreateDealBody): Promise<DealDto> {
    await this.assertProductAndStores(body.productId, body.storeIds);
    const { id, ...fields } = body;
    const _id = id ?? `D${randomBytes(6).toString('hex').toUpperCase()}`;
    const doc = await this.deals.create({ _id, ...fields, storeIds: [...new Set(fields.storeIds)], sold: 0 });
    await bumpVersion(this.d.versions, DEALS_SCOPE);
    return toDealDto(doc.toObject() as DealDoc, this.d.clock.now());
  }

  /** Changes a deal (admin); the merged deal must still be consistent (prices, window, cap ≥ sold). */
  async patch(dealId: string, body: PatchDealBody): Promise<DealDto> {
    const cur = await this.load(dealId);
    const next = { ...cur, ...body };
    if (next.groupPriceCents > next.soloPriceCents) throw new BusinessRuleError('DEAL_INVALID', 'groupPriceCents must not exceed soloPriceCents');
    if (next.leaderDiscountCents >= next.groupPriceCents) throw new BusinessRuleError('DEAL_INVALID', 'leaderDiscountCents must be below groupPriceCents (the leader pays at least 1 cent)');
    if (next.endAt <= next.startAt) throw new BusinessRuleError('DEAL_INVALID', 'endAt must be after startAt');
    await this.assertProductAndStores(undefined, body.storeIds);
    const set: Record<string, unknown> = { ...body };
    if (body.storeIds) set.storeIds = [...new Set(body.storeIds)];
    // A lower cap never goes below what is already taken: the guard is in the same update.
    const guard = body.stockCap !== undefined ? { sold: { $lte: body.stockCap } } : {};
    const r = await this.deals.updateOne({ _id: dealId, ...guard }, { $set: set });
    if (r.matchedCount === 0) {
      const sold = (await this.load(dealId)).sold;
      throw new ConflictError('DEAL_CAP_BELOW_SOLD', 'The stock cap cannot go below what is already sold', { sold });
    }
    await bumpVersion(this.d.versions, DEALS_SCOPE);
    return this.get(dealId);
  }

  /**
   * Takes a whole group's units of the deal's cap for `groupId`, in one guarded update: true when
   * taken, false when the cap has no room for another group (the cap read with the deal must still
   * hold, so an admin change in between makes this a clean refusal, not an overrun).
   */
  async reserveForGroup(deal: DealDoc, groupId: string): Promise<boolean> {
    const n = deal.groupSize;
    const r = await this.deals.updateOne(
      { _id: deal._id, active: true, stockCap: deal.stockCap, sold: { $lte: deal.stockCap - n }, [`holds.${groupId}`]: { $exists: false } },
      { $inc: { sold: n }, $set: { [`holds.${groupId}`]: { n, at: this.d.clock.now() } } },
    );
    return r.modifiedCount === 1;
  }

  /** Gives a group's units back to the cap, exactly once whoever calls (the hold is the guard). */
  async giveBack(dealId: string, groupId: string, n: number): Promise<boolean> {
    const key = `holds.${groupId}`;
    const r = await this.deals.updateOne({ _id: dealId, [key]: { $exists: true } }, { $inc: { sold: -n }, $unset: { [key]: '' } });
    return r.modifiedCount === 1;
  }

  /** The groups' units stay sold (they succeeded): their holds go, in one update. */
  async keep(dealId: string, groupIds: string[]): Promise<void> {
    if (groupIds.length === 0) return;
    await this.deals.updateOne({ _id: dealId }, { $unset: Object.fromEntries(groupIds.map((g) => [`holds.${g}`, ''])) });
  }

  /** Every deal's holds, for the sweep. */
  async holds(): Promise<{ dealId: string; groupId: string; n: number; at: Date }[]> {
    const docs = (await this.deals.find({ holds: { $exists: true } }, { holds: 1 }).lean()) as Pick<DealDoc, '_id' | 'holds'>[];
    return docs.flatMap((d) => Object.entries(d.holds ?? {}).map(([groupId, h]) => ({ dealId: d._id, groupId, n: h.n, at: new Date(h.at) })));
  }
}
