#!/usr/bin/env node
// `npm run demo`: one command on a fresh clone. Installs what is missing (npm packages, the embedded
// database build; it needs no browser of its own) and says so, starts the embedded database, seeds the
// demo chain (idempotent), starts the mock super-app host, the BFF, the h5 build of the miniapp and
// the cloud-function timers, and prints one line per service. Ctrl-C stops all.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ensureInstalled } from './ensure.mjs';
import { FERRETDB_VERSION, ensureFerretdb, root, startDb } from './db.mjs';

ensureInstalled();

const ports = {
  bff: Number(process.env.PORT ?? 8700),
  mock: Number(process.env.MOCK_PORT ?? 8701),
  h5: Number(process.env.H5_PORT ?? 8702),
};
const urls = {
  bff: `http://127.0.0.1:${ports.bff}`,
  mock: `http://127.0.0.1:${ports.mock}`,
  h5: `http://127.0.0.1:${ports.h5}`,
};
const logDir = path.join(root, '.data', 'logs');
mkdirSync(logDir, { recursive: true });
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

const children = [];
let db;
let stopping = false;

async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\n[demo] stopping…');
  for (const c of children.reverse()) {
    if (c.exitCode === null && c.signalCode === null) {
      try { process.kill(-c.pid, 'SIGTERM'); } catch { /* already gone */ }
    }
  }
  await Promise.all(children.map((c) => new Promise((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    const t = setTimeout(() => { try { process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ } resolve(); }, 8000);
    c.on('exit', () => { clearTimeout(t); resolve(); });
  })));
  if (db) await db.stop();
  console.log('[demo] stopped; nothing left running.');
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

/** Starts a long-running service in its own process group, its output in .data/logs/<name>.log. */
function service(name, cmd, args, env) {
  const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[demo] ${name} exited (${signal ?? code}); see .data/logs/${name}.log`);
      void stopAll(1);
    }
  });
  children.push(child);
  return child;
}

async function waitHttp(name, url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not answer at ${url} within ${timeoutMs / 1000} s; see .data/logs/${name}.log`);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

try {
  if (!process.env.MONGO_URL) console.error(`[setup] embedded database: FerretDB ${FERRETDB_VERSION} at ${path.relative(root, ensureFerretdb())}`);
  db = await startDb({ quiet: true });
  const env = {
    MONGO_URL: db.url,
    PORT: String(ports.bff),
    MOCK_PORT: String(ports.mock),
    H5_PORT: String(ports.h5),
    MOCK_HOST_URL: urls.mock,
    NOTIFY_URL: `${urls.bff}/api/v1/pay/notify`,
    LINLI_BFF_URL: urls.bff,
    LINLI_MOCK_URL: urls.mock,
  };

  const seeded = spawnSync(tsx, ['mock/src/seed/cli.ts'], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (seeded.status !== 0) throw new Error(`seeding failed:\n${seeded.stderr}`);
  console.log(seeded.stdout.trim());

  service('mock', tsx, ['mock/src/server.ts'], env);
  await waitHttp('mock', `${urls.mock}/healthz`);
  // The h5 server proxies the API: trusted, its X-Forwarded-Host puts poster links on the h5 origin.
  service('bff', tsx, ['bff/src/server.ts'], { TRUSTED_PROXIES: process.env.TRUSTED_PROXIES ?? '1', ...env });
  await waitHttp('bff', `${urls.bff}/api/v1/healthz`);

  const h5Server = path.join(root, 'miniapp', 'scripts', 'serve-h5.mjs');
  if (existsSync(h5Server)) {
    const dist = path.join(root, 'miniapp', 'dist', 'h5');
    if (!existsSync(dist) || newestMtime(path.join(root, 'miniapp', 'src')) > statSync(dist).mtimeMs) {
      console.log('[demo] building the miniapp for h5 (about 20 s)…');
      const built = spawnSync('npm', ['run', 'build:h5', '-w', 'miniapp'], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
      if (built.status !== 0) throw new Error(`h5 build failed:\n${built.stdout}\n${built.stderr}`);
    }
    service('h5', process.execPath, [h5Server], env);
    await waitHttp('h5', `${urls.h5}/`);
  }

  const timers = path.join(root, 'cloud-functions', 'timers.ts');
  if (existsSync(timers)) service('timers', tsx, [timers], { ...env, BFF_URL: urls.bff });

  console.log('');
  console.log(`DB        ${db.url}${db.external ? ' (MONGO_URL)' : ' (embedded FerretDB, data in .data/db)'}`);
  console.log(`Mock host ${urls.mock}`);
  console.log(`BFF       ${urls.bff}`);
  if (existsSync(h5Server)) console.log(`H5        ${urls.h5}`);
  if (existsSync(timers)) console.log('Timers    sweeper + dispatch-messages every minute');
  console.log('');
  console.log('Demo identities (host openids): customers demo-alice, demo-bob, demo-carol;');
  console.log('  clerk demo-clerk (store S001); admin demo-admin. Pick one on the h5 login page.');
  console.log(`Try: curl '${urls.bff}/api/v1/stores?lat=31.23&lng=121.47'`);
  console.log('Logs in .data/logs/. Ctrl-C stops everything.');
} catch (err) {
  console.error(`[demo] ${err.userFacing ? err.message : err.message ?? err}`);
  await stopAll(1);
}
