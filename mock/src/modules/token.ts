import { randomBytes } from 'node:crypto';
import Router from '@koa/router';
import type { Host, HostModule } from '../host.js';

/** Lifetime of a server access token, in seconds, as the real platform answers it. */
export const ACCESS_TOKEN_EXPIRES_IN_S = 7200;

/**
 * Server access tokens (`GET /cgi-bin/token`). Other host modules call `verify(token)` before serving
 * a server API; `issued` counts the tokens handed out (tests check the BFF caches them).
 */
export interface TokenPart {
  issue(): string;
  verify(accessToken: string | undefined): boolean;
  readonly issued: number;
}

declare module '../host.js' {
  interface HostParts {
    token: TokenPart;
  }
}

function createTokens(host: Host): TokenPart {
  const tokens = new Map<string, number>();
  let issued = 0;
  return {
    issue() {
      const now = host.now();
      for (const [t, exp] of tokens) if (exp <= now) tokens.delete(t);
      const token = randomBytes(24).toString('base64url');
      tokens.set(token, now + ACCESS_TOKEN_EXPIRES_IN_S * 1000);
      issued += 1;
      return token;
    },
    verify(accessToken) {
      if (!accessToken) return false;
      const exp = tokens.get(accessToken);
      return exp !== undefined && host.now() < exp;
    },
    get issued() {
      return issued;
    },
  };
}

export const tokenModule: HostModule = {
  name: 'token',
  part: (host) => ({ token: createTokens(host) }),
  routes: (host) => {
    const r = new Router();
    r.get('/cgi-bin/token', (ctx) => {
      const { grant_type: grantType, appid, secret } = ctx.query;
      if (grantType !== 'client_credential') {
        ctx.body = { errcode: 40002, errmsg: 'invalid grant_type' };
      } else if (appid !== host.config.APP_ID) {
        ctx.body = { errcode: 40013, errmsg: 'invalid appid' };
      } else if (secret !== host.config.APP_SECRET) {
        ctx.body = { errcode: 40125, errmsg: 'invalid appsecret' };
      } else {
        ctx.body = { access_token: host.parts.token.issue(), expires_in: ACCESS_TOKEN_EXPIRES_IN_S };
      }
    });
    return r;
  },
};
