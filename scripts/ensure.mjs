#!/usr/bin/env node
// Installs the npm packages when they are missing or older than package-lock.json, so that
// `npm run demo` and `npm test` work on a fresh clone with no other step. Says what it did.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs `npm ci` (or `npm install` without a lock file) unless node_modules matches the lock file. */
export function ensureInstalled({ quiet = false } = {}) {
  const lock = path.join(root, 'package-lock.json');
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const fresh =
    existsSync(marker) &&
    existsSync(path.join(root, 'node_modules', '.bin', 'tsx')) &&
    (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs);
  if (fresh) {
    if (!quiet) console.error('[setup] npm packages: up to date');
    return;
  }
  const args = existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  console.error(`[setup] npm ${args[0]} (first run only, about a minute)…`);
  const r = spawnSync('npm', args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`[setup] npm ${args[0]} failed (exit ${r.status}); see the lines above.`);
    process.exit(r.status ?? 1);
  }
  console.error(`[setup] npm packages: installed (npm ${args[0]})`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) ensureInstalled({ quiet: true });
