import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error plain ESM script without types
import { startDb, freePort } from '../../scripts/db.mjs';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { OffsetClock } from '../src/common/clock.js';
import { connectDb } from '../src/common/db.js';
import { createLogger } from '../src/common/logger.js';

test('healthz answers 503 while the database is stopped and 200 once it is back', async (t) => {
  if (process.env.MONGO_URL_IS_EXTERNAL) return t.pass('skipped: needs its own embedded database');
  // A database of this test's own, so stopping it disturbs no other test.
  const port: number = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'linli-health-'));
  const saved = process.env.MONGO_URL;
  delete process.env.MONGO_URL;
  let db = await startDb({ port, dataDir, quiet: true });
  process.env.MONGO_URL = saved;
  t.teardown(async () => {
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const config = loadConfig({ LOG_LEVEL: 'silent', MONGO_URL: db.url, DB_NAME: 'health' });
  const conn = await connectDb(config.MONGO_URL, config.DB_NAME);
  t.teardown(() => conn.close());
  const { app } = await createApp(config, { conn, clock: new OffsetClock(), logger: createLogger('silent') });
  const server = http.createServer(app.callback()).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  t.teardown(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/healthz`;

  const up = await fetch(url);
  t.is(up.status, 200);
  t.is(((await up.json()) as { db: string }).db, "up");

  await db.stop();
  const down = await fetch(url);
  t.is(down.status, 503);
  t.is(((await down.json()) as { error: { code: string } }).error.code, "DB_UNAVAILABLE");

  delete process.env.MONGO_URL;
  db = await startDb({ port, dataDir, quiet: true });
  process.env.MONGO_URL = saved;
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i++) {
    status = (await fetch(url)).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 200));
  }
  t.is(status, 200);
});
