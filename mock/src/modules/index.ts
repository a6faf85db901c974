import type { HostModule } from '../host.js';

/** Every area of the emulated host, in mount order. Add one line when a module is added. */
export const hostModules: HostModule[] = [];
