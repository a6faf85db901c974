#!/usr/bin/env node
// The embedded database: builds FerretDB (SQLite backend) from the Go module proxy once, with the small
// patches in scripts/ferretdb/patches applied, starts it on loopback with its data in a git-ignored
// folder, waits for a ping, and stops it cleanly.
// If MONGO_URL is set, that database is used instead and nothing is built or started.
//
//   node scripts/db.mjs build            build (or reuse) the binary, print its path
//   node scripts/db.mjs start            run the demo database in the foreground (Ctrl-C stops it)
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.join(root, 'scripts', 'ferretdb');
const patchDir = path.join(srcDir, 'patches');
export const FERRETDB_VERSION = 'v1.24.2';
export const DEMO_DB_PORT = Number(process.env.LINLI_DB_PORT ?? 27117);

function fail(message) {
  const err = new Error(message);
  err.userFacing = true;
  throw err;
}

/** Sources the binary is built from: the launcher (Go files, go.mod, go.sum) and the patches of FerretDB. */
function launcherSources() {
  const files = readdirSync(srcDir).filter((f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum').sort();
  const patches = existsSync(patchDir) ? readdirSync(patchDir).filter((f) => f.endsWith('.patch')).sort() : [];
  return { files, patches };
}

function go(args, options) {
  return spawnSync('go', args, { ...options, env: { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', ...options?.env } });
}

/**
 * Copies the FerretDB module, exactly as the Go proxy serves it (checked against go.sum), into dir and
 * applies scripts/ferretdb/patches/*.patch to the copy in order. Fails unless every file of every patch
 * applied cleanly.
 */
function patchedFerretdb(dir, patches) {
  const dl = go(['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`], { cwd: srcDir, encoding: 'utf8' });
  const mod = dl.status === 0 ? JSON.parse(dl.stdout) : null;
  if (!mod?.Dir) fail(`[db] could not download FerretDB ${FERRETDB_VERSION} from the Go module proxy: ${(dl.stderr || dl.stdout || '').trim()}`);
  cpSync(mod.Dir, dir, { recursive: true });
  makeWritable(dir); // the module cache is read-only
  for (const p of patches) {
    const file = path.join(patchDir, p);
    // GIT_CEILING_DIRECTORIES: git must not take the enclosing repository for the copy's, or it would
    // apply paths relative to that repository and skip the rest.
    const r = spawnSync('git', ['apply', '--verbose', file], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(dir) },
    });
    if (r.error) fail(`[db] git is needed to apply ${p} to FerretDB: ${r.error.message}`);
    const want = (readFileSync(file, 'utf8').match(/^diff --git /gm) ?? []).length;
    const applied = (r.stderr.match(/^Applied patch .* cleanly\.$/gm) ?? []).length;
    if (r.status !== 0 || want === 0 || applied !== want) {
      fail(`[db] patch scripts/ferretdb/patches/${p} does not apply to FerretDB ${FERRETDB_VERSION} (${applied} of ${want} files):\n${r.stderr.trim()}`);
    }
  }
}

function makeWritable(dir) {
  chmodSync(dir, 0o755);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) makeWritable(p);
    else chmodSync(p, 0o644);
  }
}

/**
 * Path of the FerretDB binary: the launcher built against FerretDB with Linli's patches applied
 * (scripts/ferretdb/patches). Built when missing or when the launcher or a patch changed.
 */
export function ensureFerretdb() {
  const { files, patches } = launcherSources();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(readFileSync(path.join(srcDir, f)));
  for (const p of patches) hash.update(`patches/${p}`).update(readFileSync(path.join(patchDir, p)));
  const key = `${FERRETDB_VERSION}-${hash.digest('hex').slice(0, 12)}`;
  const outDir = path.join(root, '.cache', 'ferretdb');
  const bin = path.join(outDir, `ferretdb-${key}`);
  if (existsSync(bin)) return bin;

  const version = go(['version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    fail('Go is not installed, so the embedded FerretDB cannot be built: install Go 1.24+ from https://go.dev/dl (Debian 12\'s golang-go is 1.19, too old), or set MONGO_URL to a MongoDB server.');
  }
  mkdirSync(outDir, { recursive: true });
  console.error(`[setup] embedded database: building FerretDB ${FERRETDB_VERSION} (${patches.length} patches) from the Go module proxy with ${version.stdout.trim()} into .cache/ferretdb (first run only, ~2 min)…`);
  const work = path.join(outDir, `build-${key}.${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const modDir = path.join(work, 'FerretDB');
    patchedFerretdb(modDir, patches);
    // The launcher's go.mod and go.sum, plus a replace of FerretDB by the patched copy.
    const modfile = path.join(work, 'go.mod');
    copyFileSync(path.join(srcDir, 'go.mod'), modfile);
    copyFileSync(path.join(srcDir, 'go.sum'), path.join(work, 'go.sum'));
    const rel = path.relative(srcDir, modDir).split(path.sep).join('/'); // relative to the main module
    const edit = go(['mod', 'edit', `-replace=github.com/FerretDB/FerretDB=${rel}`, modfile], { encoding: 'utf8' });
    if (edit.status !== 0) fail(`[db] go mod edit failed: ${edit.stderr.trim()}`);
    const tmp = `${bin}.${process.pid}.tmp`;
    const build = go(['build', '-trimpath', `-modfile=${modfile}`, '-o', tmp, '.'], {
      cwd: srcDir,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (build.status !== 0) fail(`[db] building FerretDB failed (go build exited ${build.status}); see the lines above.`);
    renameSync(tmp, bin);
    console.error(`[setup] embedded database: built ${path.relative(root, bin)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return bin;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once a MongoDB-protocol server at url answers ping, or rejects after timeoutMs. */
export async function waitForPing(url, timeoutMs = 30_000) {
  const requireFromRoot = (await import('node:module')).createRequire(path.join(root, 'package.json'));
  const { MongoClient } = requireFromRoot('mongodb');
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  while (Date.now() < deadline) {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (err) {
      lastErr = err;
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await client.close().catch(() => {});
    }
  }
  fail(`[db] no answer to ping from ${url} within ${timeoutMs} ms: ${lastErr?.message}`);
}

/**
 * Starts a FerretDB server. With `ephemeral`, the data folder is a fresh temporary one removed on stop.
 * Returns { url, port, stop(), process }. Honours MONGO_URL (then nothing is started).
 */
export async function startDb({ port, dataDir, ephemeral = false, quiet = false } = {}) {
  if (process.env.MONGO_URL) {
    await waitForPing(process.env.MONGO_URL);
    return { url: process.env.MONGO_URL, external: true, stop: async () => {} };
  }
  const bin = ensureFerretdb();
  port ??= ephemeral ? await freePort() : DEMO_DB_PORT;
  dataDir ??= ephemeral ? mkdtempSync(path.join(os.tmpdir(), 'linli-db-')) : path.join(root, '.data', 'db');
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(bin, ['-listen', `127.0.0.1:${port}`, '-data', dataDir], {
    stdio: ['ignore', 'ignore', quiet ? 'ignore' : 'inherit'],
  });
  let exited = false;
  const exitedP = new Promise((resolve) => child.on('exit', () => { exited = true; resolve(); }));
  const url = `mongodb://127.0.0.1:${port}/`;
  try {
    await Promise.race([
      waitForPing(url),
      exitedP.then(() => fail(`[db] FerretDB exited at start (is port ${port} taken?)`)),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitedP;
      clearTimeout(t);
    }
    if (ephemeral) rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, port, dataDir, process: child, stop };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cmd = process.argv[2] ?? 'start';
  try {
    if (cmd === 'build') {
      console.log(ensureFerretdb());
    } else if (cmd === 'start') {
      const db = await startDb();
      console.log(`DB  ${db.url}`);
      const stop = async () => { await db.stop(); process.exit(0); };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    } else {
      console.error('usage: node scripts/db.mjs build|start');
      process.exit(2);
    }
  } catch (err) {
    console.error(err.userFacing ? err.message : err);
    process.exit(1);
  }
}
