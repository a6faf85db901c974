import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { OffsetClock } from '../src/common/clock.js';
import { connectDb, type DbOptions } from '../src/common/db.js';
import { createLogger } from '../src/common/logger.js';
import type { Core, Strategies } from '../src/core.js';

export interface TestApp {
  url: string;
  api: TestAgent;
  core: Core;
  clock: OffsetClock;
  config: Config;
  server: http.Server;
  dbName: string;
}

/** Serves a Koa app on 127.0.0.1 at a free port until the test ends (ava runs teardowns last-in, first-out). */
async function listenOnLoopback(t: ExecutionContext, app: { callback(): http.RequestListener }): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  t.teardown(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { server, port: (server.address() as AddressInfo).port };
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
  opts: { env?: Record<string, string>; overrides?: Strategies; seed?: boolean; db?: DbOptions } = {},
): Promise<TestApp> {
  const dbName = uniqueDbName();
  // A generous request deadline: a loaded test machine must not turn slow requests into 503s (deadline tests set their own).
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', MONGO_URL: testMongoUrl(), DB_NAME: dbName, ALLOW_TEST_CLOCK: '1', REQUEST_DEADLINE_MS: '120000', ...opts.env });
  const conn = await connectDb(config.MONGO_URL, dbName, opts.db);
  // Registered before the server's, so it runs after the server has closed.
  t.teardown(async () => {
    await conn.dropDatabase().catch(() => {});
    await conn.close();
  });
  const clock = new OffsetClock();
  const { app, core } = await createApp(config, { conn, clock, logger: createLogger('silent'), overrides: opts.overrides });
  if (opts.seed) {
    const { seed } = await import('@linli/mock/seed/seed');
    await seed(conn, core.m);
  }
  const { server, port } = await listenOnLoopback(t, app);
  return { url: `http://127.0.0.1:${port}`, api: supertest(server), core, clock, config, server, dbName };
}

/**
 * An access token for a user, signed as the BFF would after login (for tests not about login). As
 * after a login, the user exists: one is inserted when missing (the BFF refuses tokens of unknown
 * users), and the token carries the user's current token version.
 */
export async function tokenFor(
  app: TestApp,
  user: { id: string; roles?: ('customer' | 'clerk' | 'admin')[]; storeIds?: string[] },
): Promise<string> {
  const { signAccessToken } = await import('../src/common/auth.js');
  const roles = user.roles ?? ['customer'];
  const storeIds = user.storeIds ?? [];
  const doc = await ensureUser(app.core.m.User, user.id, roles, storeIds);
  return signAccessToken(app.config, app.clock, { id: user.id, roles, storeIds, ver: doc.tokenVersion ?? 0 });
}

/** The user with this id, inserted (as a login would make it, openid from the id) when missing. */
export async function ensureUser(
  User: TestApp['core']['m']['User'],
  id: string,
  roles: string[] = ['customer'],
  storeIds: string[] = [],
): Promise<{ tokenVersion?: number | null }> {
  const found = await User.findById(id, { tokenVersion: 1 }).lean();
  if (found) return found;
  const now = new Date();
  try {
    await User.collection.insertOne({
      _id: id,
      openid: id.startsWith('u_') ? id.slice(2) : `t-${id}`,
      unionid: null,
      nickname: id,
      avatar: '',
      roles,
      clerkStoreIds: storeIds,
      phone: null,
      memberCardNo: null,
      tokenVersion: 0,
      createdAt: now,
      updatedAt: now,
    } as never);
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
  return (await User.findById(id, { tokenVersion: 1 }).lean()) ?? {};
}

/** Demo user ids as the seed writes them. */
export const DEMO = {
  alice: 'u_demo-alice',
  bob: 'u_demo-bob',
  carol: 'u_demo-carol',
  clerk: 'u_demo-clerk',
  admin: 'u_demo-admin',
} as const;

/** The mock super-app host running inside the test process (see startMockHost). */
export interface TestMockHost {
  url: string;
  host: import('@linli/mock/host').Host;
  /** Moves the host's clock forward (one-time codes expire after 5 minutes of host time). */
  advance(ms: number): void;
  /** A one-time login code, as `wx.login` would give the miniapp. */
  loginCode(openid: string): string;
  /** A one-time getPhoneNumber code for that phone. */
  phoneCode(openid: string, phone: string): string;
  /** What the host delivered (SMS by phone, subscription messages by openid), oldest first. */
  inbox(to: { openid?: string; phone?: string }): import('@linli/mock/modules/inbox').InboxMessage[];
}

/**
 * Starts the mock host in this process on 127.0.0.1:0 with its own clock offset; closed when the
 * test ends. Pass `mock.url` to the BFF as MOCK_HOST_URL (or use startTestAppWithHost).
 */
export async function startMockHost(t: ExecutionContext, env: Record<string, string> = {}): Promise<TestMockHost> {
  const { createMockHost } = await import('@linli/mock/app');
  const { loadMockConfig } = await import('@linli/mock/config');
  let offset = 0;
  const { app, host } = createMockHost(loadMockConfig({ LOG_LEVEL: 'silent', MOCK_PORT: '0', ...env }), { now: () => Date.now() + offset });
  const { port } = await listenOnLoopback(t, app);
  return {
    url: `http://127.0.0.1:${port}`,
    host,
    advance: (ms) => {
      offset += ms;
    },
    loginCode: (openid) => host.parts.login.issueCode(openid),
    phoneCode: (openid, phone) => host.parts.phone.issueCode(openid, phone),
    inbox: (to) => host.parts.inbox.list(to),
  };
}

/** A BFF wired to a fresh in-process mock host (its MOCK_HOST_URL points there). */
export async function startTestAppWithHost(
  t: ExecutionContext,
  opts: { env?: Record<string, string>; overrides?: Strategies; seed?: boolean } = {},
): Promise<{ app: TestApp; mock: TestMockHost }> {
  const mock = await startMockHost(t);
  const app = await startTestApp(t, { ...opts, env: { MOCK_HOST_URL: mock.url, ...opts.env } });
  return { app, mock };
}

/**
 * Logs in through the real flow (host login code → POST /auth/login) and answers the tokens, the
 * user and a ready `Authorization` header value. An unknown openid becomes a new customer.
 */
export async function loginAs(
  app: TestApp,
  mock: TestMockHost,
  openid: string,
): Promise<{ accessToken: string; refreshToken: string; user: { id: string; roles: string[]; clerkStoreIds: string[]; nickname: string }; auth: string }> {
  const res = await app.api.post('/api/v1/auth/login').send({ code: mock.loginCode(openid) });
  if (res.status !== 200) throw new Error(`login of ${openid} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...res.body, auth: `Bearer ${res.body.accessToken}` };
}

/**
 * The money path's test stack: a BFF and an in-process mock host whose payment notifications go to
 * this BFF, with fast notification retries. `pay` is the host's payment platform (confirm, state,
 * signed notifications); `auth(userId)` is an Authorization header for that customer.
 */
export async function startPayStack(
  t: ExecutionContext,
  opts: { mockEnv?: Record<string, string>; env?: Record<string, string>; overrides?: Strategies; db?: DbOptions } = {},
) {
  const mock = await startMockHost(t, { PAY_NOTIFY_MIN_MS: '30', PAY_NOTIFY_MAX_MS: '500', PAY_NOTIFY_RETRIES: '40', PAY_REFUND_DELAY_MS: '50', ...opts.mockEnv });
  const app = await startTestApp(t, { seed: true, overrides: opts.overrides, db: opts.db, env: { MOCK_HOST_URL: mock.url, ...opts.env } });
  const pay = mock.host.parts.pay;
  pay.notifyUrlOverride = `${app.url}/api/v1/pay/notify`;
  t.teardown(() => pay.stop());
  /** Moves both clocks (BFF and host) forward together. */
  const advance = (ms: number) => {
    app.clock.advance(ms);
    mock.advance(ms);
  };
  const auth = async (userId: string) => `Bearer ${await tokenFor(app, { id: userId })}`;
  return { app, mock, pay, advance, auth };
}

/**
 * Seeds only some collections of the demo chain (the same documents `seed: true` writes), for tests
 * that need demo users, stores or member cards but not the whole catalog: much faster.
 */
export async function seedSome(app: TestApp, parts: ('stores' | 'users' | 'memberCards')[]): Promise<void> {
  const { generateChain } = await import('@linli/mock/seed/generate');
  const { bumpVersion } = await import('../src/common/versioned-cache.js');
  const chain = generateChain();
  const now = new Date();
  const stamp = <T extends object>(docs: T[]) => docs.map((d) => ({ createdAt: now, updatedAt: now, ...d }));
  if (parts.includes('stores')) {
    await app.core.m.Store.collection.insertMany(stamp(chain.stores) as never[]);
    await bumpVersion(app.core.m.CatalogMeta, 'stores');
  }
  if (parts.includes('users')) await app.core.m.User.collection.insertMany(stamp(chain.users) as never[]);
  if (parts.includes('memberCards')) await app.core.m.MemberCard.collection.insertMany(stamp(chain.memberCards) as never[]);
}

/** Polls until `fn` answers something truthy (then returns it), or throws after `ms`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const bffDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Runs `bff/src/server.ts` as a child process with `env` on top of this one's (PORT 0 unless given:
 * it listens on a free port) and resolves with the process and its URL once it listens. `spawned`
 * sees the process at once, so a caller can kill it (by its pid) even if it never listens. The child
 * also exits when its stdin closes, so it never outlives a test process that died without teardown.
 * Rejects with the process's output if it exits before listening.
 */
export async function spawnBff(env: Record<string, string>, spawned?: (child: ChildProcess) => void): Promise<{ child: ChildProcess; url: string }> {
  const boot = "process.stdin.on('end', () => process.exit(1)).resume(); await import('./src/server.ts');";
  const child = spawn(process.execPath, ['--import=tsx', '--input-type=module', '--eval', boot], { cwd: bffDir, env: { ...process.env, PORT: '0', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  spawned?.(child);
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) => reject(new Error(`BFF exited (${code ?? signal}) before listening: ${out}`));
    child.once('exit', onExit);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /BFF (http:\/\/\S+:\d+)/.exec(out);
      if (m) {
        child.off('exit', onExit);
        resolve(m[1]);
      }
    });
    child.stderr!.on('data', (d) => (out = (out + d).slice(-20_000)));
  });
  return { child, url };
}
