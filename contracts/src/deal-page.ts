import { z } from 'zod';
import { ProductDto } from './catalog.js';
import { Cents, StoreId } from './common.js';
import { DealDto, SharePayload } from './groupbuy.js';
import { StoreDto } from './store.js';

/** `GET /deals/:id/page?storeId`: the deal page in one round trip. */
export const DealPageQuery = z.object({ storeId: StoreId }).strict();

/** A group of the deal still open to join at the store. */
export const OpenGroupDto = z.object({
  id: z.string(),
  size: z.number().int(),
  seatsLeft: z.number().int(),
  expiresAt: z.string(),
  leader: z.object({ nickname: z.string(), avatar: z.string() }),
});
export type OpenGroupDto = z.infer<typeof OpenGroupDto>;

export const DealPageDto = z.object({
  deal: DealDto,
  /** The product as this store sells it (its shelf price, member price, stock). */
  product: ProductDto,
  store: StoreDto.nullable(),
  /** Every amount the page shows, priced by the BFF: the group price against this store's shelf price. */
  prices: z.object({
    groupPriceCents: Cents,
    leaderPriceCents: Cents,
    shelfPriceCents: Cents,
    memberPriceCents: Cents,
    /** Shelf price less group price (0 when the group price is not lower). */
    savingCents: Cents,
  }),
  /** `open`: 开团 possible now; otherwise why not. */
  state: z.enum(['open', 'not_started', 'ended', 'sold_out']),
  groups: z.array(OpenGroupDto),
  /** The viewer's share card of this deal at this store (a share id only when logged in). */
  share: SharePayload,
});
export type DealPageDto = z.infer<typeof DealPageDto>;
