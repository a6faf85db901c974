import test from 'ava';
import { MESSAGE_TEMPLATES } from '@linli/contracts';
import { consent, entry, pushOutbox, startStack, USERS } from '../../bff/test/messages.fixtures.js';
import type { DispatchReport } from '../dispatch-messages/index.js';
import { invoke } from '../runner.js';
import { BffCallError } from '../shared/bff.js';

const GROUP_TPL = MESSAGE_TEMPLATES.GroupSucceeded.templateId;
const dispatch = (env: Record<string, string>, event?: unknown) => invoke<DispatchReport>('dispatch-messages', event, { env });

test('dispatch-messages delivers a message once even when the host fails the first two attempts', async (t) => {
  const { app, mock, fnEnv } = await startStack(t);
  await consent(app, mock.host, USERS.alice, [GROUP_TPL]);
  await pushOutbox(app, 'groups', 'g_flaky', [entry('GroupSucceeded', 'g_flaky', USERS.alice.id, { title: '阳光玫瑰青提', storeName: '静安寺店' })]);
  const fault = await fetch(`${mock.url}/dev/faults/subscribe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ failNext: 2 }) });
  t.is(fault.status, 200);
  const key = 'GroupSucceeded:g_flaky:u_demo-alice';

  const first = await dispatch(fnEnv);
  t.like(first, { relayed: 1, sent: 0, failed: 1, retrying: 1, rounds: 1 });
  t.is(first.trigger, 'everyMinute', 'the runner sends the timer event of config.json');
  app.clock.advance(30_000);
  t.like(await dispatch(fnEnv), { sent: 0, failed: 1, retrying: 1 });
  t.like(await dispatch(fnEnv), { sent: 0, failed: 0 }, 'the second back-off (60 s) has not passed yet');
  app.clock.advance(60_000);
  t.like(await dispatch(fnEnv), { sent: 1, failed: 0 });
  app.clock.advance(10 * 60_000);
  t.like(await dispatch(fnEnv), { relayed: 0, sent: 0, failed: 0, skipped: 0 });

  t.is(mock.host.parts.subscribe.attempts(key), 3);
  const inbox = (await (await fetch(`${mock.url}/dev/inbox?openid=demo-alice`)).json()) as { messages: { text: string; templateId: string }[] };
  t.is(inbox.messages.length, 1);
  t.is(inbox.messages[0].templateId, GROUP_TPL);
  t.regex(inbox.messages[0].text, /^拼团成功\n商品名称：阳光玫瑰青提\n成团时间：\d{4}年/);
  const row = await app.core.m.Message.findById(key).lean();
  t.like(row, { status: 'sent', attempts: 3 });
});

test('two dispatch-messages runs at once deliver each message once', async (t) => {
  const { app, mock, fnEnv } = await startStack(t);
  const users = [USERS.alice, USERS.bob, USERS.carol];
  for (const u of users) await consent(app, mock.host, u, [GROUP_TPL], 8);
  for (let g = 0; g < 8; g++) await pushOutbox(app, 'groups', `g_two${g}`, users.map((u) => entry('GroupSucceeded', `g_two${g}`, u.id, { title: `拼团${g}` })));
  // Both runs race from the start, the host also failing a few sends on the way.
  mock.host.parts.subscribe.failNext(3);
  const [a, b] = await Promise.all([dispatch(fnEnv), dispatch(fnEnv)]);
  t.is(a.relayed + b.relayed, 24);
  t.is(a.sent + b.sent, 21);
  t.is(a.retrying + b.retrying, 3);
  app.clock.advance(30_000);
  const [c, d] = await Promise.all([dispatch(fnEnv), dispatch(fnEnv)]);
  t.is(c.sent + d.sent, 3);
  let attempts = 0;
  for (let g = 0; g < 8; g++) for (const u of users) attempts += mock.host.parts.subscribe.attempts(`GroupSucceeded:g_two${g}:${u.id}`);
  t.is(attempts, 24 + 3, 'each message was sent once, plus one resend for each injected failure');
  for (const u of users) t.is(mock.host.parts.inbox.list({ openid: u.openid }).length, 8, u.openid);
  t.is(mock.host.parts.subscribe.delivered, 24);
});

test('dispatch-messages does not message a user who gave no consent', async (t) => {
  const { app, mock, fnEnv } = await startStack(t);
  await pushOutbox(app, 'orders', 'o_quiet', [entry('OrderReady', 'o_quiet', USERS.bob.id, { items: '鲜牛奶×2', storeName: '静安寺店' })]);
  t.like(await dispatch(fnEnv), { relayed: 1, sent: 0, skipped: 1 });
  t.is(mock.host.parts.subscribe.attempts('OrderReady:o_quiet:u_demo-bob'), 0);
  t.deepEqual(mock.host.parts.inbox.list({ openid: USERS.bob.openid }), []);
  // Consent given afterwards does not resurrect the skipped message: consent comes before the event.
  await consent(app, mock.host, USERS.bob, [MESSAGE_TEMPLATES.OrderReady.templateId]);
  t.like(await dispatch(fnEnv), { sent: 0, skipped: 0 });
  t.deepEqual(mock.host.parts.inbox.list({ openid: USERS.bob.openid }), []);
});

test('dispatch-messages with a wrong internal token is refused with 401 and sends nothing', async (t) => {
  const { app, mock, fnEnv } = await startStack(t);
  await consent(app, mock.host, USERS.alice, [GROUP_TPL]);
  await pushOutbox(app, 'groups', 'g_wrong', [entry('GroupSucceeded', 'g_wrong', USERS.alice.id)]);
  const err = await t.throwsAsync(dispatch({ ...fnEnv, INTERNAL_TOKEN: 'not-the-internal-token' }), { instanceOf: BffCallError });
  t.is(err?.status, 401);
  t.is(err?.code, 'INTERNAL_TOKEN_INVALID');
  t.is(await app.core.m.Message.countDocuments(), 0);
  t.is(mock.host.parts.inbox.list({ openid: USERS.alice.openid }).length, 0);
});

test('dispatch-messages drains a backlog larger than one batch in one run', async (t) => {
  const { app, mock, fnEnv } = await startStack(t);
  await consent(app, mock.host, USERS.carol, [GROUP_TPL], 12);
  for (let g = 0; g < 12; g++) await pushOutbox(app, 'groups', `g_backlog${g}`, [entry('GroupSucceeded', `g_backlog${g}`, USERS.carol.id)]);
  const r = await dispatch(fnEnv, { Type: 'Timer', TriggerName: 'everyMinute', Time: new Date().toISOString(), Message: '', limit: 5 });
  t.like(r, { relayed: 12, sent: 12, rounds: 3 });
  t.is(mock.host.parts.inbox.list({ openid: USERS.carol.openid }).length, 12);
});
