#!/usr/bin/env node
// `npm test`: installs what is missing (npm packages, the embedded database build, and for the
// browser tests Chromium and CJK fonts from Debian when root), saying what it does; starts a private
// database (own port, own temporary data folder, removed afterwards), runs every workspace's ava
// tests and then the browser tests, and ends with one line `tests: N passed, M failed`. Exits
// non-zero on any failure. When Chromium or the fonts are missing and cannot be installed (not
// root), it names the command to run and counts the browser suite as 1 failed: never a silent skip.
//
//   npm test                       everything
//   npm test -- bff/test/x.test.ts just those files (no browser tests), other ava flags pass through
//   npm test -- miniapp/e2e/x.e2e.ts just those browser files (mixable with unit files)
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ensureInstalled } from './ensure.mjs';
import { FERRETDB_VERSION, ensureFerretdb, root, startDb } from './db.mjs';
import { ensureBrowserDeps } from './system-deps.mjs';

ensureInstalled();

const argv = process.argv.slice(2);
const isE2e = (a) => a.endsWith('.e2e.ts');
const e2eFiles = argv.filter(isE2e);
const args = argv.filter((a) => !isE2e(a));
const only = argv.length > 0;

function runAva(configFile, extra) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules/ava/entrypoints/cli.mjs'), '--config', configFile, ...extra], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0', LINLI_TEST: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const tee = (stream, sink) => stream.on('data', (d) => { out += d; sink.write(d); });
    tee(child.stdout, process.stdout);
    tee(child.stderr, process.stderr);
    child.on('exit', (code) => {
      const num = (re) => { const m = re.exec(out); return m ? Number(m[1]) : 0; };
      // ava prints "N tests passed" only when nothing failed, so count the passing lines themselves.
      const lines = (re) => (out.match(re) ?? []).length;
      let passed = Math.max(num(/(\d+) tests? passed/), lines(/^\s*✔ /gm));
      let failed = Math.max(num(/(\d+) tests? failed/), lines(/^\s*✘ \[fail\]/gm)) + num(/(\d+) uncaught exceptions?/) + num(/(\d+) unhandled rejections?/) + num(/(\d+) tests? remained pending/);
      if (/Couldn.t find any files to test/.test(out)) { passed = 0; }
      if (code !== 0 && failed === 0) failed = 1;
      resolve({ passed, failed, code });
    });
  });
}

const hasE2e = () => {
  const dir = path.join(root, 'miniapp', 'e2e');
  return existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.e2e.ts'));
};

const runsBrowser = (!only && hasE2e()) || e2eFiles.length > 0;
const runsUnit = !only || args.length > 0;
let browser = { ok: true };
if (runsBrowser) {
  browser = ensureBrowserDeps();
  console.error(browser.ok ? `[setup] browser tests: ${browser.summary}` : `[setup] ${browser.message}\n[setup] so the browser tests will not run, and count as 1 failed.`);
}

let db;
let total = { passed: 0, failed: 0 };
const stopDb = async () => { if (db) await db.stop().catch(() => {}); db = undefined; };
process.on('SIGINT', async () => { await stopDb(); process.exit(130); });
process.on('SIGTERM', async () => { await stopDb(); process.exit(143); });

try {
  if (!process.env.MONGO_URL) console.error(`[setup] embedded database: FerretDB ${FERRETDB_VERSION} at ${path.relative(root, ensureFerretdb())}`);
  db = await startDb({ ephemeral: true, quiet: true });
  process.env.MONGO_URL = db.url;
  console.log(`[test] private database at ${db.url}`);
  if (runsUnit) {
    const unit = await runAva('ava.config.mjs', args);
    total.passed += unit.passed;
    total.failed += unit.failed;
  }
  if (runsBrowser && browser.ok) {
    console.log('[test] browser tests (Chromium, whole stack)…');
    const e2e = await runAva('ava.e2e.config.mjs', e2eFiles);
    total.passed += e2e.passed;
    total.failed += e2e.failed;
  } else if (runsBrowser) {
    console.log(`[test] browser tests NOT run (counted as 1 failed): ${browser.message}`);
    total.failed += 1;
  }
} catch (err) {
  console.error(err.userFacing ? err.message : err);
  total.failed += 1;
} finally {
  await stopDb();
}
console.log(`tests: ${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
