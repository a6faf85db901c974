import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { paramsFromHash } from './live-params';

/**
 * The page's query, kept current. Taro's h5 router shows a page it still holds when a link to the
 * same page with another query is opened in the tab (e.g. a second group link), and `useRouter` keeps
 * the first query; this reads the address on every show, so the page follows the link it is showing.
 */
export function useLiveParams(): Record<string, string | undefined> {
  const router = useRouter();
  const [params, setParams] = useState<Record<string, string | undefined>>(router.params);
  useDidShow(() => {
    if (process.env.TARO_ENV !== 'h5') return;
    const page = Taro.getCurrentInstance().router?.path ?? router.path;
    const now = paramsFromHash(window.location.hash, page.split('?')[0]);
    if (!now) return;
    const keys = new Set([...Object.keys(now), ...Object.keys(params)].filter((k) => k !== '$taroTimestamp' && k !== 'stamp'));
    if ([...keys].some((k) => (now[k] ?? undefined) !== params[k])) setParams(now);
  });
  return params;
}
