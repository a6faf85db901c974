import Taro from '@tarojs/taro';
import type { UserDto } from '@linli/contracts';
import type { Tokens, TokenStore } from '../services/api-core';
import { createTinyStore, useTinyStore } from './tiny-store';

/** Who is logged in, as the BFF's login answered. */
export type SessionUser = UserDto;
export interface Session {
  tokens: Tokens | null;
  user: SessionUser | null;
  /** The host openid chosen on the h5 dev login page (used for dev phone codes). */
  openid?: string;
}
/** The store whose catalog the customer is browsing. */
export interface CurrentStore {
  id: string;
  name: string;
  distanceM?: number;
  /** true when the customer picked it, false when it was the nearest. */
  chosen: boolean;
}

const SESSION_KEY = 'linli.session';
const STORE_KEY = 'linli.store';

function load<T>(key: string, fallback: T): T {
  try {
    const v = Taro.getStorageSync(key);
    return v ? (JSON.parse(v) as T) : fallback;
  } catch {
    return fallback;
  }
}
function save(key: string, value: unknown) {
  try {
    Taro.setStorageSync(key, JSON.stringify(value));
  } catch {
    /* storage full or unavailable: the session lives in memory only */
  }
}

export const sessionStore = createTinyStore<Session>(load(SESSION_KEY, { tokens: null, user: null }), (v) => save(SESSION_KEY, v));
export const currentStore = createTinyStore<CurrentStore | null>(load(STORE_KEY, null), (v) => save(STORE_KEY, v));

export const useSession = () => useTinyStore(sessionStore);
export const useCurrentStore = () => useTinyStore(currentStore);

/** An operator of the chain (the console in the `admin/` package). */
export const isAdmin = (s: Session) => !!s.user?.roles.includes('admin');
export const isClerk = (s: Session) => !!s.user?.roles.includes('clerk') && s.user.clerkStoreIds.length > 0;

/** The api client's view of the session's tokens. */
export const tokenStore: TokenStore = {
  get: () => sessionStore.get().tokens,
  set: (tokens) => sessionStore.set((s) => ({ ...s, tokens })),
  clear: () => sessionStore.set({ tokens: null, user: null }),
};
