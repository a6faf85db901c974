import { createHash } from 'node:crypto';
import Router from '@koa/router';
import type { Host, HostModule } from '../host.js';
import { OneTimeCodes, bodyOf, str } from './codes.js';

/** Login codes (`wx.login`) and their exchange (`jscode2session`). */
export interface LoginPart {
  readonly codes: OneTimeCodes<string>;
  /** A one-time login code for this openid, as `wx.login` would give the miniapp. */
  issueCode(openid: string): string;
}

declare module '../host.js' {
  interface HostParts {
    login: LoginPart;
  }
}

const OPENID = /^[A-Za-z0-9_-]{1,64}$/;
const sessionKeyFor = (openid: string, code: string) => createHash('sha256').update(`${openid}:${code}`).digest('base64').slice(0, 24);

export const loginModule: HostModule = {
  name: 'login',
  part: (host: Host) => {
    const codes = new OneTimeCodes<string>(host);
    const part: LoginPart = { codes, issueCode: (openid) => codes.issue(openid) };
    return { login: part };
  },
  routes: (host) => {
    const r = new Router();
    const codes = host.parts.login.codes;

    // https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
    r.get('/sns/jscode2session', (ctx) => {
      const { appid, secret, js_code: jsCode, grant_type: grantType } = ctx.query;
      if (grantType !== 'authorization_code') {
        ctx.body = { errcode: 40002, errmsg: 'invalid grant_type' };
      } else if (appid !== host.config.APP_ID) {
        ctx.body = { errcode: 40013, errmsg: 'invalid appid' };
      } else if (secret !== host.config.APP_SECRET) {
        ctx.body = { errcode: 40125, errmsg: 'invalid appsecret' };
      } else if (typeof jsCode !== 'string' || !jsCode) {
        ctx.body = { errcode: 41008, errmsg: 'missing code' };
      } else {
        const taken = codes.take(jsCode);
        if (taken.ok) {
          ctx.body = { openid: taken.value, session_key: sessionKeyFor(taken.value, jsCode), unionid: `union-${taken.value}` };
        } else if (taken.reason === 'used') {
          ctx.body = { errcode: 40163, errmsg: 'code been used' };
        } else {
          ctx.body = { errcode: 40029, errmsg: 'invalid code' };
        }
      }
    });

    r.post('/dev/login-code', (ctx) => {
      const openid = str(bodyOf(ctx.request.body).openid);
      if (!openid || !OPENID.test(openid)) {
        ctx.status = 400;
        ctx.body = { errcode: 40097, errmsg: 'invalid args: openid' };
        return;
      }
      ctx.body = { code: codes.issue(openid) };
    });
    return r;
  },
};
