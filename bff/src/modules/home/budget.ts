/** The outcome of one part of a composed screen: its value, or why it is missing. */
export type PartResult<T> = { ok: true; value: T } | { ok: false; reason: 'timeout' | 'error'; error?: unknown };

/**
 * Runs named parts in parallel under one shared time budget. A part that throws or is still running
 * when the budget ends is reported as missing; the others are kept. Never rejects.
 */
export async function runParts<K extends string>(
  parts: Partial<Record<K, () => Promise<unknown>>>,
  budgetMs: number,
): Promise<Record<K, PartResult<unknown>>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(resolve, budgetMs, 'timeout');
  });
  const TIMEOUT = Symbol('timeout');
  try {
    const entries = await Promise.all(
      (Object.entries(parts) as [K, () => Promise<unknown>][]).map(async ([name, fn]): Promise<[K, PartResult<unknown>]> => {
        try {
          const v = await Promise.race([Promise.resolve().then(fn), deadline.then(() => TIMEOUT)]);
          return [name, v === TIMEOUT ? { ok: false, reason: 'timeout' } : { ok: true, value: v }];
        } catch (error) {
          return [name, { ok: false, reason: 'error', error }];
        }
      }),
    );
    return Object.fromEntries(entries) as Record<K, PartResult<unknown>>;
  } finally {
    clearTimeout(timer);
  }
}
