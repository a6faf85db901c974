import { setting, type CloudContext } from './context.js';

/** A refused or failed call to the BFF: `status` and the BFF's error `code` when it answered. */
export class BffCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BffCallError';
  }
}

const DEV_BFF_URL = 'http://127.0.0.1:8700';
const DEV_INTERNAL_TOKEN = 'linli-dev-internal-token';

/**
 * POSTs to an internal BFF route with `X-Internal-Token`. The BFF address and token come from the
 * function's environment (`BFF_URL`, `INTERNAL_TOKEN`). Throws BffCallError on any non-2xx answer or
 * when the BFF cannot be reached within the time left.
 */
export async function callInternal<T>(context: Partial<CloudContext> | undefined, path: string, body: unknown): Promise<T> {
  const base = setting(context, ['BFF_URL', 'LINLI_BFF_URL'], DEV_BFF_URL).replace(/\/$/, '');
  const token = setting(context, ['INTERNAL_TOKEN'], DEV_INTERNAL_TOKEN);
  const budget = Math.max(1000, (context?.getRemainingTimeInMillis?.() ?? 60_000) - 500);
  let res: Response;
  try {
    res = await fetch(`${base}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-internal-token': token },
      body: JSON.stringify(body ?? {}),
      signal: AbortSignal.timeout(budget),
    });
  } catch (err) {
    throw new BffCallError(0, 'BFF_UNREACHABLE', `BFF at ${base} unreachable: ${(err as Error).message}`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new BffCallError(res.status, err?.code ?? 'HTTP_ERROR', `POST ${path} answered ${res.status} ${err?.code ?? ''}: ${err?.message ?? text.slice(0, 200)}`);
  }
  return json as T;
}
