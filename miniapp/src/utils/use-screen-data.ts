import { useDidShow } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * The data a screen shows: fetched when it mounts, when `key` changes, and each time the page shows
 * again (back from a sub-page); `reload` fetches again (after an action, or 重试). `fetch` null means
 * not ready (no store picked yet): nothing is fetched. A failed fetch keeps the last data and gives
 * the error's message, which the API client has already put in Chinese.
 */
export function useScreenData<T>(fetch: (() => Promise<T>) | null, key: readonly unknown[]): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(fetch);
  latest.current = fetch;
  const reload = useCallback(() => {
    latest
      .current?.()
      .then((r) => {
        setData(r);
        setError(null);
      })
      .catch((e: Error) => setError(e.message));
    // `key` names what the fetch depends on; the ref holds the fetch of the latest render.
  }, key);
  useDidShow(reload);
  useEffect(reload, [reload]);
  return { data, error, reload };
}
