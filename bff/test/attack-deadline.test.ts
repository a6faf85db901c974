import http from 'node:http';
import test from 'ava';
import { customers, makeDeal, pay, recordingProvider, startGroupApp } from './group-fixtures.js';
import { startTestApp, waitFor, type TestApp } from './helpers.js';

/**
 * Issue 18, hole 7: requests outlived their clients. Under load requests queued for tens of seconds
 * and then created orders nobody was waiting for, and a retry made a second one. Here the slow part
 * is injected (the member check before the stock take, or the prepay after it) so the race is exact.
 */

const ORDER = { storeId: 'S001', items: [{ productId: 'P0001', qty: 1 }] };

/** Sends an order and can give up on it (destroys the socket), as a client whose timeout fired. */
function impatient(app: TestApp, auth: string, body: unknown, key?: string): { answer: Promise<'gave up' | number>; giveUp(): void } {
  const data = JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(data)), authorization: auth };
  if (key) headers['idempotency-key'] = key;
  let req!: http.ClientRequest;
  const answer = new Promise<'gave up' | number>((resolve) => {
    req = http.request(`${app.url}/api/v1/orders`, { method: 'POST', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve('gave up'));
    req.end(data);
  });
  return { answer, giveUp: () => req.destroy() };
}

/** A gate the injected slow step waits at: `entered` counts arrivals, `open()` lets them all go on. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const g = {
    entered: 0,
    async pass() {
      g.entered++;
      await opened;
    },
    open,
  };
  return g;
}

/** Resolves once the server holds no open connection (the clients' closes have reached it). */
async function connectionsClosed(app: TestApp) {
  await waitFor('the server to see every client leave', () => new Promise<boolean>((r) => app.server.getConnections((_e, n) => r(n === 0))));
}

/** Counts calls of OrderService.create that ended (answered or thrown), and how they ended. */
function watchCreates(app: TestApp) {
  const orders = app.core.services.order;
  const original = orders.create.bind(orders);
  const ended: string[] = [];
  orders.create = async (input) => {
    try {
      const r = await original(input);
      ended.push('created');
      return r;
    } catch (err) {
      ended.push((err as { code?: string }).code ?? 'error');
      throw err;
    }
  };
  return ended;
}

async function start(t: Parameters<typeof startTestApp>[0], opts: { member?: () => Promise<void>; prepay?: () => Promise<void>; env?: Record<string, string> }) {
  const rec = recordingProvider();
  const prepay = rec.provider.prepay.bind(rec.provider);
  rec.provider.prepay = async (p) => {
    await opts.prepay?.();
    return prepay(p);
  };
  const app = await startTestApp(t, {
    seed: true,
    env: opts.env,
    overrides: {
      paymentProvider: rec.provider,
      isMember: async () => {
        await opts.member?.();
        return false;
      },
    },
  });
  await app.core.m.Inventory.updateOne({ _id: 'S001:P0001' }, { $set: { stock: 1000, active: true } });
  return app;
}

test.serial('hole 7: 200 parallel orders whose clients give up before the server reaches them create nothing and take no stock', async (t) => {
  // The requests wait just before their first write (the member check of pricing) until every client has left.
  const slow = gate();
  const app = await start(t, { member: () => slow.pass() });
  const ended = watchCreates(app);
  const crowd = await customers(app, 'gaveup', 200);
  const sent = crowd.map((c) => impatient(app, c.auth, ORDER));
  await waitFor('every request to reach the slow step', async () => slow.entered === 200);
  for (const s of sent) s.giveUp();
  t.deepEqual([...new Set(await Promise.all(sent.map((s) => s.answer)))], ['gave up']);
  await connectionsClosed(app);
  slow.open();
  await waitFor('every request to end on the server', async () => ended.length === 200);
  t.deepEqual([...new Set(ended)], ['REQUEST_TIMEOUT']);
  t.is(await app.core.m.Order.countDocuments({}), 0);
  t.is((await app.core.m.Inventory.findById('S001:P0001').lean())!.stock, 1000);
});

test.serial('hole 7: a request past its deadline answers 503 REQUEST_TIMEOUT having changed nothing, and its retry places the order once', async (t) => {
  let slow = true;
  const app = await start(t, { member: () => new Promise((r) => setTimeout(r, slow ? 4000 : 0)), env: { REQUEST_DEADLINE_MS: '3000' } });
  const [c] = await customers(app, 'late', 1);
  const place = () => app.api.post('/api/v1/orders').set('Authorization', c.auth).set('Idempotency-Key', 'deadline-retry-0001').send(ORDER);
  const late = await place();
  t.is(late.status, 503);
  t.is(late.body.error.code, 'REQUEST_TIMEOUT');
  t.is(await app.core.m.Order.countDocuments({}), 0);
  t.is((await app.core.m.Inventory.findById('S001:P0001').lean())!.stock, 1000);
  slow = false;
  const retry = await place();
  t.is(retry.status, 201);
  const again = await place();
  t.is(again.body.order.id, retry.body.order.id);
  t.is(await app.core.m.Order.countDocuments({}), 1);
});

test.serial('hole 7: clients that give up after the first write get the first result on their retry, never a second order', async (t) => {
  // The requests wait in the prepay (after the stock take) until every client has left.
  const slow = gate();
  const app = await start(t, { prepay: () => slow.pass() });
  const ended = watchCreates(app);
  const crowd = await customers(app, 'retry', 50);
  const sent = crowd.map((c, i) => impatient(app, c.auth, ORDER, `retry-key-${i}`));
  await waitFor('every request to be past its stock take', async () => slow.entered === 50 || ended.length > 0, 60_000);
  t.deepEqual(ended, [], 'no request ended before the prepay');
  for (const s of sent) s.giveUp();
  t.deepEqual([...new Set(await Promise.all(sent.map((s) => s.answer)))], ['gave up']);
  await connectionsClosed(app);
  slow.open();
  await waitFor('the abandoned requests to finish', async () => ended.length === 50);
  t.deepEqual([...new Set(ended)], ['created']);
  const retries = await Promise.all(crowd.map((c, i) => app.api.post('/api/v1/orders').set('Authorization', c.auth).set('Idempotency-Key', `retry-key-${i}`).send(ORDER)));
  t.deepEqual([...new Set(retries.map((r) => r.status))], [201]);
  const ids = new Set(retries.map((r) => r.body.order.id));
  t.is(ids.size, 50);
  const stored = new Set((await app.core.m.Order.find({}, { _id: 1 }).lean()).map((o) => String(o._id)));
  t.deepEqual([...ids].sort(), [...stored].sort());
  t.is((await app.core.m.Inventory.findById('S001:P0001').lean())!.stock, 1000 - 50);
});

test.serial('hole 7: a group open sent 20 times in parallel with one Idempotency-Key, then retried, opens one group with one order; the key on another deal is refused', async (t) => {
  const { app } = await startGroupApp(t);
  const deal = await makeDeal(app, { groupSize: 3, perUserLimit: 5 });
  const other = await makeDeal(app, { groupSize: 3, perUserLimit: 5 });
  const [leader] = await customers(app, 'keyed-open', 1);
  const open = (dealId: string, key: string) => app.api.post('/api/v1/groups').set('Authorization', leader.auth).set('Idempotency-Key', key).send({ dealId, storeId: 'S001' });
  const twins = await Promise.all(Array.from({ length: 20 }, () => open(deal.id, 'open-key-0001')));
  t.deepEqual([...new Set(twins.map((r) => r.status))], [201], JSON.stringify(twins.find((r) => r.status !== 201)?.body));
  t.is(new Set(twins.map((r) => r.body.groupId)).size, 1, 'every twin answers the same group');
  t.is(new Set(twins.map((r) => r.body.order.id)).size, 1, 'and the same order');
  const groupId = twins[0].body.groupId as string;
  t.is(await app.core.m.Group.countDocuments({ dealId: deal.id }), 1);
  t.is(await app.core.m.Order.countDocuments({ dealId: deal.id }), 1);
  t.is((await app.core.m.Deal.findById(deal.id).lean())!.sold, 3, "the deal's units are taken once");

  const retry = await open(deal.id, 'open-key-0001');
  t.is(retry.status, 201);
  t.like(retry.body, { groupId, order: { id: twins[0].body.order.id } });
  t.truthy(retry.body.payment.paySign, 'the retry can still pay');
  const reused = await open(other.id, 'open-key-0001');
  t.is(reused.status, 409);
  t.is(reused.body.error.code, 'IDEMPOTENCY_KEY_REUSED');
  t.is(await app.core.m.Group.countDocuments({ dealId: other.id }), 0, 'nothing opened on the other deal');

  await pay(app, twins[0].body.order.id);
  const paid = await open(deal.id, 'open-key-0001');
  t.is(paid.status, 409, 'a paid open is not paid again');
  t.is(paid.body.error.code, 'ORDER_STATE');
  const fresh = await open(deal.id, 'open-key-0002');
  t.is(fresh.status, 201, 'a new key opens a new group');
  t.not(fresh.body.groupId, groupId);
});
