import Taro from '@tarojs/taro';
import type { StoresResponse } from '@linli/contracts';
import { host } from '../host';
import { tokenStore } from '../store/session';
import { createApiClient, type RequestFn } from './api-core';

export { ApiError } from './api-core';

const taroRequest: RequestFn = async (req) => {
  const res = await Taro.request({ url: req.url, method: req.method, data: req.data as never, header: req.header, dataType: 'json' });
  return { statusCode: res.statusCode, data: res.data };
};

/** The one API client of the app. Pages call the functions below, never build URLs. */
export const client = createApiClient({
  baseUrl: host.apiBase,
  request: taroRequest,
  tokens: tokenStore,
  onLoggedOut: () => {
    Taro.showToast({ title: '登录已过期，请重新登录', icon: 'none' });
  },
});

export const api = {
  /** Stores by distance from a point, nearest first. */
  stores: (lat: number, lng: number, limit = 20) => client.get<StoresResponse>('/stores', { lat, lng, limit }),
};
