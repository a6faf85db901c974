// Runs the cloud functions' timer triggers on their schedule, as the host does (`npm run demo`
// starts it): every function whose config.json has a timer trigger is invoked through the local
// runner at each matching second. A run still going when the next is due is not overlapped.
//
//   tsx cloud-functions/timers.ts            BFF_URL and INTERNAL_TOKEN from the environment
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseCron } from './cron.js';
import { functionNames, readConfig } from './functions.js';
import { invoke, timerEvent, type InvokeOptions } from './runner.js';

export interface TimersOptions {
  /** Functions to schedule; default every function with a timer trigger. */
  functions?: string[];
  env?: Record<string, string>;
  /** One line per run. */
  log?: (line: string) => void;
  /** Also run each function once right away. */
  runAtStart?: boolean;
}

export interface Timers {
  stop(): void;
  /** Runs finished so far, per function. */
  runs: Record<string, number>;
}

export function startTimers(opts: TimersOptions = {}): Timers {
  const log = opts.log ?? ((line: string) => console.log(line));
  const names = opts.functions ?? functionNames().filter((n) => readConfig(n).triggers?.some((t) => t.type === 'timer'));
  const timeouts = new Set<NodeJS.Timeout>();
  const running = new Set<string>();
  const runs: Record<string, number> = {};
  let stopped = false;
  const invokeOpts: InvokeOptions = { env: opts.env };

  async function fire(name: string, trigger: string, at: Date) {
    if (running.has(name)) {
      log(`[timers] ${name}: previous run still going, skipped ${at.toISOString()}`);
      return;
    }
    running.add(name);
    const started = Date.now();
    try {
      const ev = { ...timerEvent(name, at)!, TriggerName: trigger };
      const result = await invoke(name, ev, invokeOpts);
      log(`[timers] ${name} ok in ${Date.now() - started} ms ${JSON.stringify(result)}`);
    } catch (err) {
      log(`[timers] ${name} failed in ${Date.now() - started} ms: ${(err as Error).message}`);
    } finally {
      running.delete(name);
      runs[name] = (runs[name] ?? 0) + 1;
    }
  }

  function schedule(name: string, trigger: string, cron: ReturnType<typeof parseCron>) {
    if (stopped) return;
    const at = cron.next(new Date());
    const t = setTimeout(() => {
      timeouts.delete(t);
      void fire(name, trigger, at);
      schedule(name, trigger, cron);
    }, Math.max(0, at.getTime() - Date.now()));
    timeouts.add(t);
  }

  for (const name of names) {
    for (const trigger of readConfig(name).triggers ?? []) {
      if (trigger.type !== 'timer') continue;
      const cron = parseCron(trigger.config);
      log(`[timers] ${name}: trigger ${trigger.name} "${trigger.config}", next ${cron.next(new Date()).toISOString()}`);
      if (opts.runAtStart) void fire(name, trigger.name, new Date());
      schedule(name, trigger.name, cron);
    }
  }

  return {
    runs,
    stop() {
      stopped = true;
      for (const t of timeouts) clearTimeout(t);
      timeouts.clear();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const timers = startTimers({ runAtStart: process.env.TIMERS_RUN_AT_START === '1' });
  const stop = () => {
    timers.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
