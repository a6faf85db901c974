import { mongo } from 'mongoose';
import type { BenchContext, Row, Scenario } from '../lib.js';

const SCENARIO = 'db';
const SMALL = 1_000;
const LARGE = 100_000;
/** Writes in flight (each on its own pooled connection). */
const IN_FLIGHT = Number(process.env.BENCH_DB_IN_FLIGHT ?? 16);
/**
 * Writes per measurement. Each case is measured in ROUNDS pairs (1k then 100k, or the other way), so a
 * busy machine slows both sides of a pair alike; the ratio reported is the median of the pairs' ratios.
 */
const OPS = Number(process.env.BENCH_DB_OPS ?? 250);
const ROUNDS = Number(process.env.BENCH_DB_ROUNDS ?? 8);
const BUDGET = 0.8;

type Doc = { _id: string; status: string; n: number; pad: string };
type Write = (c: mongo.Collection<Doc>, id: string) => Promise<boolean>;

/** The writes Linli's services make, each on a random document: true when it matched one. */
const CASES: { name: string; write: Write }[] = [
  { name: 'updateOne {_id} $inc', write: async (c, id) => (await c.updateOne({ _id: id }, { $inc: { n: 1 } })).matchedCount === 1 },
  { name: 'CAS updateOne {_id, status}', write: async (c, id) => (await c.updateOne({ _id: id, status: 'open' }, { $inc: { n: 1 } })).matchedCount === 1 },
  {
    name: 'CAS findOneAndUpdate {_id, status}',
    write: async (c, id) => (await c.findOneAndUpdate({ _id: id, status: 'open' }, { $inc: { n: 1 } }, { returnDocument: 'after' })) !== null,
  },
];

const idOf = (i: number) => `w${String(i).padStart(6, '0')}`;

async function fill(c: mongo.Collection<Doc>, size: number): Promise<void> {
  for (let i = 0; i < size; i += 1000) {
    // About the size of an order document, so a scan would have real JSON to decode.
    await c.insertMany(Array.from({ length: Math.min(1000, size - i) }, (_, k) => ({ _id: idOf(i + k), status: 'open', n: 0, pad: 'x'.repeat(200) })));
  }
}

/** Runs OPS writes on random documents with IN_FLIGHT at a time: ops/s, latency percentiles, misses. */
async function measure(c: mongo.Collection<Doc>, size: number, write: Write) {
  const latencies: number[] = [];
  let next = 0;
  let missed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < OPS) {
        next += 1;
        const s = performance.now();
        if (!(await write(c, idOf(Math.floor(Math.random() * size))))) missed += 1;
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10;
  return { opsPerSec: Math.round(OPS / seconds), p50Ms: at(0.5), p99Ms: at(0.99), missed };
}

const median = <T>(xs: T[], key: (x: T) => number): T => [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)];

/**
 * Issue 12 budget: a write by _id, and a compare-and-set whose filter holds _id plus a guard field,
 * cost the same on 1,000 and on 100,000 documents (throughput ratio 100k/1k ≥ 0.8). Straight to the
 * database, not through the BFF.
 */
export const dbScenario: Scenario = {
  name: SCENARIO,
  async run(ctx: BenchContext): Promise<Row[]> {
    const client = new mongo.MongoClient(ctx.mongoUrl, { maxPoolSize: IN_FLIGHT + 4 });
    await client.connect();
    const db = client.db(ctx.dbName);
    const colls = new Map<number, mongo.Collection<Doc>>();
    try {
      for (const size of [SMALL, LARGE]) {
        const c = db.collection<Doc>(`bench_db_${size}`);
        await c.drop().catch(() => {});
        const t0 = Date.now();
        await fill(c, size);
        ctx.log(`${SCENARIO}: ${size} documents inserted in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        colls.set(size, c);
      }
      const rows: Row[] = [];
      for (const { name, write } of CASES) {
        const runs = new Map<number, Awaited<ReturnType<typeof measure>>[]>([[SMALL, []], [LARGE, []]]);
        const ratios: number[] = [];
        for (let r = 0; r < ROUNDS; r += 1) {
          for (const size of r % 2 ? [LARGE, SMALL] : [SMALL, LARGE]) runs.get(size)!.push(await measure(colls.get(size)!, size, write));
          ratios.push(runs.get(LARGE)![r].opsPerSec / runs.get(SMALL)![r].opsPerSec);
        }
        const small = median(runs.get(SMALL)!, (m) => m.opsPerSec);
        const large = median(runs.get(LARGE)!, (m) => m.opsPerSec);
        const missed = [...runs.values()].flat().reduce((n, m) => n + m.missed, 0);
        const ratio = median(ratios, (x) => x);
        const range = `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
        const all = (size: number) => runs.get(size)!.map((m) => m.opsPerSec).join(' ');
        ctx.log(`${SCENARIO}: ${name}: 1k ${all(SMALL)} ops/s; 100k ${all(LARGE)} ops/s; ratio ${ratio.toFixed(2)} (${range})`);
        const row = (size: number, m: typeof small): Row => ({
          scenario: SCENARIO,
          name: `${name} on ${size.toLocaleString('en-US')} docs (${IN_FLIGHT} in flight)`,
          reqPerSec: m.opsPerSec,
          p50Ms: m.p50Ms,
          p99Ms: m.p99Ms,
          note: `median of ${ROUNDS} × ${OPS} writes`,
        });
        rows.push(row(SMALL, small), row(LARGE, large), {
          scenario: SCENARIO,
          name: `${name}: 100k / 1k`,
          value: ratio.toFixed(2),
          budget: `≥ ${BUDGET}, every write matched`,
          pass: ratio >= BUDGET && missed === 0,
          note: `ratios of the ${ROUNDS} pairs ${range}${missed ? `; ${missed} writes matched nothing` : ''}`,
        });
      }
      return rows;
    } finally {
      for (const c of colls.values()) await c.drop().catch(() => {});
      await client.close();
    }
  },
};
