import test from 'ava';
import { DEMO, loginAs, seedSome, startTestAppWithHost, type TestApp, type TestMockHost } from './helpers.js';

type Session = Awaited<ReturnType<typeof loginAs>>;

/** Asks for the card SMS and reads the code from the host inbox of the card's phone. */
async function smsCodeFor(app: TestApp, mock: TestMockHost, s: Session, cardNo: string): Promise<string> {
  const res = await app.api.post('/api/v1/member/card/sms').set('Authorization', s.auth).send({ cardNo });
  if (res.status !== 200) throw new Error(`sms: ${res.status} ${JSON.stringify(res.body)}`);
  const card = await app.core.m.MemberCard.findById(cardNo).lean();
  const last = mock.inbox({ phone: card!.phone }).at(-1)!;
  return String(last.data.code);
}

async function bindPhone(app: TestApp, mock: TestMockHost, s: Session, openid: string, phone: string) {
  return app.api.post('/api/v1/member/phone').set('Authorization', s.auth).send({ code: mock.phoneCode(openid, phone) });
}

test('binding Alice’s phone binds her one offline card and books its opening balance', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users', 'memberCards']);
  const alice = await loginAs(app, mock, 'demo-alice');
  const before = await app.api.get('/api/v1/member').set('Authorization', alice.auth);
  t.is(before.body.member, null);
  t.is(before.body.levels.length, 4);

  const res = await bindPhone(app, mock, alice, 'demo-alice', '13800000001');
  t.is(res.status, 200);
  const card = await app.core.m.MemberCard.findById('8800000001').lean();
  t.like(res.body.member, { cardNo: '8800000001', source: 'offline', phone: '138****0001', points: card!.points, lifetimePoints: card!.lifetimePoints });
  t.is(res.body.phone, '138****0001');
  t.is(card!.userId, DEMO.alice);
  const ledger = await app.core.m.PointsEntry.find({ userId: DEMO.alice }).lean();
  t.deepEqual(ledger.map((e) => [e._id, e.points]), [['opening:8800000001', card!.points]]);
  const me = await app.api.get('/api/v1/me').set('Authorization', alice.auth);
  t.is(me.body.user.memberCardNo, '8800000001');
  t.deepEqual(await app.core.services.member.summary(DEMO.alice), { cardNo: '8800000001', level: res.body.member.level, points: card!.points, isMember: true });

  // A second phone bind keeps the card; a second card is refused: one card per user.
  t.is((await bindPhone(app, mock, alice, 'demo-alice', '13800000001')).body.member.cardNo, '8800000001');
  const second = await app.api.post('/api/v1/member/card/sms').set('Authorization', alice.auth).send({ cardNo: '8800000005' });
  t.is(second.status, 409);
  t.is(second.body.error.code, 'ALREADY_A_MEMBER');

  // Bob's phone has no card: he gets a new online card. Reusing his phone code is refused.
  const bob = await loginAs(app, mock, 'demo-bob');
  t.false(await app.core.services.member.isMember(DEMO.bob));
  const code = mock.phoneCode('demo-bob', '13800000002');
  const bobs = await app.api.post('/api/v1/member/phone').set('Authorization', bob.auth).send({ code });
  t.regex(bobs.body.member.cardNo, /^66\d{8}$/);
  t.like(bobs.body.member, { source: 'online', points: 0, level: { code: 'regular', name: '普通会员' } });
  t.true(await app.core.services.member.isMember(DEMO.bob));
  const reused = await app.api.post('/api/v1/member/phone').set('Authorization', bob.auth).send({ code });
  t.is(reused.status, 422);
  t.is(reused.body.error.code, 'PHONE_CODE_INVALID');

  // A phone with several unbound offline cards binds none and says so.
  await app.core.m.MemberCard.create([
    { _id: '8899999998', phone: '13911112222', source: 'offline', points: 5, lifetimePoints: 5 },
    { _id: '8899999999', phone: '13911112222', source: 'offline', points: 7, lifetimePoints: 7 },
  ]);
  const carol = await loginAs(app, mock, 'demo-carol');
  const several = await bindPhone(app, mock, carol, 'demo-carol', '13911112222');
  t.is(several.body.member, null);
  t.is(several.body.hint, 'SEVERAL_CARDS_FOR_PHONE');
});

test('binding a card takes the SMS code sent to the card’s phone; wrong, reused, expired and guessed codes are refused', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users', 'memberCards']);
  const dan = await loginAs(app, mock, 'oDan');
  const code = await smsCodeFor(app, mock, dan, '8800000003');
  const card = await app.core.m.MemberCard.findById('8800000003').lean();
  t.regex(mock.inbox({ phone: card!.phone }).at(-1)!.text, new RegExp(`验证码 ${code}`));
  t.is((await app.api.post('/api/v1/member/card/sms').set('Authorization', dan.auth).send({ cardNo: '8800000003' })).status, 429);

  const wrong = await app.api.post('/api/v1/member/card').set('Authorization', dan.auth).send({ cardNo: '8800000003', smsCode: code === '000000' ? '111111' : '000000' });
  t.is(wrong.status, 422);
  t.is(wrong.body.error.code, 'SMS_CODE_INVALID');
  const ok = await app.api.post('/api/v1/member/card').set('Authorization', dan.auth).send({ cardNo: '8800000003', smsCode: code });
  t.is(ok.status, 200);
  t.is(ok.body.member.cardNo, '8800000003');
  t.is((await app.api.post('/api/v1/member/card').set('Authorization', dan.auth).send({ cardNo: '8800000003', smsCode: code })).status, 409);
  t.is((await app.api.post('/api/v1/member/card/sms').set('Authorization', dan.auth).send({ cardNo: '8800099999' })).status, 409);

  // Five wrong guesses use up the code, even if they arrive in parallel.
  const eve = await loginAs(app, mock, 'oEve');
  const eveCode = await smsCodeFor(app, mock, eve, '8800000004');
  const guesses = await Promise.all(
    Array.from({ length: 30 }, (_, i) => app.api.post('/api/v1/member/card').set('Authorization', eve.auth).send({ cardNo: '8800000004', smsCode: String((Number(eveCode) + 1 + i) % 1_000_000).padStart(6, '0') })),
  );
  t.true(guesses.every((g) => g.status === 422));
  t.is(guesses.filter((g) => g.body.error.code === 'SMS_CODE_INVALID').length, 5);
  const late = await app.api.post('/api/v1/member/card').set('Authorization', eve.auth).send({ cardNo: '8800000004', smsCode: eveCode });
  t.is(late.body.error.code, 'SMS_ATTEMPTS_EXCEEDED');

  // Codes expire after 5 minutes.
  const fay = await loginAs(app, mock, 'oFay');
  const fayCode = await smsCodeFor(app, mock, fay, '8800000006');
  app.clock.advance(5 * 60 * 1000 + 1000);
  const fayNow = await loginAs(app, mock, 'oFay');
  const expired = await app.api.post('/api/v1/member/card').set('Authorization', fayNow.auth).send({ cardNo: '8800000006', smsCode: fayCode });
  t.is(expired.status, 422);
  t.is(expired.body.error.code, 'SMS_CODE_INVALID');
  t.is(await app.core.m.CardBinding.countDocuments({ _id: { $in: ['8800000004', '8800000006'] } }), 0);
});

test('100 users racing to bind one card: exactly one wins, the others get 409 CARD_ALREADY_BOUND, and card and ledger agree', async (t) => {
  // 100 codes to one phone from one address: lift the SMS limits, this test is about the binding race.
  const { app, mock } = await startTestAppWithHost(t, { env: { SMS_PER_PHONE_PER_MIN: '1000', SMS_PER_PHONE_PER_DAY: '1000', SMS_PER_IP_PER_HOUR: '1000' } });
  await seedSome(app, ['stores', 'users', 'memberCards']);
  const cardNo = '8800000010';
  const users = await Promise.all(Array.from({ length: 100 }, (_, i) => loginAs(app, mock, `oCardRacer${i}`)));
  const codes: string[] = [];
  for (const u of users) codes.push(await smsCodeFor(app, mock, u, cardNo));

  const results = await Promise.all(users.map((u, i) => app.api.post('/api/v1/member/card').set('Authorization', u.auth).send({ cardNo, smsCode: codes[i] })));
  const winners = results.flatMap((r, i) => (r.status === 200 ? [users[i].user.id] : []));
  t.is(winners.length, 1);
  const losers = results.filter((r) => r.status !== 200);
  t.is(losers.length, 99);
  t.true(losers.every((r) => r.status === 409 && r.body.error.code === 'CARD_ALREADY_BOUND'), JSON.stringify(losers.map((r) => r.body.error?.code)));

  const [winner] = winners;
  const card = await app.core.m.MemberCard.findById(cardNo).lean();
  t.is(card!.userId, winner);
  t.deepEqual((await app.core.m.CardBinding.find({ _id: cardNo }).lean()).map((b) => b.userId), [winner]);
  t.deepEqual((await app.core.m.User.find({ memberCardNo: cardNo }).lean()).map((u) => u._id), [winner]);
  const ledger = await app.core.m.PointsEntry.find({ cardNo }).lean();
  t.deepEqual(ledger.map((e) => [e._id, e.userId, e.points]), [[`opening:${cardNo}`, winner, card!.points]]);
  t.is(await app.core.m.PointsEntry.countDocuments({ userId: { $in: users.map((u) => u.user.id) } }), 1);
  const loserView = await app.api.get('/api/v1/member').set('Authorization', users.find((u) => u.user.id !== winner)!.auth);
  t.is(loserView.body.member, null);
});

test('the member code rotates every 30 s and identifies the member; the same receipt scanned 20 times in parallel credits once', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users', 'memberCards']);
  // Start one second into a 30 s window, so the ages below do not depend on when the test runs.
  app.clock.advance(30_000 - (app.clock.now().getTime() % 30_000) + 1000);
  const alice = await loginAs(app, mock, 'demo-alice');
  const clerk = await loginAs(app, mock, 'demo-clerk');
  const bob = await loginAs(app, mock, 'demo-bob');
  t.is((await app.api.get('/api/v1/member/code').set('Authorization', alice.auth)).body.error.code, 'NOT_A_MEMBER');
  await bindPhone(app, mock, alice, 'demo-alice', '13800000001');
  const start = (await app.api.get('/api/v1/member').set('Authorization', alice.auth)).body.member.points as number;

  const mc = await app.api.get('/api/v1/member/code').set('Authorization', alice.auth);
  t.is(mc.status, 200);
  t.true(mc.body.qr.startsWith('data:image/png;base64,'));
  t.true(Date.parse(mc.body.expiresAt) - app.clock.now().getTime() <= 30_000);
  // The till previews (who, how many points, a confirmation token), then credits what was confirmed.
  const scan = async (auth: string, body: Record<string, unknown>) => {
    const preview = await app.api.post('/api/v1/clerk/members/scan/preview').set('Authorization', auth).send(body);
    if (preview.status !== 200) return preview;
    const { memberCode: _code, ...rest } = body;
    return app.api.post('/api/v1/clerk/members/scan').set('Authorization', auth).send({ ...rest, confirmToken: preview.body.confirmToken });
  };
  const body = { storeId: 'S001', memberCode: mc.body.code, receiptNo: 'R-20261122-0001', amount: 12_345 };

  const results = await Promise.all(Array.from({ length: 20 }, () => scan(clerk.auth, body)));
  const ok = results.filter((r) => r.status === 200);
  t.is(ok.length, 1);
  t.like(ok[0].body, { pointsCredited: 123, balance: start + 123, member: { cardNo: '8800000001', nickname: '爱丽丝' } });
  t.true(results.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.body.error.code === 'RECEIPT_ALREADY_CREDITED'));
  t.is(await app.core.m.PointsEntry.countDocuments({ reason: 'purchase' }), 1);
  const points = await app.api.get('/api/v1/member/points').set('Authorization', alice.auth);
  t.is(points.body.balance, start + 123);
  t.deepEqual(points.body.entries.map((e: { reason: string; points: number }) => [e.reason, e.points]), [['purchase', 123], ['opening', start]]);
  // The same receipt number at another store is another receipt.
  t.is((await scan(`Bearer ${(await app.api.post('/api/v1/auth/refresh').send({ refreshToken: (await loginAs(app, mock, 'demo-admin')).refreshToken })).body.accessToken}`, { ...body, storeId: 'S002' })).status, 200);

  // Scope and roles: a clerk of S001 at S002, a customer at the till, nobody at all.
  const foreign = await scan(clerk.auth, { ...body, storeId: 'S002', receiptNo: 'R-2' });
  t.is(foreign.status, 403);
  t.is(foreign.body.error.code, 'WRONG_STORE');
  const customer = await scan(bob.auth, { ...body, receiptNo: 'R-3' });
  t.is(customer.status, 403);
  t.is(customer.body.error.code, 'ROLE_REQUIRED');
  t.is((await app.api.post('/api/v1/clerk/members/scan/preview').send({ ...body, receiptNo: 'R-4' })).status, 401);

  // A forged code, then the rotation and the 60 s limit.
  const forged = mc.body.code.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A'));
  t.is((await scan(clerk.auth, { ...body, memberCode: forged, receiptNo: 'R-5' })).body.error.code, 'MEMBER_CODE_INVALID');
  t.is((await scan(clerk.auth, { ...body, memberCode: mc.body.code.replace('8800000001', '8800000002'), receiptNo: 'R-6' })).body.error.code, 'MEMBER_CODE_INVALID');
  app.clock.advance(30_000);
  const next = await app.api.get('/api/v1/member/code').set('Authorization', alice.auth);
  t.not(next.body.code, mc.body.code);
  t.is((await scan(clerk.auth, { ...body, receiptNo: 'R-7' })).status, 200);
  app.clock.advance(31_000);
  const old = await scan(clerk.auth, { ...body, receiptNo: 'R-8' });
  t.is(old.status, 422);
  t.is(old.body.error.code, 'MEMBER_CODE_EXPIRED');
  t.is((await scan(clerk.auth, { ...body, memberCode: next.body.code, receiptNo: 'R-8' })).status, 200);
});

test('NoSQL-injection bodies on membership routes answer 400 and change nothing', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users', 'memberCards']);
  const bob = await loginAs(app, mock, 'demo-bob');
  const clerk = await loginAs(app, mock, 'demo-clerk');
  const counts = async () =>
    Promise.all([app.core.m.CardBinding.countDocuments(), app.core.m.PointsEntry.countDocuments(), app.core.m.SmsChallenge.countDocuments()]);
  const before = await counts();
  const cases: [string, string, unknown][] = [
    [bob.auth, '/api/v1/member/phone', { code: { $gt: '' } }],
    [bob.auth, '/api/v1/member/card', { cardNo: { $ne: null }, smsCode: '123456' }],
    [bob.auth, '/api/v1/member/card', { cardNo: '8800000001', smsCode: { $regex: '.*' } }],
    [bob.auth, '/api/v1/member/card/sms', { cardNo: { $ne: null } }],
    [clerk.auth, '/api/v1/clerk/members/scan/preview', { storeId: 'S001', memberCode: { $gt: '' }, receiptNo: 'R1', amount: 100 }],
    [clerk.auth, '/api/v1/clerk/members/scan/preview', { storeId: { $ne: null }, memberCode: 'x', receiptNo: 'R1', amount: 100 }],
    [clerk.auth, '/api/v1/clerk/members/scan/preview', { storeId: 'S001', memberCode: 'x', receiptNo: { $ne: null }, amount: 100 }],
    [clerk.auth, '/api/v1/clerk/members/scan/preview', { storeId: 'S001', memberCode: 'x', receiptNo: 'R1', amount: -5 }],
  ];
  for (const [auth, path, body] of cases) {
    const res = await app.api.post(path).set('Authorization', auth).send(body as object);
    t.is(res.status, 400, `${path} ${JSON.stringify(body)}`);
    t.is(res.body.error.code, 'VALIDATION_FAILED');
  }
  t.is((await app.api.get('/api/v1/member/points').query({ cursor: '$gt' }).set('Authorization', bob.auth)).status, 400);
  t.deepEqual(await counts(), before);
});

test('credits are idempotent per (reason, refId), the balance is the ledger’s sum, levels follow lifetime points, and the ledger pages', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  const zoe = await loginAs(app, mock, 'oZoe');
  const member = app.core.services.member;
  const racing = await Promise.all(Array.from({ length: 30 }, () => member.credit(zoe.user.id, 'order_pickup', 'O-1', 600)));
  t.is(racing.filter((r) => r.credited).length, 1);
  for (let i = 0; i < 24; i++) await member.credit(zoe.user.id, 'order_pickup', `O-${i + 2}`, 100);
  t.deepEqual(await member.balance(zoe.user.id), { points: 3000, lifetime: 3000 });
  await t.throwsAsync(member.credit(zoe.user.id, 'Bad Reason', 'x', 1));
  await t.throwsAsync(member.credit(zoe.user.id, 'order_pickup', 'x', -1));

  // Not a member yet: points are kept, and show once a card is bound.
  t.deepEqual(await member.summary(zoe.user.id), { cardNo: null, level: null, points: 0, isMember: false });
  await bindPhone(app, mock, zoe, 'oZoe', '13912345678');
  const view = await app.api.get('/api/v1/member').set('Authorization', zoe.auth);
  t.like(view.body.member, { points: 3000, lifetimePoints: 3000, level: { code: 'silver', name: '银卡' }, nextLevel: { code: 'gold', pointsToGo: 2000 } });

  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await app.api.get('/api/v1/member/points').query({ limit: 10, ...(cursor ? { cursor } : {}) }).set('Authorization', zoe.auth);
    t.is(res.status, 200);
    seen.push(...res.body.entries.map((e: { id: string }) => e.id));
    cursor = res.body.nextCursor ?? undefined;
    pages++;
  } while (cursor);
  t.is(pages, 3);
  t.is(seen.length, 25);
  t.is(new Set(seen).size, 25);

  await member.credit(zoe.user.id, 'promotion', 'P-1', 17_000);
  t.like(await member.summary(zoe.user.id), { points: 20_000, level: { code: 'diamond', name: '钻石' }, isMember: true });
});

test('a binding whose copies a crash left unwritten is finished on the next read', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['users', 'memberCards']);
  const carol = await loginAs(app, mock, 'demo-carol');
  // The binding insert happened; the card, the user and the opening balance were never written.
  await app.core.m.CardBinding.create({ _id: '8800000002', userId: DEMO.carol, source: 'phone', boundAt: app.clock.now() });
  const res = await app.api.get('/api/v1/member').set('Authorization', carol.auth);
  const card = await app.core.m.MemberCard.findById('8800000002').lean();
  t.like(res.body.member, { cardNo: '8800000002', points: card!.points });
  t.is(card!.userId, DEMO.carol);
  t.is((await app.core.m.User.findById(DEMO.carol).lean())?.memberCardNo, '8800000002');
  t.is(await app.core.m.PointsEntry.countDocuments({ userId: DEMO.carol }), 1);
  // Carol's phone now finds her card taken by herself: nothing changes.
  await bindPhone(app, mock, carol, 'demo-carol', '13800000003');
  t.is(await app.core.m.CardBinding.countDocuments({ userId: DEMO.carol }), 1);
  t.is(await app.core.m.PointsEntry.countDocuments({ userId: DEMO.carol }), 1);
});
