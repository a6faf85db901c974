// The local runner: invokes one cloud function as the host would, with a realistic context.
//
//   npm run fn -- <name> [event.json] [--openid demo-alice] [--dist]
//
// Without an event file, a function with a timer trigger gets that timer's event and any other an
// empty event. `--dist` runs the built bundle (`<name>/dist/index.js`, see build.ts) instead of the source.
// BFF_URL and INTERNAL_TOKEN in the environment reach the function as on the host.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CloudContext, CloudFunction, TimerEvent } from './shared/context.js';
import { FUNCTIONS_ROOT, assertFunction, readConfig } from './functions.js';

export interface InvokeOptions {
  /** Environment variables of this invocation (`BFF_URL`, `INTERNAL_TOKEN`, …), passed as the context's `environ`. */
  env?: Record<string, string>;
  /** Caller identity; defaults to the demo customer for client calls, none for timer events. */
  openid?: string | null;
  unionid?: string | null;
  appid?: string;
  source?: string;
  /** Run the built bundle instead of the TypeScript source. */
  dist?: boolean;
  timeLimitMs?: number;
}

const DEMO_APPID = 'wx0linli0demo0app';
/** The time limit the functions are deployed with (the host's maximum for a timer function is 60 s). */
export const DEFAULT_TIME_LIMIT_MS = 60_000;

/** The event a timer trigger of this function sends. */
export function timerEvent(name: string, at = new Date()): TimerEvent | undefined {
  const trigger = readConfig(name).triggers?.find((t) => t.type === 'timer');
  return trigger && { Type: 'Timer', TriggerName: trigger.name, Time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'), Message: '' };
}

/** The context the host gives one invocation. */
export function makeContext(name: string, event: unknown, opts: InvokeOptions = {}): CloudContext {
  const isTimer = !!event && typeof event === 'object' && (event as { Type?: unknown }).Type === 'Timer';
  const timeLimit = opts.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const started = Date.now();
  const openid = opts.openid === undefined ? (isTimer ? undefined : 'demo-alice') : (opts.openid ?? undefined);
  return {
    FUNCTION_NAME: name,
    OPENID: openid,
    APPID: opts.appid ?? DEMO_APPID,
    UNIONID: opts.unionid === undefined ? (openid ? `union-${openid}` : undefined) : (opts.unionid ?? undefined),
    SOURCE: opts.source ?? (isTimer ? 'wx_trigger' : 'wx_devtools'),
    ENV: 'linli-local',
    request_id: randomUUID(),
    function_name: name,
    function_version: '$LATEST',
    namespace: 'linli-local',
    memory_limit_in_mb: 256,
    time_limit_in_ms: timeLimit,
    environ: Object.entries(opts.env ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(';'),
    getRemainingTimeInMillis: () => Math.max(0, timeLimit - (Date.now() - started)),
  };
}

async function load(name: string, dist: boolean): Promise<CloudFunction> {
  if (dist) {
    const require = createRequire(import.meta.url);
    const mod = require(path.join(FUNCTIONS_ROOT, name, 'dist', 'index.js')) as { main?: CloudFunction };
    if (typeof mod.main !== 'function') throw new Error(`${name}/dist/index.js does not export main; run the build`);
    return mod.main;
  }
  const mod = (await import(pathToFileURL(path.join(FUNCTIONS_ROOT, name, 'index.ts')).href)) as { main?: CloudFunction };
  if (typeof mod.main !== 'function') throw new Error(`${name}/index.ts does not export main`);
  return mod.main;
}

/**
 * Invokes a cloud function once: `main(event, context)` with the context the host would give, and
 * the host's time limit. Resolves to what `main` returns; rejects with what it throws.
 */
export async function invoke<R = unknown>(name: string, event?: unknown, opts: InvokeOptions = {}): Promise<R> {
  assertFunction(name);
  const ev = event ?? timerEvent(name) ?? {};
  const context = makeContext(name, ev, opts);
  const main = await load(name, opts.dist ?? false);
  let timer: NodeJS.Timeout | undefined;
  try {
    return (await Promise.race([
      main(ev, context),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${name} timed out after ${context.time_limit_in_ms} ms`)), context.time_limit_in_ms);
      }),
    ])) as R;
  } finally {
    clearTimeout(timer);
  }
}

function usage(): never {
  console.error('usage: npm run fn -- <name> [event.json] [--openid <openid>] [--dist]');
  process.exit(2);
}

async function cli(argv: string[]) {
  const opts: InvokeOptions = { env: {} };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dist') opts.dist = true;
    else if (a === '--openid') opts.openid = argv[++i] ?? usage();
    else if (a.startsWith('--')) usage();
    else rest.push(a);
  }
  const [name, eventFile] = rest;
  if (!name) usage();
  const event = eventFile ? JSON.parse(readFileSync(eventFile, 'utf8')) : undefined;
  const started = Date.now();
  try {
    const result = await invoke(name, event, opts);
    console.log(JSON.stringify(result, null, 2));
    console.error(`[fn] ${name} ok in ${Date.now() - started} ms`);
  } catch (err) {
    console.error(`[fn] ${name} failed: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await cli(process.argv.slice(2));
}
