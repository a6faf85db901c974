import type { DealPageDto, OpenGroupDto, ProductDto, SharePayload, StoreDto } from '@linli/contracts';
import type { Clock } from '../../common/clock.js';
import { NotFoundError } from '../../common/errors.js';
import { isAvailable, leaderPriceCents, toDealDto, type DealDoc } from './deal.service.js';

export interface DealPageDeps {
  clock: Clock;
  deal(dealId: string): Promise<DealDoc>;
  product(storeId: string, productId: string): Promise<ProductDto>;
  store(storeId: string): Promise<StoreDto | null>;
  openGroups(dealId: string, storeId: string): Promise<{ id: string; leaderId: string; seatsLeft: number; size: number; expiresAt: string }[]>;
  profiles(userIds: string[]): Promise<{ _id: string; nickname: string; avatar: string }[]>;
  share(viewerId: string | undefined, dealId: string, storeId: string): Promise<SharePayload>;
}

function stateOf(d: DealDoc, now: Date): DealPageDto['state'] {
  if (isAvailable(d, now)) return 'open';
  if (d.active && now < d.startAt) return 'not_started';
  if (d.active && now < d.endAt && d.sold + d.groupSize > d.stockCap) return 'sold_out';
  return 'ended';
}

/**
 * The deal page in one round trip: the deal, its product as this store sells it, the group price
 * against the shelf price (every amount from here, none added by the page), groups open to join with
 * their leaders, and the viewer's share card. A deal not offered at the store is 404 DEAL_NOT_AT_STORE.
 */
export async function dealPage(d: DealPageDeps, dealId: string, storeId: string, viewerId?: string): Promise<DealPageDto> {
  const deal = await d.deal(dealId);
  if (!deal.storeIds.includes(storeId)) throw new NotFoundError('Deal at this store', 'DEAL_NOT_AT_STORE', { dealId, storeId });
  const [product, store, open, share] = await Promise.all([
    d.product(storeId, deal.productId),
    d.store(storeId),
    d.openGroups(dealId, storeId),
    d.share(viewerId, dealId, storeId),
  ]);
  const people = new Map((open.length ? await d.profiles([...new Set(open.map((g) => g.leaderId))]) : []).map((u) => [u._id, u]));
  const groups: OpenGroupDto[] = open.map((g) => ({
    id: g.id,
    size: g.size,
    seatsLeft: g.seatsLeft,
    expiresAt: g.expiresAt,
    leader: { nickname: people.get(g.leaderId)?.nickname ?? '邻居', avatar: people.get(g.leaderId)?.avatar ?? '' },
  }));
  const now = d.clock.now();
  return {
    deal: toDealDto(deal, now),
    product,
    store,
    prices: {
      groupPriceCents: deal.groupPriceCents,
      leaderPriceCents: leaderPriceCents(deal),
      shelfPriceCents: product.priceCents,
      memberPriceCents: product.memberPriceCents,
      savingCents: Math.max(0, product.priceCents - deal.groupPriceCents),
    },
    state: stateOf(deal, now),
    groups,
    share,
  };
}
