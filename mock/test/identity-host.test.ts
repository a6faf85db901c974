import test from 'ava';
import supertest from 'supertest';
import { createMockHost } from '../src/app.js';
import { loadMockConfig } from '../src/config.js';

const APP = { appid: 'wx0linli0demo0app', secret: 'linli-demo-app-secret' };

function makeHost() {
  let offset = 0;
  const { app, host } = createMockHost(loadMockConfig({ LOG_LEVEL: 'silent' }), { now: () => Date.now() + offset });
  return { api: supertest(app.callback()), host, advance: (ms: number) => (offset += ms) };
}

const session = (api: supertest.Agent | ReturnType<typeof supertest>, code: string, over: Record<string, string> = {}) =>
  api.get('/sns/jscode2session').query({ ...APP, js_code: code, grant_type: 'authorization_code', ...over });

test('a dev login code exchanges once for the openid, session key and unionid', async (t) => {
  const { api } = makeHost();
  const { body } = await api.post('/dev/login-code').send({ openid: 'demo-alice' });
  t.regex(body.code, /^[0-9a-f]{32}$/);
  const first = await session(api, body.code);
  t.is(first.body.openid, 'demo-alice');
  t.is(first.body.unionid, 'union-demo-alice');
  t.is(typeof first.body.session_key, 'string');
  const again = await session(api, body.code);
  t.deepEqual(again.body, { errcode: 40163, errmsg: 'code been used' });
});

test('unknown, expired and wrongly authenticated login codes are refused as the real host does', async (t) => {
  const { api, advance } = makeHost();
  t.is((await session(api, 'nope')).body.errcode, 40029);
  const { body } = await api.post('/dev/login-code').send({ openid: 'demo-bob' });
  t.is((await session(api, body.code, { secret: 'wrong' })).body.errcode, 40125);
  t.is((await session(api, body.code, { appid: 'wx-other' })).body.errcode, 40013);
  advance(5 * 60 * 1000 + 1);
  t.deepEqual((await session(api, body.code)).body, { errcode: 40029, errmsg: 'invalid code' });
  t.is((await api.post('/dev/login-code').send({ openid: { $gt: '' } })).status, 400);
});

test('access tokens are issued for the app credentials and expire after 7200 s', async (t) => {
  const { api, host, advance } = makeHost();
  const bad = await api.get('/cgi-bin/token').query({ grant_type: 'client_credential', appid: APP.appid, secret: 'x' });
  t.is(bad.body.errcode, 40125);
  const ok = await api.get('/cgi-bin/token').query({ grant_type: 'client_credential', ...APP });
  t.is(ok.body.expires_in, 7200);
  t.true(host.parts.token.verify(ok.body.access_token));
  advance(7200 * 1000);
  t.false(host.parts.token.verify(ok.body.access_token));
  t.is(host.parts.token.issued, 1);
});

test('getuserphonenumber needs a valid access token and answers a one-time phone code', async (t) => {
  const { api } = makeHost();
  const { body: tok } = await api.get('/cgi-bin/token').query({ grant_type: 'client_credential', ...APP });
  const { body } = await api.post('/dev/phone-code').send({ openid: 'demo-bob', phone: '13800000002' });
  const noToken = await api.post('/wxa/business/getuserphonenumber').query({ access_token: 'forged' }).send({ code: body.code });
  t.is(noToken.body.errcode, 40001);
  const res = await api.post('/wxa/business/getuserphonenumber').query({ access_token: tok.access_token }).send({ code: body.code });
  t.is(res.body.errcode, 0);
  t.like(res.body.phone_info, { phoneNumber: '13800000002', purePhoneNumber: '13800000002', countryCode: '86', watermark: { appid: APP.appid } });
  t.is(typeof res.body.phone_info.watermark.timestamp, 'number');
  const again = await api.post('/wxa/business/getuserphonenumber').query({ access_token: tok.access_token }).send({ code: body.code });
  t.is(again.body.errcode, 40029);
  t.is((await api.post('/dev/phone-code').send({ openid: 'demo-bob', phone: '12345' })).status, 400);
});

test('an SMS lands in the inbox of its phone and other modules can push subscription messages', async (t) => {
  const { api, host } = makeHost();
  const { body: tok } = await api.get('/cgi-bin/token').query({ grant_type: 'client_credential', ...APP });
  const sent = await api.post('/sms/send').query({ access_token: tok.access_token }).send({ phone: '13800000001', templateId: 'MEMBER_CARD_BIND', params: { code: '123456', cardTail: '0001' } });
  t.deepEqual(sent.body, { errcode: 0, errmsg: 'ok' });
  t.is((await api.post('/sms/send').query({ access_token: 'x' }).send({ phone: '13800000001', templateId: 'MEMBER_CARD_BIND' })).body.errcode, 40001);
  t.is((await api.post('/sms/send').query({ access_token: tok.access_token }).send({ phone: '13800000001', templateId: 'toString' })).body.errcode, 40037);
  host.parts.inbox.push({ kind: 'subscribe', openid: 'demo-alice', templateId: 'GroupSucceeded', data: { thing1: '拼团成功' }, page: 'pages/order/index', text: '拼团成功' });
  const byPhone = await api.get('/dev/inbox').query({ phone: '13800000001' });
  t.is(byPhone.body.messages.length, 1);
  t.like(byPhone.body.messages[0], { kind: 'sms', phone: '13800000001', data: { code: '123456' } });
  t.regex(byPhone.body.messages[0].text, /123456/);
  const byOpenid = await api.get('/dev/inbox').query({ openid: 'demo-alice' });
  t.like(byOpenid.body.messages[0], { kind: 'subscribe', templateId: 'GroupSucceeded' });
  t.is((await api.get('/dev/inbox')).status, 400);
});
