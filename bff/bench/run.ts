// `npm run bench`: starts a private database, seeds the demo chain, starts the BFF (and a bare Koa
// route beside it) in a child process, runs every scenario of scenarios/index.ts with autocannon, and
// writes bench/results/<timestamp>.json plus the results table of BENCHMARKS.md.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config.js';
import { signAccessToken } from '../src/common/auth.js';
import { systemClock } from '../src/common/clock.js';
import { connectDb } from '../src/common/db.js';
import { bindAllModels as bindModels } from '../src/composition.js';
import type { BenchContext, LoadOptions, Row } from './lib.js';
import { runLoad } from './lib.js';
import { describeMachine } from './machine.js';
import { table, writeReport } from './report.js';
import { scenarios } from './scenarios/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 2);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const only = process.argv.slice(2);

const log = (msg: string) => console.log(`[bench] ${msg}`);
const startedAt = new Date();

type Db = { url: string; stop(): Promise<void> };
const { startDb } = (await import(pathToFileURL(path.join(root, 'scripts', 'db.mjs')).href)) as { startDb(o: { ephemeral: boolean; quiet: boolean }): Promise<Db> };

let db: Db | undefined;
let child: ReturnType<typeof fork> | undefined;
const cleanup = async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  child = undefined;
  await db?.stop().catch(() => {});
  db = undefined;
};
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

try {
  const machine = describeMachine();
  log(`machine: ${machine.nproc} CPUs, ${machine.cpuModel}, ${machine.memGiB} GiB, load ${machine.loadAvgAtStart.join('/')}`);
  db = await startDb({ ephemeral: true, quiet: true });
  const dbName = `bench_${randomBytes(4).toString('hex')}`;
  log(`private database ${db.url} (${dbName}); seeding the demo chain…`);
  const conn = await connectDb(db.url, dbName);
  const models = bindModels(conn);
  const { seed } = await import('@linli/mock/seed/seed');
  const t0 = Date.now();
  await seed(conn, models);
  log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const env = { ...process.env, NODE_ENV: 'development', MONGO_URL: db.url, DB_NAME: dbName, LOG_LEVEL, PORT: '0', JWT_SECRET: `bench-${randomBytes(24).toString('hex')}`, MAX_UNPAID_ORDERS: '1000' };
  const config = loadConfig(env);
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the BFF process there (open it in Chrome DevTools).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)] : [];
  child = fork(path.join(here, 'server.ts'), [], { execArgv: ['--import', 'tsx', ...prof], env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const urls = await new Promise<{ bffUrl: string; bareUrl: string; warmMs: number }>((resolve, reject) => {
    child!.once('message', (m) => resolve(m as { bffUrl: string; bareUrl: string; warmMs: number }));
    child!.once('exit', (code) => reject(new Error(`the BFF under test exited (${code}) before it listened`)));
  });
  log(`BFF ${urls.bffUrl}, bare ${urls.bareUrl}; caches warmed in ${urls.warmMs} ms`);

  const url = (p: string) => (/^https?:/.test(p) ? p : `${urls.bffUrl}${p}`);
  const ctx: BenchContext = {
    bffUrl: urls.bffUrl,
    bareUrl: urls.bareUrl,
    mongoUrl: db.url,
    dbName,
    connections: CONNECTIONS,
    durationS: DURATION_S,
    conn,
    models,
    log,
    load: (o: LoadOptions) => runLoad(url(o.path), { ...o, connections: o.connections ?? CONNECTIONS, durationS: o.durationS ?? DURATION_S }),
    tokenFor: (userId, roles = ['customer'], storeIds = []) => signAccessToken(config, systemClock, { id: userId, roles, storeIds }),
    async compareWithBare(scenario, name, p, opts = {}) {
      const res = await fetch(url(p), { headers: opts.headers });
      if (res.status !== 200) throw new Error(`${name}: ${p} answered ${res.status}: ${await res.text()}`);
      const body = Buffer.from(await res.arrayBuffer());
      const key = randomBytes(6).toString('hex');
      await fetch(`${urls.bareUrl}/bytes/${key}`, { method: 'PUT', body, headers: { 'content-type': res.headers.get('content-type') ?? 'application/json' } });
      const bareUrl = `${urls.bareUrl}/bytes/${key}`;
      if (WARMUP_S > 0) {
        await runLoad(bareUrl, { connections: CONNECTIONS, durationS: WARMUP_S });
        await runLoad(url(p), { connections: CONNECTIONS, durationS: WARMUP_S, headers: opts.headers });
      }
      const bareStats = await runLoad(bareUrl, { connections: CONNECTIONS, durationS: DURATION_S });
      const routeStats = await runLoad(url(p), { connections: CONNECTIONS, durationS: DURATION_S, headers: opts.headers });
      const bad = routeStats.non2xx + routeStats.errors + routeStats.timeouts;
      const bare: Row = { scenario, name: `bare route, same ${body.length} bytes`, reqPerSec: bareStats.reqPerSec, p50Ms: bareStats.p50Ms, p99Ms: bareStats.p99Ms, ratioToBare: 1 };
      const route: Row = {
        scenario,
        name,
        reqPerSec: routeStats.reqPerSec,
        p50Ms: routeStats.p50Ms,
        p99Ms: routeStats.p99Ms,
        ratioToBare: bareStats.reqPerSec ? Math.round((routeStats.reqPerSec / bareStats.reqPerSec) * 1000) / 1000 : 0,
        ...(bad ? { note: `${bad} non-2xx/errors/timeouts of ${routeStats.requests}` } : {}),
      };
      if (opts.budget) {
        const b = opts.budget(route, bare);
        route.budget = b.text;
        route.pass = b.pass;
      }
      if (bad && route.budget) route.pass = false;
      log(`${name}: ${route.reqPerSec} req/s (p50 ${route.p50Ms} ms, p99 ${route.p99Ms} ms) vs bare ${bare.reqPerSec} req/s → ${Math.round(route.ratioToBare! * 100)} %`);
      return [route, bare];
    },
  };

  const rows: Row[] = [];
  for (const s of scenarios) {
    if (only.length && !only.includes(s.name)) continue;
    log(`scenario ${s.name}…`);
    const started = Date.now();
    try {
      rows.push(...(await s.run(ctx)));
    } catch (err) {
      log(`scenario ${s.name} failed: ${(err as Error).stack ?? err}`);
      rows.push({ scenario: s.name, name: 'failed', note: String((err as Error).message ?? err).slice(0, 200), pass: false, budget: 'runs' });
    }
    const tookS = Math.round((Date.now() - started) / 100) / 10;
    rows.push({ scenario: s.name, name: 'scenario wall time', value: tookS, unit: 's' });
    log(`scenario ${s.name} took ${tookS} s`);
  }
  await conn.close();
  const finishedAt = new Date();
  const result = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationS: Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000),
    settings: { connections: CONNECTIONS, durationS: DURATION_S, logLevel: LOG_LEVEL },
    machine,
    rows,
  };
  const out = writeReport(root, result);
  console.log(`\n${table(rows)}\n`);
  log(`wrote ${path.relative(root, out.json)} and ${path.relative(root, out.md)} in ${result.durationS} s`);
  const missed = rows.filter((r) => r.budget && !r.pass);
  if (missed.length) log(`budget missed: ${missed.map((r) => `${r.scenario} ${r.name}`).join('; ')}`);
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await cleanup();
}
