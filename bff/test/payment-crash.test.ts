import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { signAccessToken } from '../src/common/auth.js';
import { systemClock } from '../src/common/clock.js';
import { connectDb } from '../src/common/db.js';
import { bindAllModels as bindModels } from '../src/composition.js';
import { DEMO, startMockHost, testMongoUrl, uniqueDbName } from './helpers.js';

const bffDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** Runs bff/src/server.ts as a child process; resolves once it listens. */
async function startBff(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import=tsx', 'src/server.ts'], { cwd: bffDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (/BFF http/.test(out)) resolve();
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`BFF exited ${code}: ${out}`)));
  });
  return child;
}

test('SIGKILL of the BFF in a notification storm loses no payment: every host payment ends applied exactly once', async (t) => {
  const mock = await startMockHost(t, { PAY_NOTIFY_MIN_MS: '50', PAY_NOTIFY_MAX_MS: '400', PAY_NOTIFY_RETRIES: '200', PAY_REFUND_DELAY_MS: '50' });
  const pay = mock.host.parts.pay;
  t.teardown(() => pay.stop());
  const dbName = uniqueDbName('crash');
  const conn = await connectDb(testMongoUrl(), dbName);
  const m = bindModels(conn);
  const { seed } = await import('@linli/mock/seed/seed');
  await seed(conn, m);
  await m.Inventory.updateOne({ _id: 'S001:P0001' }, { $set: { stock: 100 } });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    PORT: String(port),
    MONGO_URL: testMongoUrl(),
    DB_NAME: dbName,
    MOCK_HOST_URL: mock.url,
    PAY_NOTIFY_URL: `${base}/api/v1/pay/notify`,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    // One shopper places 30 orders at once: the per-user cap on unpaid orders is lifted, this test is about payments.
    MAX_UNPAID_ORDERS: '100',
    REQUEST_DEADLINE_MS: '120000',
  };
  let child = await startBff(env);
  t.teardown(async () => {
    child.kill('SIGKILL');
    await conn.dropDatabase().catch(() => {});
    await conn.close();
  });

  const token = await signAccessToken(loadConfig({}), systemClock, { id: DEMO.alice, roles: ['customer'], storeIds: [] });
  const N = 30;
  const placed = await Promise.all(
    Array.from({ length: N }, async () => {
      const res = await fetch(`${base}/api/v1/orders`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ storeId: 'S001', items: [{ productId: 'P0001', qty: 1 }] }),
      });
      t.is(res.status, 201);
      return (await res.json()) as { order: { id: string }; payment: { prepayId: string } };
    }),
  );

  // The storm: every order paid at once, each notification delivered three times.
  pay.notifier.faults = { duplicate: 2, delayMs: 0, reorder: true, failFirst: 0 };
  for (const p of placed) t.true(pay.confirm(p.payment.prepayId).ok);
  const until = Date.now() + 20_000;
  while (pay.notifier.stats.acked < 10 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const ackedBeforeKill = pay.notifier.stats.acked;
  t.true(ackedBeforeKill < 3 * N, `the kill came mid-storm (acked ${ackedBeforeKill})`);
  await new Promise((r) => setTimeout(r, 500));
  child = await startBff(env);

  await pay.notifier.settled();
  t.is(pay.notifier.stats.gaveUp, 0);
  t.is(pay.notifier.stats.acked, 3 * N);
  t.is(pay.transactions.size, N);
  for (const p of placed) {
    const o = await m.Order.findById(p.order.id).lean();
    t.is(o?.status, 'awaiting_pickup', p.order.id);
    t.is(o?.history.filter((h) => h.to === 'paid').length, 1);
    t.is(o?.payment?.transactionId, pay.transactions.get(p.order.id)?.transactionId);
  }
  t.is(await m.Payment.countDocuments({}), N);
  t.is(await m.Payment.countDocuments({ state: 'applied' }), N);
  t.is((await m.Inventory.findById('S001:P0001').lean())?.stock, 100 - N);
});
