// The process under test: the BFF and a bare Koa server side by side, so both share one event loop's
// conditions. Started by run.ts with fork(); reports its URLs over IPC. Logs go where the BFF's go
// (info level by default, to /dev/null), so the access log's cost is part of what is measured.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { systemClock } from '../src/common/clock.js';
import { connectDb } from '../src/common/db.js';
import { createLogger } from '../src/common/logger.js';

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const config = loadConfig();
// BENCH_DB_TRACE=<file>: every database command's time, summed per command, collection and filter
// shape, written to that file when the process ends (to find which query a scenario waits on).
const trace = process.env.BENCH_DB_TRACE;
const conn = await connectDb(config.MONGO_URL, config.DB_NAME, trace ? { monitorCommands: true } : {});
if (trace) traceCommands(conn, trace);
const { app, core } = await createApp(config, { conn, clock: systemClock, logger: createLogger(config.LOG_LEVEL) });
const warm = await core.services.catalog.warm();
const bff = await listen(app.callback());

/** The bare route: the same bytes from memory, no middleware at all. */
const bytes = new Map<string, { body: Buffer; type: string }>();
const bareApp = new Koa();
bareApp.use(async (ctx) => {
  const key = ctx.path.slice('/bytes/'.length);
  if (ctx.method === 'PUT') {
    const chunks: Buffer[] = [];
    for await (const c of ctx.req) chunks.push(c as Buffer);
    bytes.set(key, { body: Buffer.concat(chunks), type: ctx.get('content-type') || 'application/json' });
    ctx.status = 204;
    return;
  }
  const hit = bytes.get(key);
  if (!hit) return;
  ctx.type = hit.type;
  ctx.body = hit.body;
});
const bare = await listen(bareApp.callback());

process.send?.({ bffUrl: bff.url, bareUrl: bare.url, warmMs: warm.ms });
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

function traceCommands(c: typeof conn, file: string): void {
  const shapeOf = (v: unknown): string =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) ? `{${Object.keys(v).map((k) => (k.startsWith('$') ? `${k}:${shapeOf((v as Record<string, unknown>)[k])}` : k)).join(',')}}` : '';
  const started = new Map<number, { key: string; t: number }>();
  const sums = new Map<string, { n: number; ms: number; max: number }>();
  const client = c.getClient();
  client.on('commandStarted', (e) => {
    const cmd = e.command as Record<string, unknown>;
    const coll = String(cmd[e.commandName] ?? '');
    const first = (x: unknown) => (Array.isArray(x) ? x[0] : x) as Record<string, unknown> | undefined;
    const filter = e.commandName === 'find' || e.commandName === 'findAndModify' ? (cmd.filter ?? cmd.query) : e.commandName === 'update' ? first(cmd.updates)?.q : e.commandName === 'delete' ? first(cmd.deletes)?.q : e.commandName === 'aggregate' ? first(cmd.pipeline) : e.commandName === 'count' ? cmd.query : undefined;
    started.set(e.requestId, { key: `${e.commandName} ${coll} ${shapeOf(filter)}`, t: performance.now() });
  });
  const done = (e: { requestId: number }) => {
    const s0 = started.get(e.requestId);
    if (!s0) return;
    started.delete(e.requestId);
    const ms = performance.now() - s0.t;
    const agg = sums.get(s0.key) ?? { n: 0, ms: 0, max: 0 };
    agg.n++;
    agg.ms += ms;
    agg.max = Math.max(agg.max, ms);
    sums.set(s0.key, agg);
  };
  client.on('commandSucceeded', done);
  client.on('commandFailed', done);
  process.on('exit', () => {
    const rows = [...sums].sort((a, b) => b[1].ms - a[1].ms).map(([k, v]) => `${v.ms.toFixed(0).padStart(9)} ms ${String(v.n).padStart(6)} × avg ${(v.ms / v.n).toFixed(1).padStart(7)} max ${v.max.toFixed(0).padStart(6)}  ${k}`);
    writeFileSync(file, rows.join('\n') + '\n');
  });
}
