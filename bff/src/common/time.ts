import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * Business times (a store's "today", times shown to people) are in the store's zone, whatever the
 * zone of the server. The API itself stays ISO 8601 UTC. Every chain we seed is in China.
 */
export const DEFAULT_STORE_TIME_ZONE = 'Asia/Shanghai';

/**
 * The store's wall clock at `at`, as a UTC-mode dayjs: its fields (year … minute) are the store's.
 * Built from the zone's offset at that instant rather than with `.tz(zone)` alone, whose fields and
 * `startOf` go through the host's own zone and so shift by an hour on the host's DST days.
 */
export function storeWallClock(at: Date | number, zone: string = DEFAULT_STORE_TIME_ZONE): Dayjs {
  const ms = typeof at === 'number' ? at : at.getTime();
  return dayjs.utc(ms + dayjs(ms).tz(zone).utcOffset() * 60_000);
}

/** Midnight (as an instant) that starts the store's calendar day containing `at`, in `zone`. */
export function startOfStoreDay(at: Date, zone: string = DEFAULT_STORE_TIME_ZONE): Date {
  return dayjs.tz(storeWallClock(at, zone).format('YYYY-MM-DD'), zone).toDate();
}

/** True when both instants fall on the same calendar day in the store's zone. */
export function isSameStoreDay(a: Date, b: Date, zone: string = DEFAULT_STORE_TIME_ZONE): boolean {
  return storeWallClock(a, zone).format('YYYY-MM-DD') === storeWallClock(b, zone).format('YYYY-MM-DD');
}

/** `at` on the store's wall clock in a dayjs pattern of date and time tokens (default `YYYY-MM-DD HH:mm`). */
export function formatStoreTime(at: Date, pattern = 'YYYY-MM-DD HH:mm', zone: string = DEFAULT_STORE_TIME_ZONE): string {
  return storeWallClock(at, zone).format(pattern);
}

/** The store's calendar day of `at`, `YYYY-MM-DD` in its zone. */
export function storeDay(at: Date, zone: string = DEFAULT_STORE_TIME_ZONE): string {
  return storeWallClock(at, zone).format('YYYY-MM-DD');
}

/** The instant the store's wall clock reads `hhmm` (`HH:mm`, `24:00` = next midnight) on `day` (`YYYY-MM-DD`). */
export function storeInstant(day: string, hhmm: string, zone: string = DEFAULT_STORE_TIME_ZONE): Date {
  if (hhmm === '24:00') return dayjs.tz(`${dayjs.utc(day).add(1, 'day').format('YYYY-MM-DD')} 00:00`, zone).toDate();
  return dayjs.tz(`${day} ${hhmm}`, zone).toDate();
}

/** The store's calendar day `n` days after `day` (`YYYY-MM-DD`). */
export function addStoreDays(day: string, n: number): string {
  return dayjs.utc(day).add(n, 'day').format('YYYY-MM-DD');
}
