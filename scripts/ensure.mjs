#!/usr/bin/env node
// Installs the npm packages when they are missing or older than package-lock.json, so that
// `npm run demo` and `npm test` work on a fresh clone with no other step.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function ensureInstalled() {
  const lock = path.join(root, 'package-lock.json');
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const fresh =
    existsSync(marker) &&
    existsSync(path.join(root, 'node_modules', '.bin', 'tsx')) &&
    (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs);
  if (fresh) return;
  const args = existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  console.error(`[setup] npm ${args[0]} (first run only, about a minute)…`);
  const r = spawnSync('npm', args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`[setup] npm ${args[0]} failed (exit ${r.status}); see the lines above.`);
    process.exit(r.status ?? 1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) ensureInstalled();
