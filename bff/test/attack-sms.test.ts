import test from 'ava';
import { loginAs, seedSome, startTestAppWithHost, type TestApp, type TestMockHost } from './helpers.js';

/** Issue 18, hole 5: the card SMS limit was per account only (6 accounts → 6 SMS to one phone in a minute), and answers told cards apart. */

const SMS = '/api/v1/member/card/sms';
const BIND = '/api/v1/member/card';

test('hole 5: 6 accounts asking in parallel for the same card send one SMS to its phone', async (t) => {
  // Behind one trusted proxy, which tells each account's address.
  const { app, mock } = await startTestAppWithHost(t, { env: { TRUSTED_PROXIES: '1' } });
  await seedSome(app, ['stores', 'users', 'memberCards']);
  const card = (await app.core.m.MemberCard.findById('8800000003').lean())!;
  const accounts = await Promise.all(Array.from({ length: 6 }, (_, i) => loginAs(app, mock, `oFlood${i}`)));
  // Each account from its own address, so the per-address limit (another test) does not end the flood first.
  const ask = (a: { auth: string }, i: number) => app.api.post(SMS).set('Authorization', a.auth).set('X-Forwarded-For', `10.0.0.${i + 1}`).send({ cardNo: card._id });
  const res = await Promise.all(accounts.map(ask));
  t.deepEqual([...new Set(res.map((r) => r.status))], [200], 'every account gets the same answer');
  t.is(mock.inbox({ phone: card.phone }).length, 1);
  // A minute later one more; the phone's day allowance (5) ends the flood.
  for (let minute = 1; minute <= 8; minute++) {
    app.clock.advance(60_000);
    await Promise.all(accounts.map(ask));
  }
  t.is(mock.inbox({ phone: card.phone }).length, 5);
});

test('hole 5: one address asking for many cards is refused after 20 SMS an hour, whatever the cards', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users', 'memberCards']);
  const accounts = await Promise.all(Array.from({ length: 25 }, (_, i) => loginAs(app, mock, `oSprayer${i}`)));
  const res = await Promise.all(accounts.map((a, i) => app.api.post(SMS).set('Authorization', a.auth).send({ cardNo: `88000${String(i + 100).padStart(5, '0')}` })));
  t.is(res.filter((r) => r.status === 200).length, 20);
  t.true(res.filter((r) => r.status !== 200).every((r) => r.status === 429 && r.body.error.code === 'RATE_LIMITED'));
  app.clock.advance(3600_000);
  const later = await loginAs(app, mock, 'oSprayer0');
  t.is((await app.api.post(SMS).set('Authorization', later.auth).send({ cardNo: '8800000003' })).status, 200);
});

test('hole 5: an address a client writes in X-Forwarded-For is not believed: only the entries trusted proxies appended count', async (t) => {
  const spray = async (app: TestApp, mock: TestMockHost, name: string, forwardedFor: (i: number) => string, cards = 200) => {
    const accounts = await Promise.all(Array.from({ length: 25 }, (_, i) => loginAs(app, mock, `${name}${i}`)));
    const res = await Promise.all(accounts.map((a, i) => app.api.post(SMS).set('Authorization', a.auth).set('X-Forwarded-For', forwardedFor(i)).send({ cardNo: `88000${String(i + cards).padStart(5, '0')}` })));
    return res.map((r) => (r.status === 429 ? r.body.error.code : r.status));
  };
  const count = (codes: unknown[]) => [codes.filter((c) => c === 200).length, codes.filter((c) => c === 'RATE_LIMITED').length];
  // No proxy trusted (the default): 25 forged addresses are one client, limited to 20 an hour.
  const direct = await startTestAppWithHost(t);
  await seedSome(direct.app, ['stores', 'users', 'memberCards']);
  t.deepEqual(count(await spray(direct.app, direct.mock, 'oForger', (i) => `203.0.113.${i}`)), [20, 5]);
  // One proxy trusted: the client's own entries in front of the proxy's are ignored too.
  const proxied = await startTestAppWithHost(t, { env: { TRUSTED_PROXIES: '1' } });
  await seedSome(proxied.app, ['stores', 'users', 'memberCards']);
  t.deepEqual(count(await spray(proxied.app, proxied.mock, 'oForger', (i) => `203.0.113.${i}, 198.51.100.7`)), [20, 5]);
  // ...and different addresses the proxy saw are different clients.
  t.deepEqual(count(await spray(proxied.app, proxied.mock, 'oCafe', (i) => `198.51.100.${100 + i}`, 300)), [25, 0]);
});

test('hole 5: one account is limited to 10 codes a day', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users', 'memberCards']);
  let me = await loginAs(app, mock, 'oPatient');
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    statuses.push((await app.api.post(SMS).set('Authorization', me.auth).send({ cardNo: '8800000004' })).status);
    app.clock.advance(61_000);
    me = await loginAs(app, mock, 'oPatient');
  }
  t.deepEqual(statuses, [...Array(10).fill(200), 429, 429]);
});

test('hole 5: the answers to SMS and bind requests are the same for a free card, a bound card and no card at all', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users', 'memberCards']);
  const alice = await loginAs(app, mock, 'demo-alice');
  t.is((await app.api.post('/api/v1/member/phone').set('Authorization', alice.auth).send({ code: mock.phoneCode('demo-alice', '13800000001') })).body.member.cardNo, '8800000001');
  const cases = { free: '8800000005', bound: '8800000001', none: '8899999990', online: '6600000001' };
  const answers: Record<string, unknown> = {};
  for (const [name, cardNo] of Object.entries(cases)) {
    const prober = await loginAs(app, mock, `oProber-${name}`);
    const sms = await app.api.post(SMS).set('Authorization', prober.auth).send({ cardNo });
    const bind = await app.api.post(BIND).set('Authorization', prober.auth).send({ cardNo, smsCode: '123456' });
    answers[name] = {
      sms: [sms.status, Object.keys(sms.body).sort(), sms.body.sentTo],
      bind: [bind.status, bind.body.error?.code],
    };
  }
  t.deepEqual(answers.bound, answers.free);
  t.deepEqual(answers.none, answers.free);
  t.deepEqual(answers.online, answers.free);
  t.deepEqual(answers.free, { sms: [200, ['expiresAt', 'resendAfter', 'sentTo'], ''], bind: [422, 'SMS_CODE_INVALID'] });
  // Binding without asking first says the same.
  const stranger = await loginAs(app, mock, 'oNoSms');
  for (const cardNo of Object.values(cases)) {
    const r = await app.api.post(BIND).set('Authorization', stranger.auth).send({ cardNo, smsCode: '123456' });
    t.deepEqual([r.status, r.body.error.code], [422, 'SMS_CODE_INVALID'], cardNo);
  }
});
