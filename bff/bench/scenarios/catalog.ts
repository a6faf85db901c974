import type { Row, Scenario } from '../lib.js';

/** The read paths of the home screen, each against the bare route serving the same bytes. */
export const catalogScenario: Scenario = {
  name: 'catalog',
  async run(ctx) {
    const rows: Row[] = [];
    rows.push(
      ...(await ctx.compareWithBare('catalog', 'GET /home?lat&lng', '/api/v1/home?lat=31.2317&lng=121.4846', {
        budget: (route, bare) => ({
          text: '≥ 50 % of bare, p99 ≤ 50 ms',
          pass: route.ratioToBare! >= 0.5 && route.p99Ms! <= 50 && bare.reqPerSec! > 0,
        }),
      })),
    );
    rows.push(...(await ctx.compareWithBare('catalog', 'GET /products?storeId', '/api/v1/products?storeId=S001')));
    rows.push(...(await ctx.compareWithBare('catalog', 'GET /stores?lat&lng', '/api/v1/stores?lat=31.2317&lng=121.4846')));
    return rows;
  },
};
