import { z } from 'zod';
import { Latitude, Longitude } from './common.js';
import { DeliveryConfigDto } from './delivery.js';

export const NearbyStoresQuery = z
  .object({
    lat: Latitude,
    lng: Longitude,
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type NearbyStoresQuery = z.infer<typeof NearbyStoresQuery>;

export const StoreDto = z.object({
  id: z.string(),
  name: z.string(),
  city: z.string(),
  district: z.string(),
  address: z.string(),
  lat: z.number(),
  lng: z.number(),
  phone: z.string(),
  openHours: z.string(),
  /** Metres from the asked point, when a point was given. */
  distanceM: z.number().int().optional(),
  /** The store's delivery rules (同城配送). */
  delivery: DeliveryConfigDto.optional(),
  /** The asked point is inside the store's delivery radius (only when a point was given). */
  deliverable: z.boolean().optional(),
});
export type StoreDto = z.infer<typeof StoreDto>;

export const StoresResponse = z.object({ stores: z.array(StoreDto) });
export type StoresResponse = z.infer<typeof StoresResponse>;
