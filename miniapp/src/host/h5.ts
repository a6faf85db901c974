import Taro from '@tarojs/taro';
import { mapUrl } from '../utils/map-url';
import type { Host } from './types';

async function postJson<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return (await res.json()) as T;
}

function origin(): string {
  return window.location.origin;
}

/** A browser: the mock host's dev surface and wallet are reached through the same origin (serve-h5 proxies /dev). */
export const h5Host: Host = {
  target: 'h5',
  apiBase: '/api/v1',
  async loginCode(openid) {
    if (!openid) throw new Error('h5 login needs a demo identity');
    const r = await postJson<{ code: string }>('/dev/login-code', { openid });
    return r.code;
  },
  async pay(payment, returnPath) {
    const redirect = `${origin()}/#${returnPath}`;
    window.location.href = `/dev/wallet?prepayId=${encodeURIComponent(payment.prepayId)}&redirect=${encodeURIComponent(redirect)}`;
    return 'redirected';
  },
  async scan() {
    return null;
  },
  async share(path) {
    const link = `${origin()}/#${path}`;
    try {
      await Taro.setClipboardData({ data: link });
    } catch {
      /* clipboard refused (e.g. no permission): the page still shows the link */
    }
    return link;
  },
  async requestSubscribe(templateIds, openid) {
    if (!openid) return [];
    await postJson('/dev/subscribe/accept', { openid, templateIds });
    return templateIds;
  },
  // A browser has no host map: the store opens on a public map site (its URI API needs no key).
  async openMap(place) {
    window.open(mapUrl(place), '_blank', 'noopener');
  },
  async call(phone) {
    await Taro.makePhoneCall({ phoneNumber: phone });
  },
  // A browser cannot reach the photo album: the file is downloaded (a long press on the image also saves it).
  async saveImage(url, fileName) {
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
    return 'downloaded';
  },
  async devPhoneCode(openid, phone) {
    const r = await postJson<{ code: string }>('/dev/phone-code', { openid, phone });
    return r.code;
  },
};
