import { createTinyStore, useTinyStore } from './tiny-store';

/** Where the device is, as last located: `refused` when the host gave no location (permission or error). */
export type DevicePoint = { lat: number; lng: number; refused: false } | { refused: true };

/** The last location answer of this session (null before any was asked). Not persisted: it changes. */
export const devicePoint = createTinyStore<DevicePoint | null>(null);
export const useDevicePoint = () => useTinyStore(devicePoint);
