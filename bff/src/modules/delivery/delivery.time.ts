import type { DeliveryConfigDto, DeliverySlotDto } from '@linli/contracts';
import { addStoreDays, formatStoreTime, storeDay, storeInstant } from '../../common/time.js';

/** How fast a courier rides, for the ETA: 15 km/h. */
const COURIER_M_PER_MIN = 250;
/** How many store days of slots are offered: today and tomorrow. */
const SLOT_DAYS = 2;

type Rules = Pick<DeliveryConfigDto, 'hours' | 'slotMinutes' | 'prepMinutes' | 'timeZone'>;

/** The store's delivery window on `day` as instants: [open, close). */
export function deliveryWindow(day: string, c: Rules): { open: Date; close: Date } {
  return { open: storeInstant(day, c.hours.open, c.timeZone), close: storeInstant(day, c.hours.close, c.timeZone) };
}

/** Whether `at` falls inside the store's delivery hours (its own wall clock, its own zone). */
export function insideDeliveryHours(at: Date, c: Rules): boolean {
  const w = deliveryWindow(storeDay(at, c.timeZone), c);
  return at >= w.open && at < w.close;
}

/**
 * The slots still open at `now`, today and tomorrow in the store's zone: [start, end) every
 * `slotMinutes` from `open` until `close`, each starting at least `prepMinutes` after now (the time
 * to pick and pack). Labels are on the store's wall clock: `今天 14:00-15:00`, `明天 09:00-10:00`.
 */
export function deliverySlots(now: Date, c: Rules): DeliverySlotDto[] {
  const today = storeDay(now, c.timeZone);
  const earliest = now.getTime() + c.prepMinutes * 60_000;
  const out: DeliverySlotDto[] = [];
  for (let d = 0; d < SLOT_DAYS; d++) {
    const day = addStoreDays(today, d);
    const { open, close } = deliveryWindow(day, c);
    for (let start = open.getTime(); start + c.slotMinutes * 60_000 <= close.getTime(); start += c.slotMinutes * 60_000) {
      if (start < earliest) continue;
      const s = new Date(start);
      const e = new Date(start + c.slotMinutes * 60_000);
      const label = `${d === 0 ? '今天' : '明天'} ${formatStoreTime(s, 'HH:mm', c.timeZone)}-${formatStoreTime(e, 'HH:mm', c.timeZone)}`;
      out.push({ start: s.toISOString(), end: e.toISOString(), label });
    }
  }
  return out;
}

/** Minutes from now to the door for 尽快送达: pick and pack, then the ride, rounded up to 5 minutes. */
export function etaMinutes(distanceM: number, c: Pick<Rules, 'prepMinutes'>): number {
  return Math.ceil((c.prepMinutes + distanceM / COURIER_M_PER_MIN) / 5) * 5;
}
