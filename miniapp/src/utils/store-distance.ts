/** Beyond this a pickup store is "far": the confirm page and the store card say so. */
export const FAR_STORE_M = 5000;

/** True when the store is known to be more than 5 km away. */
export function isFar(distanceM: number | undefined | null): boolean {
  return typeof distanceM === 'number' && distanceM > FAR_STORE_M;
}
