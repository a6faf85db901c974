import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { OffsetClock } from '../src/common/clock.js';
import { connectDb } from '../src/common/db.js';
import { createLogger } from '../src/common/logger.js';
import type { Core, Services } from '../src/core.js';

export interface TestApp {
  url: string;
  api: TestAgent;
  core: Core;
  clock: OffsetClock;
  config: Config;
  server: http.Server;
  dbName: string;
}

/** The database every test file shares (started by `npm test`); each file takes its own name in it. */
export function testMongoUrl(): string {
  const url = process.env.MONGO_URL;
  if (!url) throw new Error('MONGO_URL is not set: run tests through `npm test` (it starts a private database)');
  return url;
}

/** A unique database name for one test app. */
export function uniqueDbName(prefix = 't'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/**
 * Builds the BFF on its own database with an injectable clock, listens on 127.0.0.1:0, and tears
 * everything down (database dropped) when the test file ends.
 */
export async function startTestApp(
  t: ExecutionContext,
  opts: { env?: Record<string, string>; overrides?: Partial<Services>; seed?: boolean } = {},
): Promise<TestApp> {
  const dbName = uniqueDbName();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', MONGO_URL: testMongoUrl(), DB_NAME: dbName, ALLOW_TEST_CLOCK: '1', ...opts.env });
  const conn = await connectDb(config.MONGO_URL, dbName);
  const clock = new OffsetClock();
  const { app, core } = await createApp(config, { conn, clock, logger: createLogger('silent'), overrides: opts.overrides });
  if (opts.seed) {
    const { seed } = await import('@linli/mock/seed/seed');
    await seed(conn, core.m);
  }
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  t.teardown(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await conn.dropDatabase().catch(() => {});
    await conn.close();
  });
  return { url: `http://127.0.0.1:${port}`, api: supertest(server), core, clock, config, server, dbName };
}

/** An access token for a user, signed as the BFF would after login (for tests not about login). */
export async function tokenFor(
  app: TestApp,
  user: { id: string; roles?: ('customer' | 'clerk' | 'admin')[]; storeIds?: string[] },
): Promise<string> {
  const { signAccessToken } = await import('../src/common/auth.js');
  return signAccessToken(app.config, app.clock, { id: user.id, roles: user.roles ?? ['customer'], storeIds: user.storeIds ?? [] });
}

/** Demo user ids as the seed writes them. */
export const DEMO = {
  alice: 'u_demo-alice',
  bob: 'u_demo-bob',
  carol: 'u_demo-carol',
  clerk: 'u_demo-clerk',
  admin: 'u_demo-admin',
} as const;
