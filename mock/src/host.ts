import type Router from '@koa/router';
import type { Logger } from 'pino';
import type { MockConfig } from './config.js';

/**
 * State and helpers shared by the host's modules. Each module adds its own part by declaration
 * merging (`declare module '../host.js' { interface HostParts { pay: PayPart } }`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface HostParts {}

export interface Host {
  config: MockConfig;
  logger: Logger;
  /** Milliseconds since epoch; tests may shift it. */
  now(): number;
  parts: HostParts;
}

/** One area of the emulated platform (login, phone, pay, messages, …) and its routes. */
export interface HostModule {
  name: string;
  part?: (host: Host) => Partial<HostParts>;
  routes?: (host: Host) => Router;
}
