import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config.js';
import type { BenchContext, Row, Scenario } from '../lib.js';

const SCENARIO = 'groups';
const RUSH_USERS = Number(process.env.BENCH_GROUP_RUSH ?? 2000);
const RUSH_SIZE = 5;
const MANY_GROUPS = Number(process.env.BENCH_GROUP_COUNT ?? 50);
const MANY_JOINS = MANY_GROUPS * (RUSH_SIZE - 1);
const DEAL_ID = 'DBENCHGROUPS';
const PRODUCT_ID = 'P0001';

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0);
const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Joins need the host's prepay (orders are created with payment parameters). When the configured
 * mock host is not up, one is started in this process on its address for the scenario's length.
 */
async function ensureMockHost(ctx: BenchContext): Promise<() => Promise<void>> {
  const url = new URL(loadConfig().MOCK_HOST_URL);
  const up = await fetch(new URL('/healthz', url)).then((r) => r.ok, () => false);
  if (up) return async () => {};
  const { createMockHost } = await import('@linli/mock/app');
  const { loadMockConfig } = await import('@linli/mock/config');
  const { app } = createMockHost(loadMockConfig({ LOG_LEVEL: 'silent', MOCK_PORT: url.port }));
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(Number(url.port), url.hostname, resolve));
  ctx.log(`groups: started a mock host on ${url.hostname}:${(server.address() as AddressInfo).port} for prepay`);
  return async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
}

/** Open groups of one deal written straight into the database: the leader has paid, `size - 1` seats are left. */
async function openGroups(ctx: BenchContext, storeId: string, n: number, size: number): Promise<string[]> {
  const now = new Date();
  const docs = Array.from({ length: n }, (_, i) => {
    const leaderId = `u_bench-leader-${randomBytes(4).toString('hex')}-${i}`;
    return {
      _id: `g_bench${randomBytes(12).toString('base64url')}`,
      dealId: DEAL_ID,
      storeId,
      productId: PRODUCT_ID,
      leaderId,
      size,
      status: 'open',
      seatsLeft: size - 1,
      paidCount: 1,
      seats: { [leaderId]: { userId: leaderId, orderId: `o_bench${i}`, status: 'paid', leader: true, holdUntil: now, joinedAt: now, paidAt: now, shareId: null } },
      expiresAt: new Date(now.getTime() + 3600_000),
      openedAt: now,
      closedAt: null,
      warnedAt: null,
      outbox: [],
    };
  });
  await ctx.models.Group.insertMany(docs);
  return docs.map((d) => d._id);
}

async function users(ctx: BenchContext, prefix: string, n: number): Promise<{ id: string; auth: string }[]> {
  const docs = Array.from({ length: n }, (_, i) => ({ _id: `u_${prefix}${i}`, openid: `${prefix}${i}`, nickname: `压测${i}`, avatar: '/a.png', roles: ['customer'] }));
  await ctx.models.User.insertMany(docs);
  return Promise.all(docs.map(async (d) => ({ id: d._id, auth: `Bearer ${await ctx.tokenFor(d._id)}` })));
}

/**
 * The load generator's client: node:http with a keep-alive agent and no socket limit. Measured here
 * against a server answering from memory, 2,000 simultaneous fetch() calls take p99 ≈ 2.2 s and
 * node:http ≈ 1.3 s (the connections are new either way): fetch alone would spend the rush budget.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function post(url: string, auth: string | undefined, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    if (auth) headers.authorization = auth;
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function timedPost(url: string, auth?: string): Promise<{ status: number; code?: string; ms: number }> {
  const t0 = performance.now();
  try {
    const res = await post(url, auth, '{}');
    let code: string | undefined;
    try {
      code = (JSON.parse(res.text) as { error?: { code?: string } }).error?.code;
    } catch {
      code = undefined;
    }
    return { status: res.status, code, ms: performance.now() - t0 };
  } catch {
    // A connection the listen backlog refused: counted, not fatal (the seats are what is checked).
    return { status: 0, code: 'NETWORK', ms: performance.now() - t0 };
  }
}

const timedJoin = (ctx: BenchContext, groupId: string, auth: string) => timedPost(`${ctx.bffUrl}/api/v1/groups/${groupId}/join`, auth);

/**
 * The floor of the rush on this machine: the same client, the same number of simultaneous POSTs, to
 * the bare route (the BFF's process, no middleware) answering the GROUP_FULL body from memory.
 */
async function bareRush(ctx: BenchContext, n: number): Promise<{ p50: number; p99: number; ok: number }> {
  const key = 'groups-rush-full';
  const body = JSON.stringify({ error: { code: 'GROUP_FULL', message: 'This group has no seats left' } });
  await fetch(`${ctx.bareUrl}/bytes/${key}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
  const res = await Promise.all(Array.from({ length: n }, () => timedPost(`${ctx.bareUrl}/bytes/${key}`)));
  const lat = res.map((r) => r.ms).sort((a, b) => a - b);
  return { p50: pct(lat, 50), p99: pct(lat, 99), ok: res.filter((r) => r.code === 'GROUP_FULL').length };
}

/** Runs `jobs` with at most `limit` in flight. */
async function pool<T>(limit: number, jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]();
      }
    }),
  );
  return out;
}

/**
 * Group contention: a rush of concurrent joins on one group (the invariant: exactly `size` seats),
 * then joins spread over many groups of one deal (joins/s and latency of a join).
 */
export const groupsScenario: Scenario = {
  name: SCENARIO,
  async run(ctx) {
    const rows: Row[] = [];
    // A chain-wide deal: the rush is on one store's group; the spread runs over every store, so it
    // measures groups rather than one hot inventory row (stock moves are serialized per row).
    const stores = (await ctx.models.Store.find({}, { _id: 1 }).sort({ _id: 1 }).lean()).map((x) => x._id);
    const store = stores[stores.length - 1];
    await Promise.all(stores.map((st) => ctx.models.Inventory.updateOne({ _id: `${st}:${PRODUCT_ID}` }, { $set: { stock: 10_000_000, active: true } })));
    const now = Date.now();
    await ctx.models.Deal.create({
      _id: DEAL_ID,
      productId: PRODUCT_ID,
      storeIds: stores,
      title: '压测团',
      groupSize: RUSH_SIZE,
      groupPriceCents: 990,
      soloPriceCents: 1590,
      durationMinutes: 60,
      perUserLimit: 5,
      newMembersOnly: false,
      leaderDiscountCents: 0,
      startAt: new Date(now - 3600_000),
      endAt: new Date(now + 30 * 24 * 3600_000),
      stockCap: 10_000_000,
      sold: 0,
      active: true,
    });
    const stopHost = await ensureMockHost(ctx);
    try {
      // 1. The rush: every user at once on one group.
      const [rushGroup] = await openGroups(ctx, store, 1, RUSH_SIZE);
      const rushers = await users(ctx, `bench-rush-${randomBytes(3).toString('hex')}-`, RUSH_USERS);
      const t0 = performance.now();
      const results = await Promise.all(rushers.map((u) => timedJoin(ctx, rushGroup, u.auth)));
      const rushS = (performance.now() - t0) / 1000;
      const g = await ctx.models.Group.findById(rushGroup).lean();
      const seats = Object.keys((g?.seats ?? {}) as object).length;
      const won = results.filter((r) => r.status === 201).length;
      const full = results.filter((r) => r.code === 'GROUP_FULL').length;
      const network = results.filter((r) => r.code === 'NETWORK').length;
      const otherCodes = results.filter((r) => r.status !== 201 && r.code !== 'GROUP_FULL' && r.code !== 'NETWORK').map((r) => `${r.status} ${r.code ?? ''}`.trim());
      const other = otherCodes.length;
      const lat = results.map((r) => r.ms).sort((a, b) => a - b);
      ctx.log(`groups: rush of ${RUSH_USERS} joins on a group of ${RUSH_SIZE}: ${won} joined, ${full} GROUP_FULL, ${other} other; ${seats} seats; ${rushS.toFixed(1)} s`);
      // Fresh connections again (the rush's are closed first), so the floor pays what the rush paid.
      agent.destroy();
      const floor = await bareRush(ctx, RUSH_USERS);
      agent.destroy();
      ctx.log(`groups: the same ${RUSH_USERS} POSTs to the bare route: p50 ${floor.p50.toFixed(0)} ms, p99 ${floor.p99.toFixed(0)} ms`);
      rows.push({
        scenario: SCENARIO,
        name: `${RUSH_USERS} concurrent joins on one group of ${RUSH_SIZE}`,
        value: `${seats} seats`,
        p50Ms: round(pct(lat, 50)),
        p99Ms: round(pct(lat, 99)),
        budget: `exactly ${RUSH_SIZE} seats, p99 ≤ 2 s`,
        pass: seats === RUSH_SIZE && won === RUSH_SIZE - 1 && g?.seatsLeft === 0 && pct(lat, 99) <= 2000,
        note: `${won} joined, ${full} GROUP_FULL, ${other} other${other ? ` (${[...new Set(otherCodes)].join(', ')})` : ''}, ${network} refused connections in ${rushS.toFixed(1)} s`,
      });
      rows.push({
        scenario: SCENARIO,
        name: `the same ${RUSH_USERS} simultaneous POSTs to the bare route (the client's and the machine's floor)`,
        p50Ms: round(floor.p50),
        p99Ms: round(floor.p99),
        note: `${floor.ok} of ${RUSH_USERS} answered; the rush's p99 is ${(pct(lat, 99) / floor.p99).toFixed(1)}× this p99`,
      });

      // 2. Joins spread over many groups of the same deal, `connections` in flight.
      const groups = (await Promise.all(stores.map((st, i) => openGroups(ctx, st, Math.floor(MANY_GROUPS / stores.length) + (i < MANY_GROUPS % stores.length ? 1 : 0), RUSH_SIZE)))).flat();
      const joiners = await users(ctx, `bench-many-${randomBytes(3).toString('hex')}-`, MANY_JOINS);
      const t1 = performance.now();
      const spread = await pool(
        ctx.connections,
        joiners.map((u, i) => () => timedJoin(ctx, groups[i % groups.length], u.auth)),
      );
      const spreadS = (performance.now() - t1) / 1000;
      const ok = spread.filter((r) => r.status === 201).length;
      const failures = [...new Set(spread.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.code ?? ''}`.trim()))];
      const sl = spread.map((r) => r.ms).sort((a, b) => a - b);
      const overfull = await ctx.models.Group.countDocuments({ dealId: DEAL_ID, seatsLeft: { $lt: 0 } });
      ctx.log(`groups: ${MANY_JOINS} joins over ${MANY_GROUPS} groups: ${ok} joined in ${spreadS.toFixed(1)} s`);
      rows.push({
        scenario: SCENARIO,
        name: `joins over ${MANY_GROUPS} groups of one deal in ${stores.length} stores (${ctx.connections} in flight)`,
        reqPerSec: Math.round(ok / spreadS),
        p50Ms: round(pct(sl, 50)),
        p99Ms: round(pct(sl, 99)),
        note: `${ok} of ${MANY_JOINS} joined${failures.length ? ` (others: ${failures.join(', ')})` : ''}${overfull ? `, ${overfull} groups over size` : ''}`,
        budget: '≥ 100 joins/s, no group over size',
        pass: !overfull && ok / spreadS >= 100,
      });
    } finally {
      agent.destroy();
      await stopHost();
    }
    return rows;
  },
};
