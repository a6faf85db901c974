import test from 'ava';
import { MESSAGE_TEMPLATES } from '@linli/contracts';
import { startMockHost } from '../../bff/test/messages.fixtures.js';

const TPL = MESSAGE_TEMPLATES.GroupSucceeded.templateId;
const goodData = { thing1: { value: '阳光玫瑰青提' }, time2: { value: '2026年11月22日 13:30' }, thing3: { value: '静安寺店' }, thing4: { value: '备货完成后会通知您到店取货' } };

async function setup(t: import('ava').ExecutionContext) {
  const mock = await startMockHost(t);
  const json = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${mock.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const tokenRes = await json('GET', `/cgi-bin/token?grant_type=client_credential&appid=${mock.host.config.APP_ID}&secret=${mock.host.config.APP_SECRET}`);
  const token = tokenRes.body.access_token as string;
  const send = (body: Record<string, unknown>, accessToken = token) => json('POST', `/cgi-bin/message/subscribe/send?access_token=${accessToken}`, body);
  const inbox = async (openid: string) => (await json('GET', `/dev/inbox?openid=${openid}`)).body.messages as { text: string; templateId: string; page?: string }[];
  return { mock, json, send, inbox };
}

const msg = (extra: Record<string, unknown> = {}) => ({ touser: 'demo-alice', template_id: TPL, page: 'pages/group/index?id=g1', data: goodData, miniprogram_state: 'developer', lang: 'zh_CN', ...extra });

test('a subscription message needs a valid access token', async (t) => {
  const { send, inbox } = await setup(t);
  t.like((await send(msg(), 'forged')).body, { errcode: 40001 });
  t.deepEqual(await inbox('demo-alice'), []);
});

test('without the user accepting the template the host answers 43101; after one accept exactly one message goes through', async (t) => {
  const { json, send, inbox } = await setup(t);
  t.like((await send(msg({ client_msg_id: 'k0' }))).body, { errcode: 43101, errmsg: 'user refuse to accept the msg' });
  t.like((await json('POST', '/dev/subscribe/accept', { openid: 'demo-alice', templateIds: [TPL] })).body, { credits: { [TPL]: 1 } });
  t.like((await send(msg({ client_msg_id: 'k1' }))).body, { errcode: 0, errmsg: 'ok' });
  t.like((await send(msg({ client_msg_id: 'k2' }))).body, { errcode: 43101 }, 'consent is one-shot');
  const box = await inbox('demo-alice');
  t.is(box.length, 1);
  t.is(box[0].text, '拼团成功\n商品名称：阳光玫瑰青提\n成团时间：2026年11月22日 13:30\n取货门店：静安寺店\n温馨提示：备货完成后会通知您到店取货');
  t.is(box[0].page, 'pages/group/index?id=g1');
});

test('the same client_msg_id is delivered once, however often it is sent', async (t) => {
  const { mock, send, inbox } = await setup(t);
  mock.host.parts.subscribe.accept('demo-bob', [TPL]);
  mock.host.parts.subscribe.accept('demo-bob', [TPL]);
  const answers = await Promise.all(Array.from({ length: 50 }, () => send(msg({ touser: 'demo-bob', client_msg_id: 'GroupSucceeded:g1:u_demo-bob' }))));
  t.true(answers.every((a) => a.body.errcode === 0));
  t.is(new Set(answers.map((a) => a.body.msgid)).size, 1, 'every answer names the one message');
  t.is((await inbox('demo-bob')).length, 1);
  t.is(mock.host.parts.subscribe.attempts('GroupSucceeded:g1:u_demo-bob'), 50);
  t.is(mock.host.parts.subscribe.credits('demo-bob', TPL), 1, 'the duplicates used no consent');
});

test('the fault switch fails the next N sends, and DELETE clears it', async (t) => {
  const { mock, json, send, inbox } = await setup(t);
  mock.host.parts.subscribe.accept('demo-carol', [TPL]);
  t.like((await json('POST', '/dev/faults/subscribe', { failNext: 2 })).body, { failNext: 2, errcode: -1 });
  t.like((await send(msg({ touser: 'demo-carol', client_msg_id: 'f' }))).body, { errcode: -1, errmsg: 'system error' });
  t.like((await send(msg({ touser: 'demo-carol', client_msg_id: 'f' }))).body, { errcode: -1 });
  t.like((await send(msg({ touser: 'demo-carol', client_msg_id: 'f' }))).body, { errcode: 0 });
  await json('POST', '/dev/faults/subscribe', { failNext: 5, errcode: 45009 });
  await json('DELETE', '/dev/faults/subscribe');
  mock.host.parts.subscribe.accept('demo-carol', [TPL]);
  t.like((await send(msg({ touser: 'demo-carol', client_msg_id: 'g' }))).body, { errcode: 0 });
  t.is((await inbox('demo-carol')).length, 2);
  t.is((await json('POST', '/dev/faults/subscribe', { failNext: -1 })).status, 400);
});

test('a body that breaks the template rules is refused with 47003 or 40037 and uses no consent', async (t) => {
  const { mock, send, inbox } = await setup(t);
  mock.host.parts.subscribe.accept('demo-alice', [TPL]);
  const cases: [Record<string, unknown>, number][] = [
    [msg({ template_id: 'TPL_UNKNOWN' }), 40037],
    [msg({ data: { ...goodData, thing1: { value: '这是一个超过二十个字的商品名称一定会被平台拒绝掉的' } } }), 47003],
    [msg({ data: { ...goodData, time2: { value: 'yesterday' } } }), 47003],
    [msg({ data: { thing1: goodData.thing1 } }), 47003],
    [msg({ touser: '' }), 47003],
    [msg({ data: 'thing1' }), 47003],
    [msg({ miniprogram_state: 'production' }), 47003],
  ];
  for (const [body, errcode] of cases) t.is((await send(body)).body.errcode, errcode, JSON.stringify(body).slice(0, 120));
  t.deepEqual(await inbox('demo-alice'), []);
  t.is(mock.host.parts.subscribe.credits('demo-alice', TPL), 1);
});

test('the dev accept refuses unknown templates and bad bodies', async (t) => {
  const { json } = await setup(t);
  t.is((await json('POST', '/dev/subscribe/accept', { openid: 'demo-alice', templateIds: ['TPL_NOPE'] })).status, 400);
  t.is((await json('POST', '/dev/subscribe/accept', { openid: 'demo-alice', templateIds: [] })).status, 400);
  t.is((await json('POST', '/dev/subscribe/accept', { openid: { $gt: '' }, templateIds: [TPL] })).status, 400);
});
