import { z } from 'zod';
import { Latitude, Longitude, StoreId } from './common.js';
import { CategoryDto, DealSummaryDto, ProductPage } from './catalog.js';
import { StoreDto } from './store.js';

/** Either a point (nearest store is chosen) or a store code; not both, not neither. */
export const HomeQuery = z
  .object({ lat: Latitude.optional(), lng: Longitude.optional(), storeId: StoreId.optional() })
  .strict()
  .superRefine((q, ctx) => {
    const point = q.lat !== undefined || q.lng !== undefined;
    if (point && (q.lat === undefined || q.lng === undefined)) {
      ctx.addIssue({ code: 'custom', path: [q.lat === undefined ? 'lat' : 'lng'], message: 'lat and lng go together' });
    }
    if (point === (q.storeId !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['storeId'], message: 'give either lat and lng, or storeId' });
    }
  });
export type HomeQuery = z.infer<typeof HomeQuery>;

/** Parts of the home screen that may be missing (named in `partial`) when they fail or are slow. */
export const HOME_PARTS = ['nearby', 'categories', 'deals', 'products', 'member'] as const;
export const HomePart = z.enum(HOME_PARTS);
export type HomePart = z.infer<typeof HomePart>;

export const HomeResponse = z.object({
  /** The nearest store (with distanceM when a point was given), or the asked store. */
  store: StoreDto,
  /** Up to 3 other stores, nearest first. */
  nearby: z.array(StoreDto).optional(),
  categories: z.array(CategoryDto).optional(),
  /** Active group deals at the store with how many groups are open to join. */
  deals: z.array(DealSummaryDto).optional(),
  /** The first page of the store's products. */
  products: ProductPage.optional(),
  /** The member summary of the logged-in user, as the member module gives it; absent when anonymous. */
  member: z.unknown().optional(),
  /** Parts left out because they failed or exceeded their time budget. */
  partial: z.array(HomePart),
});
export type HomeResponse = z.infer<typeof HomeResponse>;
