import type { BenchContext, Row, Scenario } from '../lib.js';
import { ensureMockHost } from './stock.js';

const SCENARIO = 'notify';
const ORDERS = Number(process.env.BENCH_NOTIFY_ORDERS ?? 100);
const DUPLICATES = Number(process.env.BENCH_NOTIFY_DUPLICATES ?? 2);
const STORE_ID = 'S004';
const PRODUCT_ID = 'P0004';

// Unref'd: a timeout raced against the work must not keep the bench process alive after it (it held the exit 5 min).
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());
const IN_FLIGHT = Number(process.env.BENCH_NOTIFY_IN_FLIGHT ?? 64);

/** Orders of one customer at the scenario's store, created 50 at a time. */
async function placeOrders(ctx: BenchContext, auth: string, n: number): Promise<{ id: string; prepayId: string }[]> {
  const placed: { id: string; prepayId: string }[] = [];
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, async () => {
        const res = await fetch(`${ctx.bffUrl}/api/v1/orders`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body: JSON.stringify({ storeId: STORE_ID, items: [{ productId: PRODUCT_ID, qty: 1 }] }),
        });
        const body = (await res.json()) as { order: { id: string }; payment: { prepayId: string } };
        return { id: body.order.id, prepayId: body.payment.prepayId };
      }),
    );
    placed.push(...batch);
  }
  return placed;
}

/** A stand-in merchant endpoint that keeps the host's signed notifications (and acknowledges them). */
async function collector(): Promise<{ url: string; got: { headers: Record<string, string>; body: string }[]; close: () => Promise<void> }> {
  const http = await import('node:http');
  const got: { headers: Record<string, string>; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      for (const h of ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial']) headers[h] = String(req.headers[h] ?? '');
      got.push({ headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":"SUCCESS"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return { url: `http://127.0.0.1:${port}/notify`, got, close: () => new Promise((r) => server.close(() => r())) };
}

/**
 * A notification storm: every order paid at once, each notification delivered 1 + DUPLICATES times
 * in reverse batches. Measures how fast the BFF acknowledges them and checks each payment applied
 * exactly once (one payment row, one `paid` history entry per order).
 */
export const notifyScenario: Scenario = {
  name: SCENARIO,
  async run(ctx: BenchContext): Promise<Row[]> {
    let pay: import('@linli/mock/modules/pay').PayPart | undefined;
    const host = await ensureMockHost(ctx, (h) => {
      pay = h.parts.pay;
      pay.notifyUrlOverride = `${ctx.bffUrl}/api/v1/pay/notify`;
    });
    try {
      if (!host.own || !pay) {
        return [{ scenario: SCENARIO, name: 'skipped', note: 'a mock host already runs on MOCK_HOST_URL; its notifications go to its own BFF' }];
      }
      await ctx.models.Inventory.updateOne({ _id: `${STORE_ID}:${PRODUCT_ID}` }, { $set: { stock: ORDERS * 4, active: true } });
      const auth = `Bearer ${await ctx.tokenFor('u_demo-bob')}`;

      // 1. Throughput: the host's signed notifications for ORDERS payments, captured, then posted to the
      //    BFF IN_FLIGHT at a time; the clock stops when every payment is applied.
      const sink = await collector();
      const batch = await placeOrders(ctx, auth, ORDERS);
      pay.notifyUrlOverride = sink.url;
      for (const p of batch) pay.confirm(p.prepayId);
      await Promise.race([pay.notifier.settled(), sleep(60_000)]);
      pay.notifyUrlOverride = `${ctx.bffUrl}/api/v1/pay/notify`;
      await sink.close();
      const notes = sink.got.splice(0);
      let next = 0;
      const t1 = performance.now();
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < notes.length) {
            const n = notes[next++];
            await fetch(`${ctx.bffUrl}/api/v1/pay/notify`, { method: 'POST', headers: n.headers, body: n.body });
          }
        }),
      );
      const applySeconds = (performance.now() - t1) / 1000;
      const appliedNow = await ctx.models.Payment.countDocuments({ orderId: { $in: batch.map((b) => b.id) }, state: 'applied' });
      const rate = Math.round((appliedNow / applySeconds) * 10) / 10;
      ctx.log(`${SCENARIO}: ${notes.length} captured notifications posted ${IN_FLIGHT} at a time: ${appliedNow} applied in ${applySeconds.toFixed(1)} s`);

      // 2. Exactly once under a storm: every notification delivered 1 + DUPLICATES times, reordered.
      const placed = await placeOrders(ctx, auth, ORDERS);
      pay.notifier.faults = { duplicate: DUPLICATES, delayMs: 0, reorder: true, failFirst: 0 };
      const acked0 = pay.notifier.stats.acked;
      const t0 = performance.now();
      for (const p of placed) pay.confirm(p.prepayId);
      await Promise.race([pay.notifier.settled(), sleep(300_000)]);
      const seconds = (performance.now() - t0) / 1000;
      const acked = pay.notifier.stats.acked - acked0;
      const ids = placed.map((p) => p.id);
      const applied = await ctx.models.Order.find({ _id: { $in: ids } }).lean();
      const once = applied.filter((o) => o.status === 'awaiting_pickup' && o.history.filter((h) => h.to === 'paid').length === 1).length;
      const payments = await ctx.models.Payment.countDocuments({ orderId: { $in: ids } });
      ctx.log(`${SCENARIO}: ${acked} notifications for ${ORDERS} payments acknowledged in ${seconds.toFixed(1)} s; ${once} applied once, ${payments} payment rows`);
      return [
        {
          scenario: SCENARIO,
          name: `payments applied, notifications posted ${IN_FLIGHT} at a time`,
          reqPerSec: rate,
          budget: '≥ 100 payments/s',
          pass: rate >= 100 && appliedNow === ORDERS,
          note: `${appliedNow} of ${ORDERS} applied in ${applySeconds.toFixed(1)} s`,
        },
        { scenario: SCENARIO, name: `${ORDERS} payments × ${1 + DUPLICATES} notifications, reordered`, reqPerSec: Math.round((acked / seconds) * 10) / 10, note: `all acknowledged in ${seconds.toFixed(1)} s` },
        { scenario: SCENARIO, name: 'payments applied exactly once', value: `${once} / ${ORDERS}`, budget: 'every payment applied once', pass: once === ORDERS && payments === ORDERS && pay.notifier.stats.gaveUp === 0 },
      ];
    } finally {
      await host.stop();
    }
  },
};
