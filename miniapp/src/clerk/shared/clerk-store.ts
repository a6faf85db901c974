import Taro from '@tarojs/taro';
import { createTinyStore, useTinyStore } from '../../store/tiny-store';
import { sessionStore, useSession } from '../../store/session';

const KEY = 'linli.clerk.store';

function load(): string | null {
  try {
    return (Taro.getStorageSync(KEY) as string) || null;
  } catch {
    return null;
  }
}

/** The store a clerk of several stores is working for (the first of theirs until they switch). */
export const clerkStore = createTinyStore<string | null>(load(), (v) => {
  try {
    Taro.setStorageSync(KEY, v ?? '');
  } catch {
    /* memory only */
  }
});

/** The clerk's current store id: the chosen one when it is still theirs, else their first. */
export function useClerkStoreId(): [string, (id: string) => void, string[]] {
  const session = useSession();
  const chosen = useTinyStore(clerkStore);
  const ids = session.user?.clerkStoreIds ?? [];
  const current = chosen && ids.includes(chosen) ? chosen : (ids[0] ?? '');
  return [current, (id) => clerkStore.set(id), ids];
}

/** For code outside React (the chosen store, validated against the session). */
export function currentClerkStoreId(): string {
  const ids = sessionStore.get().user?.clerkStoreIds ?? [];
  const chosen = clerkStore.get();
  return chosen && ids.includes(chosen) ? chosen : (ids[0] ?? '');
}
