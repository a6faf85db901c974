import { randomBytes } from 'node:crypto';
import Router from '@koa/router';
import { z } from 'zod';
import { checkKeyword, templateById } from '@linli/contracts';
import type { Host, HostModule } from '../host.js';

/**
 * Subscription messages (订阅消息), as the host runs them: a user's accept in
 * `requestSubscribeMessage` gives the app one message per template (one-shot consent, counted), and
 * `POST /cgi-bin/message/subscribe/send` uses one to deliver to the user's inbox. A send that names a
 * `client_msg_id` already delivered answers ok and delivers nothing (one message per key). The /dev
 * surface stands in for the user's tap (`/dev/subscribe/accept`) and injects failures
 * (`/dev/faults/subscribe`).
 */
export interface SubscribePart {
  /** The user tapped "allow" for these templates: one more message each. */
  accept(openid: string, templateIds: string[]): Record<string, number>;
  credits(openid: string, templateId: string): number;
  /** The next `count` sends answer `errcode` (default -1, "system error") and deliver nothing. */
  failNext(count: number, errcode?: number): void;
  clearFaults(): void;
  /** Sends received with this client key, delivered or not. */
  attempts(clientKey: string): number;
  /** Messages delivered so far (at most one per client key). */
  readonly delivered: number;
  /** Handles one `subscribe/send` body (the access token already checked). */
  send(body: unknown): SendResult;
}

declare module '../host.js' {
  interface HostParts {
    subscribe: SubscribePart;
  }
}

const Value = z.object({ value: z.string() }).passthrough();
const SendBody = z
  .object({
    touser: z.string().min(1).max(128),
    template_id: z.string().min(1).max(128),
    page: z.string().max(512).optional(),
    data: z.record(Value),
    miniprogram_state: z.enum(['developer', 'trial', 'formal']).optional(),
    lang: z.enum(['zh_CN', 'en_US', 'zh_HK', 'zh_TW']).optional(),
    /** Idempotency key: a second send with the same key delivers nothing more. */
    client_msg_id: z.string().min(1).max(200).optional(),
  })
  .passthrough();

const AcceptBody = z.object({ openid: z.string().min(1).max(128), templateIds: z.array(z.string().min(1).max(128)).min(1).max(3) }).strict();
const FaultBody = z.object({ failNext: z.number().int().min(0).max(1000), errcode: z.number().int().optional() }).strict();

export type SendResult = { errcode: number; errmsg: string; msgid?: string };

function createSubscribe(host: Host): SubscribePart {
  const credits = new Map<string, number>();
  const attempts = new Map<string, number>();
  const deliveredKeys = new Map<string, string>();
  const fault = { remaining: 0, errcode: -1 };
  let delivered = 0;
  const creditKey = (openid: string, templateId: string) => `${openid}\n${templateId}`;

  return {
    accept(openid, templateIds) {
      const out: Record<string, number> = {};
      for (const id of templateIds) {
        const k = creditKey(openid, id);
        credits.set(k, (credits.get(k) ?? 0) + 1);
        out[id] = credits.get(k)!;
      }
      return out;
    },
    credits: (openid, templateId) => credits.get(creditKey(openid, templateId)) ?? 0,
    failNext(count, errcode = -1) {
      fault.remaining = count;
      fault.errcode = errcode;
    },
    clearFaults() {
      fault.remaining = 0;
    },
    attempts: (clientKey) => attempts.get(clientKey) ?? 0,
    get delivered() {
      return delivered;
    },
    send,
  };

  function send(input: unknown): SendResult {
    const parsed = SendBody.safeParse(input);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return { errcode: 47003, errmsg: `argument invalid! ${i.path.join('.')}: ${i.message}` };
    }
    const body = parsed.data;
    if (body.client_msg_id) attempts.set(body.client_msg_id, (attempts.get(body.client_msg_id) ?? 0) + 1);
    if (fault.remaining > 0) {
      fault.remaining -= 1;
      return { errcode: fault.errcode, errmsg: fault.errcode === -1 ? 'system error' : 'injected fault' };
    }
    if (body.client_msg_id && deliveredKeys.has(body.client_msg_id)) {
      return { errcode: 0, errmsg: 'ok', msgid: deliveredKeys.get(body.client_msg_id) };
    }
    const tpl = templateById(body.template_id);
    if (!tpl) return { errcode: 40037, errmsg: 'invalid template_id' };
    for (const f of tpl.fields) {
      const problem = checkKeyword(f.key, body.data[f.key]?.value);
      if (problem) return { errcode: 47003, errmsg: `argument invalid! data.${problem}` };
    }
    const k = creditKey(body.touser, body.template_id);
    const left = credits.get(k) ?? 0;
    if (left <= 0) return { errcode: 43101, errmsg: 'user refuse to accept the msg' };
    credits.set(k, left - 1);

    const msgid = randomBytes(8).toString('hex');
    if (body.client_msg_id) deliveredKeys.set(body.client_msg_id, msgid);
    delivered += 1;
    const lines = tpl.fields.map((f) => `${f.label}：${body.data[f.key].value}`);
    host.parts.inbox.push({
      kind: 'subscribe',
      openid: body.touser,
      templateId: body.template_id,
      data: { ...body.data, title: tpl.title, clientMsgId: body.client_msg_id ?? null },
      page: body.page,
      text: [tpl.title, ...lines].join('\n'),
    });
    return { errcode: 0, errmsg: 'ok', msgid };
  }
}

export const subscribeModule: HostModule = {
  name: 'subscribe',
  part: (host) => ({ subscribe: createSubscribe(host) }),
  routes: (host) => {
    const r = new Router();
    // https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
    r.post('/cgi-bin/message/subscribe/send', (ctx) => {
      const token = typeof ctx.query.access_token === 'string' ? ctx.query.access_token : undefined;
      if (!host.parts.token.verify(token)) {
        ctx.body = { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
        return;
      }
      ctx.body = host.parts.subscribe.send(ctx.request.body);
    });

    // Stands in for the user's tap on "allow" in requestSubscribeMessage (the h5 build calls it).
    r.post('/dev/subscribe/accept', (ctx) => {
      const body = AcceptBody.safeParse(ctx.request.body);
      if (!body.success) {
        ctx.status = 400;
        ctx.body = { errcode: 40097, errmsg: 'invalid args: {openid, templateIds[1..3]}' };
        return;
      }
      const unknown = body.data.templateIds.filter((id) => !templateById(id));
      if (unknown.length > 0) {
        ctx.status = 400;
        ctx.body = { errcode: 40037, errmsg: `invalid template_id ${unknown.join(',')}` };
        return;
      }
      ctx.body = { openid: body.data.openid, credits: host.parts.subscribe.accept(body.data.openid, body.data.templateIds) };
    });

    r.post('/dev/faults/subscribe', (ctx) => {
      const body = FaultBody.safeParse(ctx.request.body);
      if (!body.success) {
        ctx.status = 400;
        ctx.body = { errcode: 40097, errmsg: 'invalid args: {failNext, errcode?}' };
        return;
      }
      host.parts.subscribe.failNext(body.data.failNext, body.data.errcode);
      ctx.body = { failNext: body.data.failNext, errcode: body.data.errcode ?? -1 };
    });
    r.delete('/dev/faults/subscribe', (ctx) => {
      host.parts.subscribe.clearFaults();
      ctx.body = { failNext: 0 };
    });

    r.get('/dev/subscribe/attempts', (ctx) => {
      const key = typeof ctx.query.key === 'string' ? ctx.query.key : '';
      ctx.body = { key, attempts: host.parts.subscribe.attempts(key), delivered: host.parts.subscribe.delivered };
    });
    return r;
  },
};
