import type { Connection } from 'mongoose';
import type { Config } from './config.js';
import type { Clock } from './common/clock.js';
import type { DomainEvents } from './common/events.js';
import type { Logger } from './common/logger.js';
import type { Models, Services, Strategies } from './composition.js';

export type { Models, Services, Strategies };

/** What the app is built from: given by the caller of createApp, so tests inject their own. */
export interface Deps {
  conn: Connection;
  clock: Clock;
  logger: Logger;
  /** Strategies (payment provider, host client, message sender) and ports that tests may replace. */
  overrides?: Strategies;
}

/**
 * The built app's parts, for the server, tests and benches: every service as composed, and every
 * module's models. Services themselves never see this: each is given its own ports.
 */
export interface Core {
  config: Config;
  conn: Connection;
  m: Models;
  clock: Clock;
  logger: Logger;
  events: DomainEvents;
  services: Services;
}
