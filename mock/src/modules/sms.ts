import Router from '@koa/router';
import type { HostModule } from '../host.js';
import { bodyOf } from './codes.js';
import { MOBILE } from './phone.js';

/**
 * SMS templates the host's SMS service knows. `{name}` is replaced by params.name. The caller (the
 * BFF) makes and checks its own verification codes; the host only delivers, as an SMS gateway does.
 */
export const SMS_TEMPLATES: Record<string, string> = {
  MEMBER_CARD_BIND: '【邻里】您正在绑定会员卡 {cardTail}，验证码 {code}，5分钟内有效。如非本人操作请忽略。',
  LOGIN_VERIFY: '【邻里】您的验证码 {code}，5分钟内有效。',
};

export const smsModule: HostModule = {
  name: 'sms',
  routes: (host) => {
    const r = new Router();
    // POST /sms/send?access_token= {phone, templateId, params}: delivers to the phone's inbox.
    r.post('/sms/send', (ctx) => {
      const token = typeof ctx.query.access_token === 'string' ? ctx.query.access_token : undefined;
      if (!host.parts.token.verify(token)) {
        ctx.body = { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
        return;
      }
      const body = bodyOf(ctx.request.body);
      const { phone, templateId } = body;
      const params = bodyOf(body.params);
      if (typeof phone !== 'string' || !MOBILE.test(phone)) {
        ctx.body = { errcode: 47001, errmsg: 'invalid phone' };
        return;
      }
      const template = typeof templateId === 'string' ? SMS_TEMPLATES[templateId] : undefined;
      if (!template || !Object.hasOwn(SMS_TEMPLATES, templateId as string)) {
        ctx.body = { errcode: 40037, errmsg: 'invalid template_id' };
        return;
      }
      const text = template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
      host.parts.inbox.push({ kind: 'sms', phone, templateId: templateId as string, data: params, text });
      ctx.body = { errcode: 0, errmsg: 'ok' };
    });
    return r;
  },
};
