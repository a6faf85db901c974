import type { Connection } from 'mongoose';
import type { Config } from '../../config.js';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { MessageSender } from './message-sender.js';
import type { MessageModels } from './message.model.js';

/** What the messages module is built with. */
export interface MessagesDeps {
  m: MessageModels;
  clock: Clock;
  logger: Logger;
  config: Config;
  /** The outbox sources (orders, groups) are read through the raw connection: the relay never writes them. */
  conn: Connection;
  sender: MessageSender;
  storeName(storeId: string): Promise<string | null>;
  /** Host openids of users, by user id (one batched read). */
  openids(userIds: string[]): Promise<Map<string, string>>;
}
