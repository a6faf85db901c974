import Taro from '@tarojs/taro';
import { host } from '../host';
import { sessionStore } from '../store/session';
import { routes } from '../utils/routes';
import { api } from './api';

/** Logs in with a host code (weapp: Taro.login; h5: a demo openid) and keeps the session. */
export async function loginWith(openid?: string): Promise<void> {
  const code = await host.loginCode(openid);
  const r = await api.login(code);
  sessionStore.set({ tokens: { accessToken: r.accessToken, refreshToken: r.refreshToken }, user: r.user, openid });
}

/** The path of the page on screen with its query, to come back to after logging in. */
export function currentPath(): string {
  const router = Taro.getCurrentInstance().router;
  if (!router) return routes.home();
  const base = router.path.split('?')[0];
  const params = Object.entries(router.params ?? {})
    .filter(([k, v]) => v !== undefined && k !== '$taroTimestamp' && k !== 'stamp')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return params.length ? `${base}?${params.join('&')}` : base;
}

/**
 * True when a session exists (weapp logs in silently if needed). On h5 without a session it opens
 * the dev login page and answers false; after logging in the login page goes on to `next` (the step
 * the user was taking, e.g. the join confirm), or back to this page.
 */
export async function ensureLogin(next?: string): Promise<boolean> {
  if (sessionStore.get().tokens) return true;
  if (host.target === 'weapp') {
    try {
      await loginWith();
      return true;
    } catch {
      void Taro.showToast({ title: '登录失败，请重试', icon: 'none' });
      return false;
    }
  }
  await Taro.navigateTo({ url: routes.login(next ?? currentPath()) });
  return false;
}

/** Forgets the session (h5: to pick another demo identity). */
export function logout(): void {
  sessionStore.set({ tokens: null, user: null });
}
