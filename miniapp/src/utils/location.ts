import Taro from '@tarojs/taro';
import { devicePoint } from '../store/location';

/** The default point when the host gives no location (People's Square, Shanghai). */
export const DEFAULT_POINT = { lat: 31.23, lng: 121.47 } as const;

/** The user's location, or the default point when refused, unavailable or slower than `timeoutMs`. */
export async function locate(timeoutMs = 3000): Promise<{ lat: number; lng: number; fallback: boolean }> {
  const fallback = { ...DEFAULT_POINT, fallback: true };
  try {
    const got = Taro.getLocation({ type: process.env.TARO_ENV === 'weapp' ? 'gcj02' : 'wgs84' }).then((r) => ({ lat: r.latitude, lng: r.longitude, fallback: false }));
    const late = new Promise<typeof fallback>((resolve) => setTimeout(() => resolve(fallback), timeoutMs));
    const r = await Promise.race([got.catch(() => fallback), late]);
    devicePoint.set(r.fallback ? { refused: true } : { lat: r.lat, lng: r.lng, refused: false });
    return r;
  } catch {
    devicePoint.set({ refused: true });
    return fallback;
  }
}
