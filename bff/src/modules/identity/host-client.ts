import type { Config } from '../../config.js';
import type { Clock } from '../../common/clock.js';
import { AppError, BusinessRuleError, UnauthorizedError } from '../../common/errors.js';

/** The session a login code stands for. */
export interface HostSession {
  openid: string;
  unionid: string | null;
}

/**
 * The super-app platform's server APIs, as the BFF uses them. The real implementation talks HTTP to
 * the host (the mock host in dev and tests); tests may register another as `core.services.host`.
 */
export interface HostClient {
  /** Exchanges a one-time login code (jscode2session). 401 LOGIN_CODE_INVALID when the host refuses it. */
  code2session(code: string): Promise<HostSession>;
  /** Exchanges a one-time getPhoneNumber code for the phone. 422 PHONE_CODE_INVALID when refused. */
  getPhoneNumber(code: string): Promise<{ phone: string; countryCode: string }>;
  /** Sends an SMS from a host template. Resolves once the host accepted it. */
  sendSms(phone: string, templateId: string, params: Record<string, string>): Promise<void>;
  /**
   * The server access token: cached, and fetched again 5 minutes before it expires. `refresh: true`
   * drops the cached one first (for a caller the host just told the token is stale); concurrent
   * callers share one fetch.
   */
  accessToken(opts?: { refresh?: boolean }): Promise<string>;
}

/** 502: the host could not be reached or answered something unexpected. */
export class HostUnavailableError extends AppError {
  constructor(message = 'The super-app host is unavailable', details?: Record<string, unknown>) {
    super(502, 'HOST_UNAVAILABLE', message, details);
  }
}

/** Fetch a new access token when less than this is left of the current one. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60 * 1000;
const TIMEOUT_MS = 5000;
/** errcodes by which the host says the access token is not (or no longer) valid. */
const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);

type HostAnswer = Record<string, unknown> & { errcode?: number; errmsg?: string };

/** HostClient over HTTP against `config.MOCK_HOST_URL` (the host's API base), clock-driven token cache. */
export function createHttpHostClient(config: Config, clock: Clock): HostClient {
  const base = config.MOCK_HOST_URL.replace(/\/+$/, '');
  let cached: { token: string; expiresAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function call(method: 'GET' | 'POST', path: string, query: Record<string, string>, body?: unknown): Promise<HostAnswer> {
    const url = `${base}${path}?${new URLSearchParams(query).toString()}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new HostUnavailableError('The super-app host did not answer', { path, cause: (err as Error).name });
    }
    const json = (await res.json().catch(() => undefined)) as HostAnswer | undefined;
    if (!json || typeof json !== 'object') throw new HostUnavailableError('The super-app host answered no JSON', { path, status: res.status });
    return json;
  }

  async function fetchToken(): Promise<string> {
    const r = await call('GET', '/cgi-bin/token', { grant_type: 'client_credential', appid: config.APP_ID, secret: config.APP_SECRET });
    if (typeof r.access_token !== 'string' || typeof r.expires_in !== 'number') {
      throw new HostUnavailableError('The host refused our app credentials', { errcode: r.errcode });
    }
    cached = { token: r.access_token, expiresAt: clock.now().getTime() + r.expires_in * 1000 };
    return r.access_token;
  }

  async function accessToken(opts: { refresh?: boolean } = {}): Promise<string> {
    if (opts.refresh && !inflight) cached = undefined;
    if (cached && clock.now().getTime() < cached.expiresAt - TOKEN_REFRESH_MARGIN_MS) return cached.token;
    inflight ??= fetchToken().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  /** A server API call with the access token; fetches a fresh token once if the host says it is stale. */
  async function withToken(path: string, body: unknown): Promise<HostAnswer> {
    let r = await call('POST', path, { access_token: await accessToken() }, body);
    if (typeof r.errcode === 'number' && TOKEN_ERRCODES.has(r.errcode)) {
      r = await call('POST', path, { access_token: await accessToken({ refresh: true }) }, body);
    }
    return r;
  }

  return {
    accessToken,

    async code2session(code) {
      const r = await call('GET', '/sns/jscode2session', { appid: config.APP_ID, secret: config.APP_SECRET, js_code: code, grant_type: 'authorization_code' });
      if (typeof r.openid === 'string' && r.openid) {
        return { openid: r.openid, unionid: typeof r.unionid === 'string' ? r.unionid : null };
      }
      if (r.errcode === 40029 || r.errcode === 40163 || r.errcode === 41008) {
        throw new UnauthorizedError('The login code is invalid, expired or already used', 'LOGIN_CODE_INVALID');
      }
      throw new HostUnavailableError('The host refused the login exchange', { errcode: r.errcode });
    },

    async getPhoneNumber(code) {
      const r = await withToken('/wxa/business/getuserphonenumber', { code });
      const info = r.phone_info as { purePhoneNumber?: unknown; countryCode?: unknown } | undefined;
      if (r.errcode === 0 && info && typeof info.purePhoneNumber === 'string') {
        return { phone: info.purePhoneNumber, countryCode: String(info.countryCode ?? '86') };
      }
      if (r.errcode === 40029) throw new BusinessRuleError('PHONE_CODE_INVALID', 'The phone code is invalid, expired or already used');
      throw new HostUnavailableError('The host refused the phone number request', { errcode: r.errcode });
    },

    async sendSms(phone, templateId, params) {
      const r = await withToken('/sms/send', { phone, templateId, params });
      if (r.errcode !== 0) throw new HostUnavailableError('The host did not send the SMS', { errcode: r.errcode });
    },
  };
}
