import type { MapPlace } from '../host/types';

/**
 * The map site's marker page for a place, for browsers (the h5 host): AMap's URI API, which needs no
 * key; the store coordinates are taken as the map's own (GCJ-02), as the super-app's map uses them.
 */
export function mapUrl(p: MapPlace): string {
  const q = new URLSearchParams({ position: `${p.lng},${p.lat}`, name: `${p.name} ${p.address}`.trim(), src: 'linli', coordinate: 'gaode', callnative: '0' });
  return `https://uri.amap.com/marker?${q.toString()}`;
}
