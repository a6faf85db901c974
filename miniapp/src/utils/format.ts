import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** ¥12.90 from 1290 cents. */
export function yuan(cents: number): string {
  return `¥${(cents / 100).toFixed(2)}`;
}

/** 350m / 1.2km */
export function distance(m?: number): string {
  if (m === undefined) return '';
  return m < 1000 ? `${m}m` : `${(m / 1000).toFixed(1)}km`;
}

/** Times are shown in the store's zone, so every phone shows the same pickup time whatever its own zone. */
export const STORE_TIME_ZONE = 'Asia/Shanghai';

/** Offsets of zones without daylight saving, for a runtime whose Intl knows no time zones. */
const FIXED_OFFSET_MINUTES: Record<string, number> = { 'Asia/Shanghai': 480, 'Asia/Hong_Kong': 480, 'Asia/Taipei': 480, UTC: 0 };

function offsetMinutes(ms: number, zone: string): number {
  try {
    return dayjs(ms).tz(zone).utcOffset();
  } catch (err) {
    if (zone in FIXED_OFFSET_MINUTES) return FIXED_OFFSET_MINUTES[zone];
    throw err;
  }
}

/**
 * `at` on the store's wall clock as a dayjs pattern of date and time tokens. Works from the zone's
 * offset at that instant (a UTC-mode dayjs), because `.tz(zone).format()` goes through the phone's
 * own zone and is an hour off in the phone's daylight-saving gap.
 */
export function storeTime(at: string | number | Date, pattern: string, zone: string = STORE_TIME_ZONE): string {
  const ms = dayjs(at).valueOf();
  if (Number.isNaN(ms)) return '';
  return dayjs.utc(ms + offsetMinutes(ms, zone) * 60_000).format(pattern);
}

/** 11-22 14:05 in the store's zone. */
export function shortTime(at: string | Date): string {
  return storeTime(at, 'MM-DD HH:mm');
}

/** 123456789012 → 1234 5678 9012 */
export function groupDigits(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}
