// The process under test: the BFF and a bare Koa server side by side, so both share one event loop's
// conditions. Started by run.ts with fork(); reports its URLs over IPC. Logs go where the BFF's go
// (info level by default, to /dev/null), so the access log's cost is part of what is measured.
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
const conn = await connectDb(config.MONGO_URL, config.DB_NAME);
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
