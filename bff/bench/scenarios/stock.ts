import http from 'node:http';
import { loadConfig } from '../../src/config.js';
import type { BenchContext, Row, Scenario } from '../lib.js';

const SCENARIO = 'stock';
const ORDERS = Number(process.env.BENCH_STOCK_ORDERS ?? 10_000);
const STOCK = Number(process.env.BENCH_STOCK_UNITS ?? 100);
const CONNECTIONS = Number(process.env.BENCH_STOCK_CONNECTIONS ?? 256);
// Its own row, so the other scenarios' numbers are not disturbed.
const STORE_ID = 'S003';
const PRODUCT_ID = 'P0003';

/**
 * Orders need the host's prepay. When the configured mock host is not up, one is started in this
 * process on its address for the scenario's length.
 */
export async function ensureMockHost(ctx: BenchContext, onHost?: (host: import('@linli/mock/host').Host) => void): Promise<{ stop: () => Promise<void>; own: boolean }> {
  const url = new URL(loadConfig().MOCK_HOST_URL);
  const up = await fetch(new URL('/healthz', url)).then((r) => r.ok, () => false);
  if (up) return { stop: async () => {}, own: false };
  const { createMockHost } = await import('@linli/mock/app');
  const { loadMockConfig } = await import('@linli/mock/config');
  const { app, host } = createMockHost(loadMockConfig({ LOG_LEVEL: 'silent', MOCK_PORT: url.port, PAY_NOTIFY_MIN_MS: '50', PAY_NOTIFY_MAX_MS: '1000', PAY_NOTIFY_RETRIES: '50' }));
  onHost?.(host);
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(Number(url.port), url.hostname, resolve));
  ctx.log(`${SCENARIO}: started a mock host on ${url.host}`);
  return {
    own: true,
    stop: async () => {
      host.parts.pay?.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** DESIGN.md budget: 10,000 concurrent orders on 100 stock → exactly 100 orders, never negative stock. */
export const stockScenario: Scenario = {
  name: SCENARIO,
  async run(ctx: BenchContext): Promise<Row[]> {
    const host = await ensureMockHost(ctx);
    try {
      const invId = `${STORE_ID}:${PRODUCT_ID}`;
      await ctx.models.Inventory.updateOne({ _id: invId }, { $set: { stock: STOCK, active: true } });
      const before = await ctx.models.Order.countDocuments({ storeId: STORE_ID, 'items.productId': PRODUCT_ID });
      const auth = `Bearer ${await ctx.tokenFor('u_demo-alice')}`;
      const stats = await ctx.load({
        path: '/api/v1/orders',
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ storeId: STORE_ID, items: [{ productId: PRODUCT_ID, qty: 1 }] }),
        amount: ORDERS,
        connections: CONNECTIONS,
        timeoutS: 60,
      });
      const created = (await ctx.models.Order.countDocuments({ storeId: STORE_ID, 'items.productId': PRODUCT_ID })) - before;
      const stock = (await ctx.models.Inventory.findById(invId).lean())?.stock ?? NaN;
      const ok = stats.ok2xx;
      ctx.log(`${SCENARIO}: ${stats.requests} orders on ${STOCK} stock → ${created} created (${ok} answered 201), stock ${stock}`);
      return [
        { scenario: SCENARIO, name: `${ORDERS} concurrent orders on ${STOCK} stock`, reqPerSec: stats.reqPerSec, p50Ms: stats.p50Ms, p99Ms: stats.p99Ms, budget: 'p99 ≤ 3 s', pass: stats.p99Ms <= 3000, note: `${ok} × 201, ${stats.non2xx} × 409, ${stats.errors + stats.timeouts} errors` },
        {
          scenario: SCENARIO,
          name: 'orders created / stock left',
          value: `${created} / ${stock}`,
          budget: `exactly ${STOCK} orders, stock 0, never negative`,
          // The database is the judge: a client that timed out waiting for its 201 still holds its order.
          pass: created === STOCK && stock === 0,
        },
      ];
    } finally {
      await host.stop();
    }
  },
};
