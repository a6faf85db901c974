import test, { type ExecutionContext } from 'ava';
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.js';
import { signAccessToken } from '../src/common/auth.js';
import { systemClock } from '../src/common/clock.js';
import { connectDb } from '../src/common/db.js';
import { bindAllModels } from '../src/composition.js';
import { spawnBff, startMockHost, testMongoUrl, uniqueDbName, waitFor } from './helpers.js';

/**
 * DESIGN "Scaling out": the BFF is stateless, so N instances on one database keep every invariant.
 * Three real server processes share one database; the crowds are spread round-robin over them, and
 * the host's every payment notification reaches two different instances at once.
 */

const STORE = 'S001';
const RUSH_PRODUCT = 'P0001';
const DEAL_PRODUCT = 'P0002';
const GROUP_SIZE = 5;
const JOINERS = 600;
const ORDERS = 1000;
const STOCK = 50;
const CUSTOMERS = 25;

const config = loadConfig({});
const token = (id: string, roles: ('customer' | 'admin')[] = ['customer']) => signAccessToken(config, systemClock, { id, roles, storeIds: [] });
/** Sorted, for comparing id sets. */
const sorted = (xs: Iterable<string>) => [...xs].sort();
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

interface Reply {
  status: number;
  body: { error?: { code: string }; [k: string]: unknown };
}

async function call(base: string, method: string, path: string, auth: string | null, body?: unknown): Promise<Reply> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(auth ? { Authorization: `Bearer ${auth}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

/** How many replies had each `status code`, e.g. `{'201': 4, '409 GROUP_FULL': 596}`. */
function tally(replies: Reply[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of replies) {
    const k = r.body.error ? `${r.status} ${r.body.error.code}` : String(r.status);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/**
 * The test's own relay between the host and the BFFs: every notification the host POSTs is forwarded,
 * same raw body and headers, to instance i and instance (i+1) mod 3 at once (i moving round-robin);
 * the host gets the first reply. Every copy's answer is kept for the test to read.
 */
async function startForwarder(t: ExecutionContext, targets: string[]) {
  const copies: { notification: number; instance: number; status: number }[] = [];
  const inflight = new Set<Promise<unknown>>();
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(k)) headers[k] = v;
      }
      const n = next++;
      const pair = [n % targets.length, (n + 1) % targets.length];
      const sends = pair.map(async (i) => {
        const r = await fetch(`${targets[i]}${req.url}`, { method: 'POST', headers, body });
        const text = await r.text();
        copies.push({ notification: n, instance: i, status: r.status });
        return { status: r.status, text, type: r.headers.get('content-type') ?? 'application/json' };
      });
      for (const p of sends) {
        const tracked = p.catch(() => undefined).finally(() => inflight.delete(tracked));
        inflight.add(tracked);
      }
      Promise.any(sends).then(
        (first) => res.writeHead(first.status, { 'Content-Type': first.type }).end(first.text),
        () => res.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    copies,
    /** Resolves when every copy sent so far has been answered. */
    async drained() {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
  };
}

test('three BFF instances on one database: exact seats, exact stock, every doubly-delivered payment applied once, a price change seen everywhere within 1 s', async (t) => {
  const began = performance.now();
  const mock = await startMockHost(t, { PAY_NOTIFY_MIN_MS: '50', PAY_NOTIFY_MAX_MS: '1000', PAY_NOTIFY_RETRIES: '60' });
  const pay = mock.host.parts.pay;
  t.teardown(() => pay.stop());

  // One database, seeded once, before any instance starts.
  const dbName = uniqueDbName('multi');
  const conn = await connectDb(testMongoUrl(), dbName);
  const m = bindAllModels(conn);
  t.teardown(async () => {
    await conn.dropDatabase().catch(() => {});
    await conn.close();
  });
  const { seed } = await import('@linli/mock/seed/seed');
  await seed(conn, m);
  await m.Inventory.updateOne({ _id: `${STORE}:${RUSH_PRODUCT}` }, { $set: { stock: STOCK, active: true } });
  await m.Inventory.updateOne({ _id: `${STORE}:${DEAL_PRODUCT}` }, { $set: { stock: 1000, active: true } });
  const users = [
    'mi_leader',
    ...Array.from({ length: JOINERS }, (_, i) => `mi_j${i}`),
    ...Array.from({ length: CUSTOMERS }, (_, i) => `mi_c${i}`),
  ].map((id) => ({ _id: `u_${id}`, openid: id, nickname: id, avatar: `/avatars/${id}.png`, roles: ['customer'] }));
  await m.User.collection.insertMany(users as never[]);

  const children: ChildProcess[] = [];
  t.teardown(async () => {
    for (const c of children) {
      if (c.exitCode !== null || c.signalCode !== null) continue;
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await gone;
    }
  });
  // 25 shoppers place 1,000 orders: the per-user cap on unpaid orders is lifted, this test is about stock and seats.
  const env = { MONGO_URL: testMongoUrl(), DB_NAME: dbName, MOCK_HOST_URL: mock.url, LOG_LEVEL: 'silent', NODE_ENV: 'test', MAX_UNPAID_ORDERS: '1000', REQUEST_DEADLINE_MS: '120000' };
  const bffs = await Promise.all(
    [0, 1, 2].map(async () => (await spawnBff(env, (c) => children.push(c))).url),
  );
  t.is(new Set(bffs).size, 3);
  const forwarder = await startForwarder(t, bffs);
  pay.notifyUrlOverride = `${forwarder.url}/api/v1/pay/notify`;
  const at = (k: number) => bffs[k % bffs.length];
  t.log(`set-up (seed, three instances): ${seconds(began)}`);

  const admin = await token('u_demo-admin', ['customer', 'admin']);
  const leader = await token('u_mi_leader');
  const joiners = await Promise.all(Array.from({ length: JOINERS }, (_, i) => token(`u_mi_j${i}`)));
  const shoppers = await Promise.all(Array.from({ length: CUSTOMERS }, (_, i) => token(`u_mi_c${i}`)));

  // --- 600 joins on one open group of 5 ---
  const now = Date.now();
  const deal = await call(at(0), 'POST', '/api/v1/admin/deals', admin, {
    productId: DEAL_PRODUCT,
    storeIds: [STORE],
    title: '三实例团',
    groupSize: GROUP_SIZE,
    groupPriceCents: 990,
    soloPriceCents: 1590,
    durationMinutes: 30,
    perUserLimit: 1,
    newMembersOnly: false,
    leaderDiscountCents: 100,
    startAt: new Date(now - 60_000).toISOString(),
    endAt: new Date(now + 24 * 3600_000).toISOString(),
    stockCap: 1000,
  });
  t.is(deal.status, 201, JSON.stringify(deal.body));
  const dealId = (deal.body.deal as { id: string }).id;
  const opened = await call(at(1), 'POST', '/api/v1/groups', leader, { dealId, storeId: STORE });
  t.is(opened.status, 201, JSON.stringify(opened.body));
  const groupId = opened.body.groupId as string;
  const leaderOrder = opened.body.order as { id: string };
  t.true(pay.confirm((opened.body.payment as { prepayId: string }).prepayId).ok);
  await waitFor('the group open', async () => (await m.Group.findById(groupId).lean())?.status === 'open');

  let since = performance.now();
  const joins = await Promise.all(joiners.map((auth, k) => call(at(k), 'POST', `/api/v1/groups/${groupId}/join`, auth, {})));
  t.log(`${JOINERS} joins over 3 instances: ${seconds(since)}, ${JSON.stringify(tally(joins))}`);
  const seated = joins.filter((r) => r.status === 201);
  t.is(seated.length, GROUP_SIZE - 1, 'exactly the seats left beside the leader were taken');
  t.true(
    joins.every((r) => r.status === 201 || (r.status === 409 && r.body.error?.code === 'GROUP_FULL')),
    `every loser is a 409 GROUP_FULL: ${JSON.stringify(tally(joins))}`,
  );
  const g = (await m.Group.findById(groupId).lean())!;
  t.is(g.seatsLeft, 0);
  const seats = Object.values(g.seats as Record<string, { orderId: string; userId: string }>);
  t.is(seats.length, GROUP_SIZE);
  const groupOrders = await m.Order.find({ groupId }).lean();
  t.is(groupOrders.length, GROUP_SIZE, 'one order per seat and no other');
  t.deepEqual(sorted(groupOrders.map((o) => `${o.userId} ${o._id}`)), sorted(seats.map((s) => `${s.userId} ${s.orderId}`)));
  t.deepEqual(sorted(seated.map((r) => (r.body.order as { id: string }).id)), sorted(seats.map((s) => s.orderId).filter((id) => id !== leaderOrder.id)));

  // --- 1,000 orders on 50 stock ---
  let lowest = STOCK;
  let samples = 0;
  let rushing = true;
  const watch = (async () => {
    while (rushing) {
      const row = await m.Inventory.findById(`${STORE}:${RUSH_PRODUCT}`, { stock: 1 }).lean();
      lowest = Math.min(lowest, row?.stock ?? lowest);
      samples++;
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  since = performance.now();
  const orders = await Promise.all(
    Array.from({ length: ORDERS }, (_, k) => call(at(k), 'POST', '/api/v1/orders', shoppers[k % CUSTOMERS], { storeId: STORE, items: [{ productId: RUSH_PRODUCT, qty: 1 }] })),
  );
  rushing = false;
  await watch;
  t.log(`${ORDERS} orders over 3 instances: ${seconds(since)}, ${JSON.stringify(tally(orders))}; lowest stock seen ${lowest} in ${samples} reads`);
  const placed = orders.filter((r) => r.status === 201);
  t.is(placed.length, STOCK, 'exactly as many orders as there was stock');
  t.true(
    orders.every((r) => r.status === 201 || (r.status === 409 && r.body.error?.code === 'OUT_OF_STOCK')),
    `every other order is a 409 OUT_OF_STOCK: ${JSON.stringify(tally(orders))}`,
  );
  t.true(lowest >= 0, `stock went to ${lowest}`);
  const placedIds = new Set(placed.map((r) => (r.body.order as { id: string }).id));
  const row = (await m.Inventory.findById(`${STORE}:${RUSH_PRODUCT}`).lean())!;
  t.is(row.stock, 0);
  t.deepEqual(sorted(Object.keys((row.holds ?? {}) as object)), sorted(placedIds), "the row's holds are exactly the placed orders");
  t.is(await m.Order.countDocuments({ kind: 'normal' }), STOCK);

  // --- every payment, each notification delivered to two instances at once ---
  const members = seated.map((r) => ({ id: (r.body.order as { id: string }).id, prepayId: (r.body.payment as { prepayId: string }).prepayId }));
  const toPay = [...placed.map((r) => ({ id: (r.body.order as { id: string }).id, prepayId: (r.body.payment as { prepayId: string }).prepayId })), ...members];
  since = performance.now();
  for (const p of toPay) t.true(pay.confirm(p.prepayId).ok, p.id);
  await pay.notifier.settled();
  await forwarder.drained();
  t.log(`${toPay.length} payments, ${forwarder.copies.length} deliveries over 3 instances: ${seconds(since)}`);
  const paidIds = [leaderOrder.id, ...toPay.map((p) => p.id)];
  t.is(pay.transactions.size, paidIds.length);
  t.is(pay.notifier.stats.gaveUp, 0);
  // Each notification reached two different instances, and both copies were acknowledged.
  const byNotification = new Map<number, number[]>();
  for (const c of forwarder.copies) byNotification.set(c.notification, [...(byNotification.get(c.notification) ?? []), c.instance]);
  t.true(byNotification.size >= paidIds.length);
  t.true([...byNotification.values()].every((is) => is.length === 2 && is[0] !== is[1]));
  t.deepEqual(tally(forwarder.copies.map((c) => ({ status: c.status, body: {} }))), { '200': forwarder.copies.length }, 'every copy answered 200');

  const paidOrders = await m.Order.find({ _id: { $in: paidIds } }).lean();
  t.is(paidOrders.length, paidIds.length);
  for (const o of paidOrders) {
    t.is(o.status, 'awaiting_pickup', o._id);
    t.is(o.history.filter((h) => h.to === 'paid').length, 1, `${o._id} paid once`);
    t.is(o.payment?.transactionId, pay.transactions.get(o._id)?.transactionId);
  }
  t.is(await m.Payment.countDocuments({}), paidIds.length, 'one Payment document per payment');
  t.is(await m.Payment.countDocuments({ state: 'applied' }), paidIds.length);
  t.is(await m.Voucher.countDocuments({ _id: { $in: paidIds } }), paidIds.length);
  const after = (await m.Group.findById(groupId).lean())!;
  t.is(after.status, 'succeeded');
  t.is(after.paidCount, GROUP_SIZE);
  const rowAfter = (await m.Inventory.findById(`${STORE}:${RUSH_PRODUCT}`).lean())!;
  t.is(rowAfter.stock, 0, 'paying sold the stock once');
  t.deepEqual(sorted(Object.keys((rowAfter.holds ?? {}) as object)), sorted(placedIds), 'paid orders still hold their stock until pickup');

  // --- a price change on one instance, seen by the other two within 1 s ---
  const other = (await m.Inventory.findOne({ storeId: STORE, productId: { $nin: [RUSH_PRODUCT, DEAL_PRODUCT] }, active: true }).lean())!;
  const priceOn = async (k: number) => {
    const r = await call(at(k), 'GET', `/api/v1/products/${other.productId}?storeId=${STORE}`, null);
    if (r.status !== 200) throw new Error(`product read on instance ${k}: ${r.status} ${JSON.stringify(r.body)}`);
    return (r.body.product as { priceCents: number }).priceCents;
  };
  const before = await Promise.all([priceOn(1), priceOn(2)]); // each instance has it cached now
  t.deepEqual(before, [other.priceCents, other.priceCents]);
  const price = other.priceCents + 100;
  const patched = await call(at(0), 'PATCH', `/api/v1/admin/inventory/${STORE}/${other.productId}`, admin, { priceCents: price });
  t.is(patched.status, 200, JSON.stringify(patched.body));
  const changedAt = performance.now();
  const seenAfter = await Promise.all(
    [1, 2].map(async (k) => {
      for (;;) {
        const shown = (await priceOn(k)) === price;
        const ms = performance.now() - changedAt;
        if (shown) return ms;
        if (ms > 1000) return Infinity;
        await new Promise((r) => setTimeout(r, 20));
      }
    }),
  );
  t.log(`price change on instance 0 seen on instance 1 after ${seenAfter[0].toFixed(0)} ms, on instance 2 after ${seenAfter[1].toFixed(0)} ms`);
  t.true(seenAfter.every((ms) => ms <= 1000), `not seen within 1 s: ${seenAfter.join(', ')}`);
  t.log(`whole test: ${seconds(began)}`);
});
