import { messageFor } from './error-messages';

/** What the client needs from the host's HTTP function (Taro.request in the app, a fake in tests). */
export interface RawRequest {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  data?: unknown;
  header: Record<string, string>;
}
export interface RawResponse {
  statusCode: number;
  data: unknown;
}
export type RequestFn = (req: RawRequest) => Promise<RawResponse>;

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}
/** Where the client reads and writes the session's tokens. */
export interface TokenStore {
  get(): Tokens | null;
  set(tokens: Tokens): void;
  clear(): void;
}

/** An API failure with the server's code and a message fit to show the user. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly serverMessage?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface CallOptions {
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  headers?: Record<string, string>;
  /** No token even when logged in (login and refresh themselves). */
  anonymous?: boolean;
}

export interface ApiClient {
  call<T>(method: RawRequest['method'], path: string, opts?: CallOptions): Promise<T>;
  get<T>(path: string, query?: CallOptions['query']): Promise<T>;
  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
}

export function toQueryString(query?: CallOptions['query']): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * The URL to show an image from: a path the BFF serves (`/static/products/<hash>.svg`, relative to
 * the API base) is prefixed with that base; absolute URLs, data URIs and local files pass unchanged.
 */
export function resolveImageUrl(apiBase: string, image: string | null | undefined): string {
  if (!image) return '';
  if (image.startsWith('/') && !image.startsWith('//')) return `${apiBase.replace(/\/+$/, '')}${image}`;
  return image;
}

/** Turns a non-2xx response into an ApiError with the Chinese message from the one table. */
export function toApiError(res: RawResponse): ApiError {
  const body = res.data as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined;
  const err = body && typeof body === 'object' ? body.error : undefined;
  const code = err?.code ?? `HTTP_${res.statusCode}`;
  return new ApiError(res.statusCode, code, messageFor(err?.code, res.statusCode), err?.details, err?.message);
}

/**
 * The API client: attaches the access token; on a 401 refreshes the token once (concurrent 401s share
 * one refresh) and retries the request once; a second 401, or a failed refresh, clears the session
 * and calls `onLoggedOut`. Every failure surfaces as an ApiError with a Chinese message.
 */
export function createApiClient(deps: {
  baseUrl: string;
  request: RequestFn;
  tokens: TokenStore;
  onLoggedOut?: () => void;
}): ApiClient {
  const { baseUrl, request, tokens } = deps;
  let refreshing: Promise<boolean> | null = null;

  async function send(method: RawRequest['method'], path: string, opts: CallOptions): Promise<RawResponse> {
    const header: Record<string, string> = { 'Content-Type': 'application/json', ...opts.headers };
    const t = tokens.get();
    if (t && !opts.anonymous) header.Authorization = `Bearer ${t.accessToken}`;
    try {
      return await request({ url: `${baseUrl}${path}${toQueryString(opts.query)}`, method, data: opts.body, header });
    } catch {
      throw new ApiError(0, 'NETWORK_ERROR', messageFor('NETWORK_ERROR'));
    }
  }

  function refreshOnce(): Promise<boolean> {
    if (!refreshing) {
      refreshing = (async () => {
        const t = tokens.get();
        if (!t) return false;
        try {
          const res = await send('POST', '/auth/refresh', { body: { refreshToken: t.refreshToken }, anonymous: true });
          if (res.statusCode < 200 || res.statusCode >= 300) return false;
          const data = res.data as Partial<Tokens>;
          if (!data.accessToken) return false;
          tokens.set({ accessToken: data.accessToken, refreshToken: data.refreshToken ?? t.refreshToken });
          return true;
        } catch {
          return false;
        }
      })().finally(() => {
        refreshing = null;
      });
    }
    return refreshing;
  }

  async function call<T>(method: RawRequest['method'], path: string, opts: CallOptions = {}): Promise<T> {
    const hadToken = !!tokens.get() && !opts.anonymous;
    let res = await send(method, path, opts);
    if (res.statusCode === 401 && hadToken) {
      if (await refreshOnce()) res = await send(method, path, opts);
      if (res.statusCode === 401) {
        tokens.clear();
        deps.onLoggedOut?.();
      }
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return res.data as T;
    throw toApiError(res);
  }

  return {
    call,
    get: (path, query) => call('GET', path, { query }),
    post: (path, body, headers) => call('POST', path, { body: body ?? {}, headers }),
  };
}
