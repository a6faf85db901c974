import { getWXContext, type CloudContext } from '../shared/context.js';

export interface LoginResult {
  openid: string;
  appid: string;
  unionid: string | null;
  env: string | null;
  source: string | null;
}

/**
 * `login`: who is calling, from the identity the host attaches to the invocation (never from the
 * event, which the caller writes). Refuses a call without a user (e.g. from a timer).
 */
export async function main(_event: unknown, context: CloudContext): Promise<LoginResult> {
  const wx = getWXContext(context);
  if (!wx.OPENID || !wx.APPID) throw new Error('login must be called by a miniapp user: the context has no OPENID');
  return { openid: wx.OPENID, appid: wx.APPID, unionid: wx.UNIONID ?? null, env: wx.ENV ?? null, source: wx.SOURCE ?? null };
}
