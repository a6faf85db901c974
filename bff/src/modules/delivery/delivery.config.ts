import type { DeliveryConfigDto } from '@linli/contracts';
import { DEFAULT_STORE_TIME_ZONE } from '../../common/time.js';

/**
 * A store's delivery rules when it names none (or only some): 3 km from the store, ¥5 fee, free from
 * ¥39 of goods, ¥20 minimum, 08:00–22:00 in hour slots, 30 minutes to pick and pack, China time.
 */
export const DEFAULT_DELIVERY: Readonly<DeliveryConfigDto> = Object.freeze({
  enabled: true,
  radiusM: 3000,
  feeCents: 500,
  freeOverCents: 3900,
  minOrderCents: 2000,
  hours: { open: '08:00', close: '22:00' },
  slotMinutes: 60,
  prepMinutes: 30,
  timeZone: DEFAULT_STORE_TIME_ZONE,
});

/** The store's stored delivery fields over the defaults (a store saved before delivery existed gets them all). */
export function deliveryConfigOf(stored: Partial<DeliveryConfigDto> | null | undefined): DeliveryConfigDto {
  const s = stored ?? {};
  const pick = <K extends keyof DeliveryConfigDto>(k: K): DeliveryConfigDto[K] => (s[k] === undefined || s[k] === null ? DEFAULT_DELIVERY[k] : s[k]) as DeliveryConfigDto[K];
  return {
    enabled: pick('enabled'),
    radiusM: pick('radiusM'),
    feeCents: pick('feeCents'),
    freeOverCents: s.freeOverCents === null ? null : pick('freeOverCents'),
    minOrderCents: pick('minOrderCents'),
    hours: { open: s.hours?.open ?? DEFAULT_DELIVERY.hours.open, close: s.hours?.close ?? DEFAULT_DELIVERY.hours.close },
    slotMinutes: pick('slotMinutes'),
    prepMinutes: pick('prepMinutes'),
    timeZone: pick('timeZone'),
  };
}
