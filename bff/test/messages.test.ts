import test from 'ava';
import { MESSAGE_TEMPLATES } from '@linli/contracts';
import { backoffMs, MAX_ATTEMPTS } from '../src/modules/messages/message-dispatcher.js';
import { tokenFor } from './helpers.js';
import { consent, entry, pushOutbox, startStack, USERS } from './messages.fixtures.js';

const GROUP_TPL = MESSAGE_TEMPLATES.GroupSucceeded.templateId;
const READY_TPL = MESSAGE_TEMPLATES.OrderReady.templateId;
const dispatchAs = (token: string) => ({ 'X-Internal-Token': token });

test('the relay copies every outbox entry into one message row and never writes the source documents', async (t) => {
  const { app } = await startStack(t);
  const Message = app.core.m.Message;
  const db = app.core.conn.db!;
  await pushOutbox(app, 'groups', 'g_relay1', [entry('GroupSucceeded', 'g_relay1', USERS.alice.id), entry('GroupSucceeded', 'g_relay1', USERS.bob.id)]);
  await pushOutbox(app, 'orders', 'o_relay1', [entry('OrderReady', 'o_relay1', USERS.alice.id)]);
  // A relay that died after copying one entry: the row exists already.
  await pushOutbox(app, 'orders', 'o_relay2', [entry('RefundCompleted', 'o_relay2', USERS.carol.id, { refundCents: '990' })]);
  await Message.collection.insertOne({ _id: 'RefundCompleted:o_relay2:u_demo-carol', type: 'RefundCompleted', userId: USERS.carol.id, templateId: 'TPL_REFUND_DONE', data: {}, page: '', source: 'orders:o_relay2', status: 'pending', attempts: 0, nextAttemptAt: new Date(), eventAt: new Date(), createdAt: new Date(), updatedAt: new Date() } as never);
  const before = { groups: await db.collection('groups').find().toArray(), orders: await db.collection('orders').find().toArray() };

  const counts = await Promise.all(Array.from({ length: 20 }, () => app.core.services.messages.relay()));
  t.is(counts.reduce((a, b) => a + b, 0), 3, 'three new rows in all, however many relays ran');
  t.is(await Message.countDocuments(), 4);
  const row = await Message.findById('GroupSucceeded:g_relay1:u_demo-bob').lean();
  t.like(row, { status: 'pending', templateId: GROUP_TPL, source: 'groups:g_relay1', attempts: 0 });
  // The owning modules' documents are read, never written (on FerretDB a write could undo their change).
  t.deepEqual(await db.collection('groups').find().toArray(), before.groups);
  t.deepEqual(await db.collection('orders').find().toArray(), before.orders);

  // A later event on the same document is relayed by the next pass, and so is a slow writer's entry
  // stamped a few minutes before that pass began; the old ones never come back.
  app.clock.advance(5 * 60_000);
  await pushOutbox(app, 'groups', 'g_relay1', [entry('GroupSucceeded', 'g_relay1', USERS.carol.id, {}, app.clock.now())]);
  await pushOutbox(app, 'orders', 'o_late', [entry('OrderReady', 'o_late', USERS.bob.id, {}, new Date(app.clock.now().getTime() - 10 * 60_000))]);
  t.is(await app.core.services.messages.relay(), 2);
  t.is(await Message.countDocuments(), 6);
  t.is(await app.core.services.messages.relay(), 0);
});

test('consent is recorded per user and template as one-shot credits, and bad bodies are refused', async (t) => {
  const { app } = await startStack(t);
  const token = await tokenFor(app, { id: USERS.alice.id });
  const anon = await app.api.post('/api/v1/messages/consent').send({ templateIds: [GROUP_TPL] });
  t.is(anon.status, 401);
  const first = await app.api.post('/api/v1/messages/consent').set('Authorization', `Bearer ${token}`).send({ templateIds: [GROUP_TPL, READY_TPL] });
  t.is(first.status, 200);
  await app.api.post('/api/v1/messages/consent').set('Authorization', `Bearer ${token}`).send({ templateIds: [GROUP_TPL] });
  const list = await app.api.get('/api/v1/messages/consent').set('Authorization', `Bearer ${token}`);
  const byId = Object.fromEntries((list.body.consents as { templateId: string; remaining: number; title: string }[]).map((c) => [c.templateId, c]));
  t.is(byId[GROUP_TPL].remaining, 2);
  t.is(byId[GROUP_TPL].title, '拼团成功');
  t.is(byId[READY_TPL].remaining, 1);
  t.is(byId.TPL_REFUND_DONE.remaining, 0);
  for (const body of [{ templateIds: ['TPL_NOPE'] }, { templateIds: [] }, { templateIds: { $gt: '' } }, { templateIds: [GROUP_TPL], userId: USERS.bob.id }, { templateIds: ['a', 'b', 'c', 'd'] }]) {
    const res = await app.api.post('/api/v1/messages/consent').set('Authorization', `Bearer ${token}`).send(body);
    t.is(res.status, 400, JSON.stringify(body));
    t.is(res.body.error.code, 'VALIDATION_FAILED');
  }
  t.is(await app.core.m.MessageConsent.countDocuments({ userId: USERS.bob.id }), 0);
});

test('a dispatch without the right internal token answers 401 and sends nothing', async (t) => {
  const { app, mock } = await startStack(t);
  await consent(app, mock.host, USERS.alice, [GROUP_TPL]);
  await pushOutbox(app, 'groups', 'g_tok', [entry('GroupSucceeded', 'g_tok', USERS.alice.id)]);
  for (const headers of [{}, dispatchAs('wrong-token-wrong-token'), dispatchAs(`${app.config.INTERNAL_TOKEN}x`)]) {
    const res = await app.api.post('/api/v1/internal/messages/dispatch').set(headers).send({});
    t.is(res.status, 401);
    t.is(res.body.error.code, 'INTERNAL_TOKEN_INVALID');
  }
  t.is(await app.core.m.Message.countDocuments(), 0);
  t.is(mock.host.parts.inbox.list({ openid: USERS.alice.openid }).length, 0);
});

test('a dispatch sends the 拼团成功 message with its template fields, marks it sent and uses one consent credit', async (t) => {
  const { app, mock } = await startStack(t);
  await consent(app, mock.host, USERS.alice, [GROUP_TPL], 2);
  await pushOutbox(app, 'groups', 'g_ok', [
    entry('GroupSucceeded', 'g_ok', USERS.alice.id, { productName: '阳光玫瑰青提 500g 特别甜的那一种超长名字', storeName: '邻里·静安寺店', succeededAt: '2026-11-22T05:30:00.000Z' }),
  ]);
  const res = await app.api.post('/api/v1/internal/messages/dispatch').set(dispatchAs(app.config.INTERNAL_TOKEN)).send({});
  t.is(res.status, 200);
  t.deepEqual(res.body, { relayed: 1, sent: 1, failed: 0, skipped: 0, retrying: 0 });
  const inbox = mock.host.parts.inbox.list({ openid: USERS.alice.openid });
  t.is(inbox.length, 1);
  t.is(inbox[0].templateId, GROUP_TPL);
  t.regex(inbox[0].text, /^拼团成功\n商品名称：阳光玫瑰青提/);
  const data = inbox[0].data as Record<string, { value: string }>;
  t.is([...data.thing1.value].length, 20, 'thing values are cut to the host limit of 20');
  t.is(data.time2.value, '2026年11月22日 13:30', 'times are shown in China time');
  t.is(data.thing3.value, '邻里·静安寺店');
  t.is(inbox[0].page, 'pages/orders/index?ref=g_ok');
  const row = await app.core.m.Message.findById('GroupSucceeded:g_ok:u_demo-alice').lean();
  t.is(row?.status, 'sent');
  t.is(row?.attempts, 1);
  t.truthy(row?.sentAt);
  t.is((await app.core.services.messages.consent.list(USERS.alice.id)).find((c) => c.templateId === GROUP_TPL)?.remaining, 1);
  // Nothing left to do: a second run sends nothing.
  const again = await app.api.post('/api/v1/internal/messages/dispatch').set(dispatchAs(app.config.INTERNAL_TOKEN)).send({});
  t.deepEqual(again.body, { relayed: 0, sent: 0, failed: 0, skipped: 0, retrying: 0 });
  t.is(mock.host.parts.inbox.list({ openid: USERS.alice.openid }).length, 1);
});

test('a user without consent is not messaged: the row is skipped and the host never sees it', async (t) => {
  const { app, mock } = await startStack(t);
  await consent(app, mock.host, USERS.alice, [READY_TPL]); // consent for another template only
  await pushOutbox(app, 'orders', 'o_nc', [entry('RefundCompleted', 'o_nc', USERS.alice.id, { refundCents: '1290' }), entry('OrderReady', 'o_nc', USERS.bob.id)]);
  const r = await app.core.services.messages.dispatch();
  t.deepEqual(r, { relayed: 2, sent: 0, failed: 0, skipped: 2, retrying: 0 });
  const rows = await app.core.m.Message.find().lean();
  t.deepEqual(rows.map((m) => [m.status, m.lastError]), [['skipped', 'NO_CONSENT'], ['skipped', 'NO_CONSENT']]);
  t.is(mock.host.parts.subscribe.attempts('RefundCompleted:o_nc:u_demo-alice'), 0);
  t.is(mock.host.parts.inbox.list({ openid: USERS.alice.openid }).length, 0);
  t.is(mock.host.parts.inbox.list({ openid: USERS.bob.openid }).length, 0);
});

test('a host that says the user refused (43101) skips the row without retrying', async (t) => {
  const { app, mock } = await startStack(t);
  await app.core.services.messages.consent.record(USERS.alice.id, [GROUP_TPL]); // the BFF was told, the host never saw the tap
  await pushOutbox(app, 'groups', 'g_ref', [entry('GroupSucceeded', 'g_ref', USERS.alice.id)]);
  t.like(await app.core.services.messages.dispatch(), { sent: 0, skipped: 1, retrying: 0 });
  const row = await app.core.m.Message.findById('GroupSucceeded:g_ref:u_demo-alice').lean();
  t.is(row?.status, 'skipped');
  t.regex(row?.lastError ?? '', /HOST_43101/);
  app.clock.advance(60 * 60_000);
  t.like(await app.core.services.messages.dispatch(), { sent: 0, skipped: 0 });
  t.is(mock.host.parts.subscribe.attempts('GroupSucceeded:g_ref:u_demo-alice'), 1);
});

test('failures back off exponentially and give up after the last attempt, returning the consent credit', async (t) => {
  const { app, mock } = await startStack(t);
  await consent(app, mock.host, USERS.bob, [READY_TPL]);
  await pushOutbox(app, 'orders', 'o_down', [entry('OrderReady', 'o_down', USERS.bob.id, { productName: '鲜牛奶' })]);
  mock.host.parts.subscribe.failNext(100);
  const key = 'OrderReady:o_down:u_demo-bob';
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const r = await app.core.services.messages.dispatch();
    t.is(r.failed, 1, `attempt ${attempt} failed`);
    const row = await app.core.m.Message.findById(key).lean();
    t.is(row?.attempts, attempt);
    if (attempt < MAX_ATTEMPTS) {
      t.is(row?.status, 'pending');
      t.is(row!.nextAttemptAt.getTime() - app.clock.now().getTime() <= backoffMs(attempt), true);
      // Not due yet: an early run leaves it alone.
      t.like(await app.core.services.messages.dispatch(), { sent: 0, failed: 0 });
      app.clock.advance(backoffMs(attempt));
    } else {
      t.is(row?.status, 'failed');
      t.regex(row?.lastError ?? '', /HOST_-1/);
    }
  }
  t.is(mock.host.parts.subscribe.attempts(key), MAX_ATTEMPTS);
  t.is((await app.core.services.messages.consent.list(USERS.bob.id)).find((c) => c.templateId === READY_TPL)?.remaining, 1);
  t.deepEqual([backoffMs(1), backoffMs(2), backoffMs(3), backoffMs(20)], [30_000, 60_000, 120_000, 30 * 60_000]);
});

test('a row whose dispatcher died mid-send is claimed again after its lease and delivered once', async (t) => {
  const { app, mock } = await startStack(t);
  await consent(app, mock.host, USERS.carol, [GROUP_TPL]);
  await pushOutbox(app, 'groups', 'g_crash', [entry('GroupSucceeded', 'g_crash', USERS.carol.id)]);
  await app.core.services.messages.relay();
  const key = 'GroupSucceeded:g_crash:u_demo-carol';
  // The host delivered it, but the dispatcher died before marking the row sent.
  const sent = mock.host.parts.subscribe.send({ touser: 'demo-carol', template_id: GROUP_TPL, data: { thing1: { value: '草莓' }, time2: { value: '12:00' }, thing3: { value: '静安店' }, thing4: { value: '到店取货' } }, client_msg_id: key });
  t.is(sent.errcode, 0);
  const now = app.clock.now();
  await app.core.m.Message.updateOne({ _id: key }, { $set: { status: 'sending', claimToken: 'dead', claimedUntil: new Date(now.getTime() + 60_000), attempts: 1 } });
  t.like(await app.core.services.messages.dispatch(), { sent: 0 }, 'a live lease is respected');
  app.clock.advance(61_000);
  t.like(await app.core.services.messages.dispatch(), { sent: 1 });
  const row = await app.core.m.Message.findById(key).lean();
  t.is(row?.status, 'sent');
  t.is(row?.attempts, 2);
  t.is(mock.host.parts.subscribe.attempts(key), 2, 'sent twice (at least once)…');
  t.is(mock.host.parts.inbox.list({ openid: 'demo-carol' }).length, 1, '…but the user sees it once');
});

test('200 dispatch requests at once deliver each of 30 messages exactly once', async (t) => {
  const { app, mock } = await startStack(t);
  const users = [USERS.alice, USERS.bob, USERS.carol];
  for (const u of users) await consent(app, mock.host, u, [GROUP_TPL], 10);
  for (let g = 0; g < 10; g++) {
    await pushOutbox(app, 'groups', `g_race${g}`, users.map((u) => entry('GroupSucceeded', `g_race${g}`, u.id, { productName: `拼团商品${g}` })));
  }
  const results = await Promise.all(
    Array.from({ length: 200 }, () => app.api.post('/api/v1/internal/messages/dispatch').set(dispatchAs(app.config.INTERNAL_TOKEN)).send({ limit: 50 })),
  );
  t.true(results.every((r) => r.status === 200));
  t.is(results.reduce((a, r) => a + r.body.relayed, 0), 30);
  t.is(results.reduce((a, r) => a + r.body.sent, 0), 30);
  for (let g = 0; g < 10; g++) for (const u of users) t.is(mock.host.parts.subscribe.attempts(`GroupSucceeded:g_race${g}:${u.id}`), 1);
  for (const u of users) {
    t.is(mock.host.parts.inbox.list({ openid: u.openid }).length, 10);
    t.is((await app.core.services.messages.consent.list(u.id)).find((c) => c.templateId === GROUP_TPL)?.remaining, 0);
  }
  t.is(await app.core.m.Message.countDocuments({ status: "sent" }), 30);
});

test('an entry whose data cannot fill its template fails visibly instead of being sent half-empty', async (t) => {
  const { app, mock } = await startStack(t);
  await consent(app, mock.host, USERS.alice, ['TPL_REFUND_DONE']);
  await pushOutbox(app, 'orders', 'o_bad', [entry('RefundCompleted', 'o_bad', USERS.alice.id, {})]);
  t.like(await app.core.services.messages.dispatch(), { failed: 1, retrying: 0 });
  const row = await app.core.m.Message.findById('RefundCompleted:o_bad:u_demo-alice').lean();
  t.is(row?.status, 'failed');
  t.regex(row?.lastError ?? '', /TEMPLATE_DATA_MISSING: amount2/);
  t.is((await app.core.services.messages.consent.list(USERS.alice.id)).find((c) => c.templateId === 'TPL_REFUND_DONE')?.remaining, 1);
});

test('the store of the order or group fills 取货门店 when the entry does not name it', async (t) => {
  const { app, mock } = await startStack(t);
  await app.core.m.Store.collection.insertOne({ _id: 'S001', name: '邻里·南京西路店', city: '上海', district: '静安区', address: '南京西路1号', lat: 31.229, lng: 121.448, phone: '021-00000000', openHours: '07:00-23:00', active: true } as never);
  await consent(app, mock.host, USERS.bob, [GROUP_TPL]);
  await app.core.conn.db!.collection<{ _id: string; storeId: string; outbox: unknown[] }>('groups').insertOne({ _id: 'g_store', storeId: 'S001', outbox: [entry('GroupSucceeded', 'g_store', USERS.bob.id, { title: '砂糖橘 2kg' })] });
  t.like(await app.core.services.messages.dispatch(), { sent: 1 });
  const [msg] = mock.host.parts.inbox.list({ openid: USERS.bob.openid });
  t.is((msg.data as Record<string, { value: string }>).thing3.value, '邻里·南京西路店');
  t.regex(msg.text, /商品名称：砂糖橘 2kg\n成团时间：.*\n取货门店：邻里·南京西路店/);
});
