import type { Scenario } from '../lib.js';
import { catalogScenario } from './catalog.js';
import { groupsScenario } from './groups.js';
import { bundleScenario } from './bundle.js';
import { stockScenario } from './stock.js';
import { notifyScenario } from './notify.js';
import { dbScenario } from './db.js';

/**
 * Every scenario of `npm run bench`, run in this order against one seeded BFF. Add a file exporting
 * a `Scenario` ({name, run(ctx) → rows}) and one line here. Scenarios that change data (orders, joins)
 * should work on their own store, product or deal so they do not disturb the others' numbers.
 */
export const scenarios: Scenario[] = [catalogScenario, groupsScenario, bundleScenario, stockScenario, notifyScenario, dbScenario];
