// The whole stack for browser tests: a fresh seeded database, the mock host and the BFF as child
// processes on random ports, and the h5 build served by serve-h5.mjs proxying to them.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import type http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const miniappDir = path.resolve(here, '..');
export const repoRoot = path.resolve(miniappDir, '..');
const tsxCli = path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
export const INTERNAL_TOKEN = 'linli-e2e-internal-token-0123456789';

export interface Stack {
  dbName: string;
  bffUrl: string;
  mockUrl: string;
  h5Url: string;
  stop(): Promise<void>;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** The browser tests' own h5 build (the demo's dist/h5 is never touched while it may be served). */
export const E2E_H5_DIR = path.join(miniappDir, 'dist', 'e2e', 'h5');

/** What the h5 build is made from: the app's sources and config, and the contracts it imports. */
const H5_INPUTS = [path.join(miniappDir, 'src'), path.join(miniappDir, 'config'), path.join(repoRoot, 'contracts', 'src')];

/** Builds the h5 app into dist/e2e/h5 when missing or older than any of its inputs. */
export async function ensureH5Build(): Promise<void> {
  const index = path.join(E2E_H5_DIR, 'index.html');
  const srcNewest = Math.max(...H5_INPUTS.map(newestMtime));
  if (existsSync(index) && statSync(index).mtimeMs > srcNewest) return;
  const { buildTarget } = await import('../scripts/build.mjs');
  const r = await buildTarget('h5', { outputRoot: 'dist/e2e/h5' });
  if (!r.ok || !existsSync(index)) throw new Error(`h5 build failed:\n${r.output.slice(-3000)}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Spawns a server script with tsx and resolves with the URL it prints (`<label> http://...`). */
function startChild(script: string, env: Record<string, string>, label: RegExp): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [tsxCli, script], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start in 30 s:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = label.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        child.stderr!.resume();
        resolve({ child, url: m[1] });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${out}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts database (fresh name on MONGO_URL, seeded), mock host, BFF and the h5 server. */
export async function startStack(): Promise<Stack> {
  const mongoUrl = process.env.MONGO_URL;
  if (!mongoUrl) throw new Error('MONGO_URL is not set: run browser tests through `npm test`');
  const dbName = `e2e_${randomBytes(5).toString('hex')}`;
  const { connectDb } = await import('@linli/bff/common/db');
  const { seed } = await import('@linli/mock/seed/seed');
  const conn = await connectDb(mongoUrl, dbName);
  await seed(conn);

  const children: ChildProcess[] = [];
  let h5: http.Server | undefined;
  const stop = async () => {
    if (h5) {
      h5.closeAllConnections();
      await new Promise((r) => h5!.close(r));
    }
    await Promise.all(children.map(stopChild));
    await conn.dropDatabase().catch(() => {});
    await conn.close().catch(() => {});
  };
  try {
    // The mock host needs the BFF's notify URL and the BFF the mock's URL: start the mock with a
    // reserved BFF port, then the BFF on it.
    const bffPort = await freePort();
    const bffUrl = `http://127.0.0.1:${bffPort}`;
    const mock = await startChild(
      'mock/src/server.ts',
      { MOCK_PORT: '0', NOTIFY_URL: `${bffUrl}/api/v1/pay/notify`, LOG_LEVEL: 'warn' },
      /Mock host (http:\/\/\S+)/,
    );
    children.push(mock.child);
    const bff = await startChild(
      'bff/src/server.ts',
      {
        PORT: String(bffPort),
        MONGO_URL: mongoUrl,
        DB_NAME: dbName,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        ALLOW_TEST_CLOCK: '1',
        INTERNAL_TOKEN,
        MOCK_HOST_URL: mock.url,
        // serve-h5.mjs is the BFF's proxy: its X-Forwarded-Host puts poster links on the h5 origin.
        TRUSTED_PROXIES: '1',
        PAY_NOTIFY_URL: `${bffUrl}/api/v1/pay/notify`,
        // The test advances the BFF's clock by a day; the host's notifications keep real time, so
        // their freshness window must span the jump.
        PAY_TIMESTAMP_WINDOW_S: String(3 * 24 * 3600),
      },
      /BFF (http:\/\/\S+)/,
    );
    children.push(bff.child);
    await ensureH5Build();
    const { startH5Server } = await import('../scripts/serve-h5.mjs');
    const served = await startH5Server({ port: 0, root: E2E_H5_DIR, bffUrl: bff.url, mockUrl: mock.url });
    h5 = served.server;
    return { dbName, bffUrl: bff.url, mockUrl: mock.url, h5Url: served.url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Calls the BFF's internal surface (test clock, sweep). */
export async function internal(stack: Stack, pathname: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${stack.bffUrl}/api/v1${pathname}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Internal-Token': INTERNAL_TOKEN },
    body: JSON.stringify(body ?? {}),
  });
  if (!res.ok) throw new Error(`${pathname} answered ${res.status}: ${await res.text()}`);
  return res.json();
}
