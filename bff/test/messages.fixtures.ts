import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionContext } from 'ava';
import { createMockHost } from '@linli/mock/app';
import { loadMockConfig } from '@linli/mock/config';
import type { Host } from '@linli/mock/host';
import type { OutboxEntry, OutboxEventType } from '../src/common/outbox.js';
import type { Services } from '../src/core.js';
import { startTestApp, type TestApp } from './helpers.js';

/** Starts the mock host on 127.0.0.1:0; closed when the test ends. */
export async function startMockHost(t: ExecutionContext): Promise<{ url: string; host: Host }> {
  const { app, host } = createMockHost(loadMockConfig({ LOG_LEVEL: 'silent', MOCK_PORT: '0' }));
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, host };
}

/**
 * The BFF talking to its own mock host, and the environment a cloud function needs to reach it.
 * Without `seed`, only the three demo customers are written (messages need nothing else), which
 * keeps these tests quick.
 */
export async function startStack(
  t: ExecutionContext,
  opts: { env?: Record<string, string>; seed?: boolean; overrides?: Partial<Services> } = {},
): Promise<{ app: TestApp; mock: { url: string; host: Host }; fnEnv: Record<string, string> }> {
  const mock = await startMockHost(t);
  const app = await startTestApp(t, { seed: opts.seed, overrides: opts.overrides, env: { MOCK_HOST_URL: mock.url, ...opts.env } });
  if (!opts.seed) {
    const now = new Date();
    await app.core.m.User.collection.insertMany(
      Object.values(USERS).map((u) => ({ _id: u.id, openid: u.openid, unionid: null, nickname: u.openid, avatar: '', roles: ['customer'], clerkStoreIds: [], phone: null, memberCardNo: null, createdAt: now, updatedAt: now })) as never[],
    );
  }
  return { app, mock, fnEnv: { BFF_URL: app.url, INTERNAL_TOKEN: app.config.INTERNAL_TOKEN, LOG_LEVEL: 'silent' } };
}

/** An outbox entry as a state change of another module writes it. */
export function entry(type: OutboxEventType, refId: string, userId: string, data: Record<string, string> = {}, createdAt = new Date()): OutboxEntry {
  return { key: `${type}:${refId}:${userId}`, type, userId, data, page: `pages/orders/index?ref=${refId}`, createdAt };
}

/** Pushes entries onto a document of `orders` or `groups` (creating a bare document when missing), as the owning module's update would. */
export async function pushOutbox(app: TestApp, collection: 'orders' | 'groups', docId: string, entries: OutboxEntry[]): Promise<void> {
  await app.core.conn.db!.collection<{ _id: string }>(collection).updateOne({ _id: docId }, { $push: { outbox: { $each: entries } } } as never, { upsert: true });
}

/** The user accepts templates both where the host records it and in the BFF, as the miniapp does after requestSubscribeMessage. */
export async function consent(app: TestApp, host: Host, user: { id: string; openid: string }, templateIds: string[], times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    host.parts.subscribe.accept(user.openid, templateIds);
    await app.core.services.messages.consent.record(user.id, templateIds);
  }
}

export const USERS = {
  alice: { id: 'u_demo-alice', openid: 'demo-alice' },
  bob: { id: 'u_demo-bob', openid: 'demo-bob' },
  carol: { id: 'u_demo-carol', openid: 'demo-carol' },
} as const;
