import type { Connection } from 'mongoose';
import type { Config } from './config.js';
import type { Clock } from './common/clock.js';
import type { Logger } from './common/logger.js';
import type { Models } from './models.js';

/**
 * The services of every module, filled in by the modules themselves. A module adds its own entry by
 * declaration merging (`declare module '../../core.js' { interface Services { order: OrderService } }`),
 * so no module edits another's types. Services call each other through `core.services` at call time.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Services {}

/** What the app is built from: given by the caller of createApp, so tests inject their own. */
export interface Deps {
  conn: Connection;
  clock: Clock;
  logger: Logger;
  /** Extra strategies (payment provider, host client, message sender) that tests may replace. */
  overrides?: Partial<Services>;
}

/** Everything a service needs; never the Koa context. */
export interface Core {
  config: Config;
  conn: Connection;
  m: Models;
  clock: Clock;
  logger: Logger;
  services: Services;
}
