import Router from '@koa/router';
import type { Host, HostModule } from '../host.js';
import { OneTimeCodes, bodyOf, str } from './codes.js';

/** `getPhoneNumber` codes: the miniapp gets one when the user taps "use my phone number". */
export interface PhonePart {
  readonly codes: OneTimeCodes<{ openid: string; phone: string }>;
  issueCode(openid: string, phone: string): string;
}

declare module '../host.js' {
  interface HostParts {
    phone: PhonePart;
  }
}

/** Mainland mobile numbers, as the host hands them out. */
export const MOBILE = /^1[3-9]\d{9}$/;

export const phoneModule: HostModule = {
  name: 'phone',
  part: (host: Host) => {
    const codes = new OneTimeCodes<{ openid: string; phone: string }>(host);
    const part: PhonePart = { codes, issueCode: (openid, phone) => codes.issue({ openid, phone }) };
    return { phone: part };
  },
  routes: (host) => {
    const r = new Router();
    const codes = host.parts.phone.codes;

    // https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-info/phone-number/getPhoneNumber.html
    r.post('/wxa/business/getuserphonenumber', (ctx) => {
      const token = typeof ctx.query.access_token === 'string' ? ctx.query.access_token : undefined;
      if (!host.parts.token.verify(token)) {
        ctx.body = { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
        return;
      }
      const code = str(bodyOf(ctx.request.body).code);
      const taken = code ? codes.take(code) : ({ ok: false, reason: 'unknown' } as const);
      if (!taken.ok) {
        ctx.body = { errcode: 40029, errmsg: taken.reason === 'used' ? 'code been used' : 'invalid code' };
        return;
      }
      const { phone } = taken.value;
      ctx.body = {
        errcode: 0,
        errmsg: 'ok',
        phone_info: {
          phoneNumber: phone,
          purePhoneNumber: phone,
          countryCode: '86',
          watermark: { timestamp: Math.floor(host.now() / 1000), appid: host.config.APP_ID },
        },
      };
    });

    r.post('/dev/phone-code', (ctx) => {
      const body = bodyOf(ctx.request.body);
      const openid = str(body.openid);
      const phone = str(body.phone);
      if (!openid || !phone || !MOBILE.test(phone)) {
        ctx.status = 400;
        ctx.body = { errcode: 40097, errmsg: 'invalid args: openid and an 11-digit mobile phone required' };
        return;
      }
      ctx.body = { code: codes.issue({ openid, phone }) };
    });
    return r;
  },
};
