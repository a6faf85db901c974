import { randomInt, timingSafeEqual } from 'node:crypto';

/** Delivery codes: 8 random digits from the system's CSPRNG (10^8 codes; guessing is capped by the failure limiter). */
export const DELIVERY_CODE = /^\d{8}$/;

export function newDeliveryCode(): string {
  return String(randomInt(0, 100_000_000)).padStart(8, '0');
}

/** Compares a presented code with the order's in constant time. */
export function sameCode(presented: string, expected: string | null | undefined): boolean {
  if (!expected || !DELIVERY_CODE.test(presented) || presented.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(presented), Buffer.from(expected));
}
