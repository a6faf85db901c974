import type { LinliModule } from './module.js';
import { healthModule } from './health/index.js';
import { storeModule } from './store/index.js';
import { devModule } from './dev/index.js';

/** Every module of the BFF, in mount order. Add one line when a module is added. */
export const modules: LinliModule[] = [healthModule, storeModule, devModule];
