import type { DealPageDto, OpenGroupDto, ProductDto, SharePayload, StoreDto } from '@linli/contracts';
import type { Clock } from '../../common/clock.js';
import { NotFoundError } from '../../common/errors.js';
import { isAvailable, leaderPriceCents, toDealDto, type DealDoc } from './deal.service.js';

export interface DealPageDeps {
  clock: Clock;
  deal(dealId: string): Promise<DealDoc>;
  product(storeId: string, productId: string): Promise<ProductDto>;
  store(storeId: string): Promise<StoreDto | null>;
  /** Open groups with their leaders' public profile (never a user id: issue 18, hole 3). */
  openGroups(dealId: string, storeId: string): Promise<OpenGroupDto[]>;
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
  const groups: OpenGroupDto[] = open.map((g) => ({ id: g.id, size: g.size, seatsLeft: g.seatsLeft, expiresAt: g.expiresAt, leader: g.leader }));
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
