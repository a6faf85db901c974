import { randomBytes } from 'node:crypto';
import type { CreateDealBody, DealDto, PatchDealBody } from '@linli/contracts';
import type { Core } from '../../core.js';
import { BusinessRuleError, ConflictError, NotFoundError, isDuplicateKeyError } from '../../common/errors.js';
import { bumpVersion } from '../../common/versioned-cache.js';
import type { KeyedLock } from './group.lock.js';

export const DEALS_SCOPE = 'deals';
/** Claims closer than this to a deal's stock cap are counted under the deal's lock; farther away, lock-free. */
const CAP_MARGIN = 100;

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

  /** Seats taken on the deal: its claims not given back (a count, never a racy counter). */
  async function soldOf(dealId: string): Promise<number> {
    return m.GroupClaim.countDocuments({ dealId, released: false });
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
      const d = await load(dealId);
      return toDealDto({ ...d, sold: await soldOf(dealId) }, core.clock.now());
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
      // A lower cap never goes below what is already sold; under the deal's lock, so no claim slips in.
      await withLock(`deal:${dealId}`, async () => {
        const sold = await soldOf(dealId);
        if (body.stockCap !== undefined && body.stockCap < sold) {
          throw new ConflictError('DEAL_CAP_BELOW_SOLD', 'The stock cap cannot go below what is already sold', { sold });
        }
        await m.Deal.updateOne({ _id: dealId }, { $set: set });
      });
      await bumpVersion(m, DEALS_SCOPE);
      return this.get(dealId);
    },

    /**
     * Takes one seat's worth of the deal for a user and records it as the claim `claimId`: one of the
     * user's `perUserLimit` usage slots (`${dealId}:${userId}#n`, each an insert on a unique _id) and
     * a unit of the stock cap (the deal's unreleased claims). Both or neither.
     * 422 PER_USER_LIMIT / 409 DEAL_SOLD_OUT.
     */
    async takeSeat(dealId: string, userId: string, claim: { claimId: string; groupId: string }): Promise<void> {
      const d = await load(dealId);
      let slot: string | null = null;
      for (let n = 0; n < d.perUserLimit && !slot; n++) {
        try {
          await m.DealUsage.create({ _id: `${dealId}:${userId}#${n}`, claimId: claim.claimId });
          slot = `${dealId}:${userId}#${n}`;
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err;
        }
      }
      if (!slot) throw new BusinessRuleError('PER_USER_LIMIT', `You can take at most ${d.perUserLimit} seat(s) on this deal`, { dealId, perUserLimit: d.perUserLimit });
      const insert = () => m.GroupClaim.create({ _id: claim.claimId, dealId, userId, groupId: claim.groupId, usageSlot: slot, orderId: null, released: false });
      try {
        // Far from the cap, claims go in without waiting; near it, they are counted one at a time.
        if ((await soldOf(dealId)) + CAP_MARGIN < d.stockCap) {
          await insert();
        } else {
          await withLock(`deal:${dealId}`, async () => {
            const fresh = await load(dealId);
            if ((await soldOf(dealId)) >= fresh.stockCap) throw new ConflictError('DEAL_SOLD_OUT', 'This deal is sold out', { dealId });
            await insert();
          });
        }
      } catch (err) {
        await m.DealUsage.deleteOne({ _id: slot, claimId: claim.claimId });
        throw err;
      }
    },

    /** Gives back the usage slot of a released claim (the caller releases each claim once). */
    async giveSeat(claim: { _id: string; usageSlot?: string | null }): Promise<void> {
      if (claim.usageSlot) await m.DealUsage.deleteOne({ _id: claim.usageSlot, claimId: claim._id });
    },

    soldOf,

    withLock,
  };
}
export type DealService = ReturnType<typeof createDealService>;
