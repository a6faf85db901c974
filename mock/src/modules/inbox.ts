import Router from '@koa/router';
import type { Host, HostModule } from '../host.js';

/** One message the host delivered to a user: an SMS to a phone, or a subscription message to an openid. */
export interface InboxMessage {
  kind: 'sms' | 'subscribe';
  /** Recipient of a subscription message. */
  openid?: string;
  /** Recipient of an SMS. */
  phone?: string;
  templateId: string;
  /** Template fields as sent (SMS params, or the subscription message's `data`). */
  data: Record<string, unknown>;
  /** Miniapp page a subscription message opens. */
  page?: string;
  /** The text as the user would read it. */
  text: string;
  /** Milliseconds since epoch, from host.now(). */
  at: number;
}

/**
 * The host's delivery log, read by tests and demos through `GET /dev/inbox?openid=` or `?phone=`.
 * Other host modules deliver by calling `host.parts.inbox.push({kind, openid|phone, templateId, data, text})`;
 * `at` is filled in from host.now(). Messages are kept in memory, oldest first, at most 200 per recipient.
 */
export interface InboxPart {
  push(message: Omit<InboxMessage, 'at'> & { at?: number }): InboxMessage;
  list(to: { openid?: string; phone?: string }): InboxMessage[];
}

declare module '../host.js' {
  interface HostParts {
    inbox: InboxPart;
  }
}

const PER_RECIPIENT = 200;

function createInbox(host: Host): InboxPart {
  const boxes = new Map<string, InboxMessage[]>();
  const keyOf = (to: { openid?: string; phone?: string }) => (to.openid ? `openid:${to.openid}` : to.phone ? `phone:${to.phone}` : undefined);
  return {
    push(message) {
      const key = keyOf(message);
      if (!key) throw new Error('an inbox message needs an openid or a phone');
      const msg: InboxMessage = { ...message, at: message.at ?? host.now() };
      const box = boxes.get(key) ?? [];
      box.push(msg);
      if (box.length > PER_RECIPIENT) box.splice(0, box.length - PER_RECIPIENT);
      boxes.set(key, box);
      return msg;
    },
    list(to) {
      const key = keyOf(to);
      return key ? [...(boxes.get(key) ?? [])] : [];
    },
  };
}

export const inboxModule: HostModule = {
  name: 'inbox',
  part: (host) => ({ inbox: createInbox(host) }),
  routes: (host) => {
    const r = new Router();
    r.get('/dev/inbox', (ctx) => {
      const openid = typeof ctx.query.openid === 'string' ? ctx.query.openid : undefined;
      const phone = typeof ctx.query.phone === 'string' ? ctx.query.phone : undefined;
      if (!openid && !phone) {
        ctx.status = 400;
        ctx.body = { errcode: 40097, errmsg: 'invalid args: openid or phone required' };
        return;
      }
      ctx.body = { messages: host.parts.inbox.list({ openid, phone }).map((m) => ({ ...m, at: new Date(m.at).toISOString() })) };
    });
    return r;
  },
};
