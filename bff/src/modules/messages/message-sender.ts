import type { MessagesDeps } from './messages.deps.js';
import type { TemplateData } from './message-templates.js';

/** The body of the host's `POST /cgi-bin/message/subscribe/send`. */
export interface SubscribeMessage {
  touser: string;
  template_id: string;
  page: string;
  data: TemplateData;
  miniprogram_state: 'developer' | 'trial' | 'formal';
  lang: 'zh_CN';
}

/**
 * How one send went. `permanent` failures are not retried; `refused` means the host says the user
 * did not accept the template (errcode 43101).
 */
export type SendOutcome =
  | { ok: true }
  | { ok: false; permanent: boolean; refused?: boolean; error: string };

/**
 * Strategy that delivers a subscription message. `clientKey` is the outbox key: the host keeps one
 * message per key, so a retried send after a lost answer never reaches the user twice.
 */
export interface MessageSender {
  send(message: SubscribeMessage, clientKey: string): Promise<SendOutcome>;
}

/** Host errcodes that no retry can fix. */
const PERMANENT = new Set([40003, 40037, 41030, 47003, 43101]);
const TOKEN_INVALID = new Set([40001, 40014, 42001]);
const SEND_TIMEOUT_MS = 5000;

type TokenSource = { accessToken?: (opts?: { refresh?: boolean }) => Promise<string> };

/**
 * Sends through the host's subscription message API with a cached server access token. Uses the
 * shared host client (`deps.hostToken`) when there is one, else
 * fetches `GET /cgi-bin/token` itself and caches it until shortly before it expires.
 */
export function createHostMessageSender(deps: Pick<MessagesDeps, 'config' | 'clock'> & { hostToken?: (opts?: { refresh?: boolean }) => Promise<string> }): MessageSender {
  const base = deps.config.MOCK_HOST_URL.replace(/\/$/, '');
  let cached: { token: string; until: number } | undefined;

  async function ownToken(refresh: boolean): Promise<string> {
    if (!refresh && cached && Date.now() < cached.until) return cached.token;
    const url = `${base}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(deps.config.APP_ID)}&secret=${encodeURIComponent(deps.config.APP_SECRET)}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(SEND_TIMEOUT_MS) });
    const body = (await res.json()) as { access_token?: string; expires_in?: number; errcode?: number; errmsg?: string };
    if (!body.access_token) throw new Error(`access token refused: ${body.errcode} ${body.errmsg}`);
    cached = { token: body.access_token, until: Date.now() + Math.max(60, (body.expires_in ?? 7200) - 300) * 1000 };
    return cached.token;
  }

  async function token(refresh: boolean): Promise<string> {
    const shared: TokenSource | undefined = deps.hostToken ? { accessToken: deps.hostToken } : undefined;
    if (typeof shared?.accessToken === 'function') return shared.accessToken(refresh ? { refresh: true } : undefined);
    return ownToken(refresh);
  }

  async function post(message: SubscribeMessage, clientKey: string, refresh: boolean): Promise<{ errcode?: number; errmsg?: string }> {
    const res = await fetch(`${base}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(await token(refresh))}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...message, client_msg_id: clientKey }),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    if (res.status >= 500) return { errcode: -1, errmsg: `host answered HTTP ${res.status}` };
    return (await res.json()) as { errcode?: number; errmsg?: string };
  }

  return {
    async send(message, clientKey) {
      try {
        let r = await post(message, clientKey, false);
        if (r.errcode !== undefined && TOKEN_INVALID.has(r.errcode)) r = await post(message, clientKey, true);
        const code = r.errcode ?? 0;
        if (code === 0) return { ok: true };
        const error = `HOST_${code}: ${r.errmsg ?? ''}`.trim();
        return { ok: false, permanent: PERMANENT.has(code), refused: code === 43101, error };
      } catch (err) {
        return { ok: false, permanent: false, error: `HOST_UNREACHABLE: ${(err as Error).message}` };
      }
    },
  };
}
