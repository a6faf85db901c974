import test from 'ava';
import { ApiError, createApiClient, resolveImageUrl, toQueryString, type RawRequest, type RawResponse, type Tokens } from '../src/services/api-core.js';
import { ERROR_MESSAGES, messageFor } from '../src/services/error-messages.js';

/** A fake server: answers by handler, records every request. */
function fakeServer(handler: (req: RawRequest, n: number) => RawResponse | Promise<RawResponse>) {
  const calls: RawRequest[] = [];
  const request = async (req: RawRequest) => {
    calls.push(req);
    return handler(req, calls.length);
  };
  return { calls, request };
}

function memoryTokens(initial: Tokens | null) {
  let value = initial;
  let cleared = 0;
  return {
    get: () => value,
    set: (t: Tokens) => {
      value = t;
    },
    clear: () => {
      value = null;
      cleared += 1;
    },
    get cleared() {
      return cleared;
    },
  };
}

const err = (statusCode: number, code: string) => ({ statusCode, data: { error: { code, message: 'english' } } });

test('the access token is attached as a bearer header and the base URL and query are joined', async (t) => {
  const srv = fakeServer(() => ({ statusCode: 200, data: { ok: 1 } }));
  const api = createApiClient({ baseUrl: '/api/v1', request: srv.request, tokens: memoryTokens({ accessToken: 'A1', refreshToken: 'R1' }) });
  t.deepEqual(await api.get('/stores', { lat: 31.2, lng: 121.4, q: undefined }), { ok: 1 });
  t.is(srv.calls[0].url, '/api/v1/stores?lat=31.2&lng=121.4');
  t.is(srv.calls[0].header.Authorization, 'Bearer A1');
});

test('a 401 refreshes the token once and retries the request once with the new token', async (t) => {
  const tokens = memoryTokens({ accessToken: 'old', refreshToken: 'R1' });
  const srv = fakeServer((req) => {
    if (req.url.endsWith('/auth/refresh')) return { statusCode: 200, data: { accessToken: 'new', refreshToken: 'R2' } };
    return req.header.Authorization === 'Bearer new' ? { statusCode: 200, data: { me: 'alice' } } : err(401, 'TOKEN_EXPIRED');
  });
  const api = createApiClient({ baseUrl: '', request: srv.request, tokens });
  t.deepEqual(await api.get('/me'), { me: 'alice' });
  t.deepEqual(
    srv.calls.map((c) => c.url),
    ['/me', '/auth/refresh', '/me'],
  );
  t.deepEqual(srv.calls[1].data, { refreshToken: 'R1' });
  t.false('Authorization' in srv.calls[1].header, 'the refresh call carries no stale bearer token');
  t.deepEqual(tokens.get(), { accessToken: 'new', refreshToken: 'R2' });
});

test('a second 401 after the refresh is not retried again: the session is cleared and the error surfaces', async (t) => {
  const tokens = memoryTokens({ accessToken: 'old', refreshToken: 'R1' });
  let loggedOut = 0;
  const srv = fakeServer((req) => (req.url.endsWith('/auth/refresh') ? { statusCode: 200, data: { accessToken: 'new', refreshToken: 'R2' } } : err(401, 'TOKEN_INVALID')));
  const api = createApiClient({ baseUrl: '', request: srv.request, tokens, onLoggedOut: () => loggedOut++ });
  const e = await t.throwsAsync(api.get('/me'), { instanceOf: ApiError });
  t.is(e.status, 401);
  t.is(e.message, '登录已失效，请重新登录');
  t.is(srv.calls.length, 3, 'one request, one refresh, one retry: never a loop');
  t.is(tokens.get(), null);
  t.is(loggedOut, 1);
});

test('a failed refresh does not retry the request and logs out', async (t) => {
  const tokens = memoryTokens({ accessToken: 'old', refreshToken: 'R1' });
  const srv = fakeServer((req) => (req.url.endsWith('/auth/refresh') ? err(401, 'REFRESH_TOKEN_REVOKED') : err(401, 'TOKEN_EXPIRED')));
  const api = createApiClient({ baseUrl: '', request: srv.request, tokens });
  const e = await t.throwsAsync(api.post('/orders', { storeId: 'S001' }), { instanceOf: ApiError });
  t.is(e.code, 'TOKEN_EXPIRED');
  t.deepEqual(
    srv.calls.map((c) => c.url),
    ['/orders', '/auth/refresh'],
  );
  t.is(tokens.cleared, 1);
});

test('concurrent 401s share a single refresh call', async (t) => {
  const tokens = memoryTokens({ accessToken: 'old', refreshToken: 'R1' });
  const srv = fakeServer(async (req) => {
    if (req.url.endsWith('/auth/refresh')) {
      await new Promise((r) => setTimeout(r, 20));
      return { statusCode: 200, data: { accessToken: 'new', refreshToken: 'R2' } };
    }
    return req.header.Authorization === 'Bearer new' ? { statusCode: 200, data: req.url } : err(401, 'TOKEN_EXPIRED');
  });
  const api = createApiClient({ baseUrl: '', request: srv.request, tokens });
  const results = await Promise.all(['/a', '/b', '/c', '/d', '/e'].map((p) => api.get<string>(p)));
  t.deepEqual(results, ['/a', '/b', '/c', '/d', '/e']);
  t.is(srv.calls.filter((c) => c.url.endsWith('/auth/refresh')).length, 1);
});

test('a 401 without a session is not refreshed (nothing to refresh)', async (t) => {
  const srv = fakeServer(() => err(401, 'UNAUTHORIZED'));
  const api = createApiClient({ baseUrl: '', request: srv.request, tokens: memoryTokens(null) });
  const e = await t.throwsAsync(api.get('/member'), { instanceOf: ApiError });
  t.is(e.message, '请先登录');
  t.is(srv.calls.length, 1);
});

test('error codes map to Chinese messages from the one table, keeping code, status and details', async (t) => {
  const cases: [number, string, string][] = [
    [409, 'GROUP_FULL', '这个团已经满员了'],
    [409, 'OUT_OF_STOCK', '库存不足'],
    [409, 'VOUCHER_ALREADY_REDEEMED', '该券已核销'],
    [403, 'WRONG_STORE', '不是本店的订单'],
    [410, 'GROUP_EXPIRED', '这个团已经过期了'],
  ];
  for (const [status, code, zh] of cases) {
    const srv = fakeServer(() => ({ statusCode: status, data: { error: { code, message: 'en', details: { redeemedBy: 'clerk' } } } }));
    const api = createApiClient({ baseUrl: '', request: srv.request, tokens: memoryTokens(null) });
    const e = await t.throwsAsync(api.post('/x'), { instanceOf: ApiError });
    t.is(e.message, zh);
    t.is(e.code, code);
    t.is(e.status, status);
    t.deepEqual(e.details, { redeemedBy: 'clerk' });
    t.is(e.serverMessage, 'en');
  }
});

test('unknown codes fall back by status, and a network failure has its own message', async (t) => {
  t.is(messageFor('SOMETHING_NEW', 409), '状态已变化，请刷新后重试');
  t.is(messageFor(undefined, 503), ERROR_MESSAGES.INTERNAL);
  t.is(messageFor(undefined, undefined), '出错了，请稍后再试');
  const api = createApiClient({
    baseUrl: '',
    request: async () => {
      throw new Error('ECONNREFUSED');
    },
    tokens: memoryTokens(null),
  });
  const e = await t.throwsAsync(api.get('/stores'), { instanceOf: ApiError });
  t.is(e.code, 'NETWORK_ERROR');
  t.is(e.message, '网络不给力，请检查网络后重试');
  const html = createApiClient({ baseUrl: '', request: async () => ({ statusCode: 502, data: '<html>bad gateway</html>' }), tokens: memoryTokens(null) });
  const e2 = await t.throwsAsync(html.get('/stores'), { instanceOf: ApiError });
  t.is(e2.code, 'HTTP_502');
  t.is(e2.message, ERROR_MESSAGES.INTERNAL);
});

test('every message in the table is Chinese and every key is a SCREAMING_SNAKE code', (t) => {
  for (const [code, msg] of Object.entries(ERROR_MESSAGES)) {
    t.regex(code, /^[A-Z][A-Z0-9_]+$/);
    t.regex(msg, /[\u4e00-\u9fff]/, code);
  }
});

test('query strings skip empty values and encode the rest', (t) => {
  t.is(toQueryString({ a: 1, b: '', c: undefined, d: null, e: '苹果 & 梨' }), '?a=1&e=%E8%8B%B9%E6%9E%9C%20%26%20%E6%A2%A8');
  t.is(toQueryString({}), '');
});

test('an image path the BFF serves becomes a URL under the API base; other images pass unchanged', (t) => {
  const path = '/static/products/f746e57c638c2bee.svg';
  t.is(resolveImageUrl('http://127.0.0.1:8700/api/v1', path), 'http://127.0.0.1:8700/api/v1/static/products/f746e57c638c2bee.svg');
  t.is(resolveImageUrl('/api/v1', path), '/api/v1/static/products/f746e57c638c2bee.svg');
  t.is(resolveImageUrl('https://bff.example/api/v1/', path), 'https://bff.example/api/v1/static/products/f746e57c638c2bee.svg');
  for (const same of ['https://cdn.example/p.png', 'data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E', '//cdn.example/p.png', 'wxfile://tmp/p.png']) {
    t.is(resolveImageUrl('/api/v1', same), same);
  }
  t.is(resolveImageUrl('/api/v1', ''), '');
  t.is(resolveImageUrl('/api/v1', undefined), '');
});
