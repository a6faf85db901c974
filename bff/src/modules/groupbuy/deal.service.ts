import { randomBytes } from 'node:crypto';
import type { CreateDealBody, DealDto, PatchDealBody } from '@linli/contracts';
import type { Core } from '../../core.js';
import { BusinessRuleError, ConflictError, NotFoundError } from '../../common/errors.js';
import { bumpVersion } from '../../common/versioned-cache.js';
import type { KeyedLock } from './group.lock.js';

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
  active: boolean;
}

/** What the leader pays: the group price less the leader discount, never below zero. */
export const leaderPriceCents = (d: Pick<DealDoc, 'groupPriceCents' | 'leaderDiscountCents'>) =>
  Math.max(0, d.groupPriceCents - d.leaderDiscountCents);

export function isAvailable(d: DealDoc, now: Date): boolean {
  return d.active && d.startAt <= now && now < d.endAt && d.sold < d.stockCap;
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

/** Deals: the admin API, reads, and the per-deal counters (stock cap, per-user limit) that seats claim. */
export function createDealService(core: Core, withLock: KeyedLock) {
  const { m } = core;

  async function load(dealId: string): Promise<DealDoc> {
    const d = (await m.Deal.findById(dealId).lean()) as DealDoc | null;
    if (!d) throw new NotFoundError('Deal', 'DEAL_NOT_FOUND', { dealId });
    return d;
  }

  async function assertProductAndStores(productId: string | undefined, storeIds: string[] | undefined) {
    if (productId && !(await m.Product.exists({ _id: productId }))) {
      throw new BusinessRuleError('PRODUCT_NOT_FOUND', 'The deal names a product that does not exist', { productId });
    }
    if (storeIds) {
      const found = await m.Store.countDocuments({ _id: { $in: storeIds } });
      if (found !== new Set(storeIds).size) throw new BusinessRuleError('STORE_NOT_FOUND', 'The deal names a store that does not exist', { storeIds });
    }
  }

  return {
    load,

    /** One deal as the API shows it; 404 DEAL_NOT_FOUND. */
    async get(dealId: string): Promise<DealDto> {
      return toDealDto(await load(dealId), core.clock.now());
    },

    /** Creates a deal (admin). A given id that exists is 409 DUPLICATE. */
    async create(body: CreateDealBody): Promise<DealDto> {
      await assertProductAndStores(body.productId, body.storeIds);
      const { id, ...fields } = body;
      const _id = id ?? `D${randomBytes(6).toString('hex').toUpperCase()}`;
      const doc = await m.Deal.create({ _id, ...fields, storeIds: [...new Set(fields.storeIds)], sold: 0 });
      await bumpVersion(m, DEALS_SCOPE);
      return toDealDto(doc.toObject() as DealDoc, core.clock.now());
    },

    /** Changes a deal (admin); the merged deal must still be consistent (prices, window, cap ≥ sold). */
    async patch(dealId: string, body: PatchDealBody): Promise<DealDto> {
      const cur = await load(dealId);
      const next = { ...cur, ...body };
      if (next.groupPriceCents > next.soloPriceCents) throw new BusinessRuleError('DEAL_INVALID', 'groupPriceCents must not exceed soloPriceCents');
      if (next.leaderDiscountCents > next.groupPriceCents) throw new BusinessRuleError('DEAL_INVALID', 'leaderDiscountCents must not exceed groupPriceCents');
      if (next.endAt <= next.startAt) throw new BusinessRuleError('DEAL_INVALID', 'endAt must be after startAt');
      await assertProductAndStores(undefined, body.storeIds);
      const set: Record<string, unknown> = { ...body };
      if (body.storeIds) set.storeIds = [...new Set(body.storeIds)];
      // A lower cap never goes below what is already sold (compared in the filter, not in memory).
      const filter: Record<string, unknown> = { _id: dealId };
      if (body.stockCap !== undefined) filter.sold = { $lte: body.stockCap };
      // Under the deal's lock, so a concurrent seat count (`sold`) is never overwritten.
      const res = await withLock(`deal:${dealId}`, () => m.Deal.updateOne(filter, { $set: set }));
      if (res.matchedCount === 0) throw new ConflictError('DEAL_CAP_BELOW_SOLD', 'The stock cap cannot go below what is already sold', { sold: cur.sold });
      await bumpVersion(m, DEALS_SCOPE);
      return toDealDto(await load(dealId), core.clock.now());
    },

    /**
     * Takes one seat's worth of the deal for a user: a unit of the stock cap (`sold`) and one of the
     * user's `perUserLimit`, both or neither. 422 PER_USER_LIMIT / 409 DEAL_SOLD_OUT.
     */
    async takeSeat(dealId: string, userId: string): Promise<void> {
      await withLock(`deal:${dealId}`, async () => {
        const d = await load(dealId);
        const usageId = `${dealId}:${userId}`;
        const used = (await m.DealUsage.findById(usageId).lean())?.count ?? 0;
        if (used >= d.perUserLimit) {
          throw new BusinessRuleError('PER_USER_LIMIT', `You can take at most ${d.perUserLimit} seat(s) on this deal`, { dealId, perUserLimit: d.perUserLimit });
        }
        const took = await m.Deal.updateOne({ _id: dealId, sold: { $lt: d.stockCap } }, { $inc: { sold: 1 } });
        if (took.modifiedCount !== 1) throw new ConflictError('DEAL_SOLD_OUT', 'This deal is sold out', { dealId });
        await m.DealUsage.updateOne({ _id: usageId, count: used }, { $inc: { count: 1 } }, { upsert: true });
      });
    },

    /** Gives back what `takeSeat` took (the caller makes sure it does so once per seat). */
    async giveSeat(dealId: string, userId: string): Promise<void> {
      await withLock(`deal:${dealId}`, async () => {
        await m.Deal.updateOne({ _id: dealId, sold: { $gt: 0 } }, { $inc: { sold: -1 } });
        await m.DealUsage.updateOne({ _id: `${dealId}:${userId}`, count: { $gt: 0 } }, { $inc: { count: -1 } });
      });
    },

    withLock,
  };
}
export type DealService = ReturnType<typeof createDealService>;
