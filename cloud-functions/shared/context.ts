/**
 * What the host hands a cloud function besides its event, as its Node runtime does: the caller's
 * identity (`OPENID`, `APPID`, `UNIONID`, `SOURCE`, `ENV`, what wx-server-sdk's `getWXContext()`
 * answers) and the runtime's own fields (`request_id`, `function_name`, limits, `environ`).
 */
export interface CloudContext {
  FUNCTION_NAME: string;
  /** The calling user's openid; absent for timer triggers. */
  OPENID?: string;
  APPID: string;
  UNIONID?: string;
  /** `wx_client` (miniapp), `wx_devtools`, `wx_trigger` (timer), `wx_http`, … */
  SOURCE: string;
  /** Cloud environment id. */
  ENV: string;
  request_id: string;
  function_name: string;
  function_version: string;
  namespace: string;
  memory_limit_in_mb: number;
  time_limit_in_ms: number;
  /** The function's environment variables, `KEY=value;KEY=value` as the runtime passes them. */
  environ: string;
  getRemainingTimeInMillis(): number;
}

/** The event of a timer trigger. */
export interface TimerEvent {
  Type: 'Timer';
  TriggerName: string;
  Time: string;
  Message: string;
}

export type CloudFunction<E = unknown, R = unknown> = (event: E, context: CloudContext) => Promise<R>;

/** `KEY=value;KEY=value` → object (values may contain `=`). */
export function parseEnviron(environ: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (environ ?? '').split(';')) {
    const i = pair.indexOf('=');
    if (i > 0) out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

/** One setting: the invocation's `environ` first, then the process environment, then the default. */
export function setting(context: Partial<CloudContext> | undefined, names: string[], fallback: string): string {
  const environ = parseEnviron(context?.environ);
  for (const n of names) {
    const v = environ[n] ?? process.env[n];
    if (v) return v;
  }
  return fallback;
}

/**
 * The caller's identity as wx-server-sdk's `cloud.getWXContext()` gives it: from the invocation's
 * context, else from the `WX_*` variables the runtime sets. Never from the event, which the caller writes.
 */
export function getWXContext(context: Partial<CloudContext> | undefined) {
  const pick = (...vs: (string | undefined)[]) => vs.find((v) => typeof v === 'string' && v.length > 0);
  return {
    OPENID: pick(context?.OPENID, process.env.WX_OPENID),
    APPID: pick(context?.APPID, process.env.WX_APPID),
    UNIONID: pick(context?.UNIONID, process.env.WX_UNIONID),
    ENV: pick(context?.ENV, process.env.TCB_ENV, process.env.SCF_NAMESPACE),
    SOURCE: pick(context?.SOURCE, process.env.TCB_SOURCE),
  };
}

/** One log line, as the runtime collects console output; silent when `LOG_LEVEL=silent`. */
export function log(context: Partial<CloudContext> | undefined, line: string): void {
  if (setting(context, ['LOG_LEVEL'], 'info') !== 'silent') console.log(line);
}
