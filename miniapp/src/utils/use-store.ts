import type { StoreDto } from '@linli/contracts';
import { useEffect, useState } from 'react';
import { api } from '../services/api';
import { useDevicePoint } from '../store/location';
import { locate } from './location';

/** Stores fetched this session, by id and point (a store's details change rarely; the BFF caches a minute too). */
const cache = new Map<string, StoreDto>();
const keyOf = (id: string, p: { lat: number; lng: number } | null) => (p ? `${id}@${p.lat.toFixed(4)},${p.lng.toFixed(4)}` : id);

/**
 * A store for a store card: `initial` (from the page's own answer) at once; fetched
 * (`GET /stores/:id?lat&lng`) when the page has none, or when the device's location is known and
 * `initial` lacks the distance. With `ask`, a location not asked for yet in this session is asked.
 */
export function useStoreInfo(storeId: string | undefined, initial?: StoreDto | null, ask = false): { store: StoreDto | null; failed: boolean } {
  const point = useDevicePoint();
  const here = point && !point.refused ? { lat: point.lat, lng: point.lng } : null;
  const [fetched, setFetched] = useState<StoreDto | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (ask && point === null) void locate();
  }, [ask, point === null]);

  useEffect(() => {
    setFailed(false);
    if (!storeId) return undefined;
    if (initial?.id === storeId && (!here || initial.distanceM !== undefined)) return undefined;
    const key = keyOf(storeId, here);
    const hit = cache.get(key);
    if (hit) {
      setFetched(hit);
      return undefined;
    }
    let live = true;
    api
      .store(storeId, here)
      .then((r) => {
        cache.set(key, r.store);
        if (live) setFetched(r.store);
      })
      .catch(() => {
        if (live) setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [storeId, here?.lat, here?.lng, initial?.id, initial?.distanceM]);

  const store = fetched?.id === storeId ? fetched : initial?.id === storeId ? initial : null;
  return { store: store ?? null, failed: failed && !store };
}
