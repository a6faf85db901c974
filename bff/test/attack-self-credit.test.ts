import test from 'ava';
import { loginAs, seedSome, startTestAppWithHost } from './helpers.js';

// Hole #4 of the attack run: a clerk scanned their own member code and credited 10,000,000 cents of a
// receipt in one tap, with no cap and no confirmation. Written as the attack, in parallel.

test('a clerk who scans their own card, in 40 parallel taps of ¥100,000 receipts, credits nothing', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users', 'memberCards']);
  const clerk = await loginAs(app, mock, 'demo-clerk');
  const bound = await app.api.post('/api/v1/member/phone').set('Authorization', clerk.auth).send({ code: mock.phoneCode('demo-clerk', '13800000009') });
  t.is(bound.status, 200);
  const before = await app.core.m.PointsEntry.find({ userId: clerk.user.id }).lean();
  const code = (await app.api.get('/api/v1/member/code').set('Authorization', clerk.auth)).body.code as string;

  const attack = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      app.api.post('/api/v1/clerk/members/scan/preview').set('Authorization', clerk.auth).send({ storeId: 'S001', memberCode: code, receiptNo: `SELF-${i}`, amount: 10_000_000 }),
    ),
  );
  t.true(attack.every((r) => r.status === 422 && r.body.error.code === 'RECEIPT_OVER_CAP'), JSON.stringify(attack[0].body));
  // Under the cap, still their own card: refused.
  const small = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      app.api.post('/api/v1/clerk/members/scan/preview').set('Authorization', clerk.auth).send({ storeId: 'S001', memberCode: code, receiptNo: `SELF-S${i}`, amount: 150_000 }),
    ),
  );
  t.true(small.every((r) => r.status === 403 && r.body.error.code === 'SELF_CREDIT'), JSON.stringify(small[0].body));
  // Skipping the confirmation, or forging one, credits nothing either.
  const direct = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      app.api
        .post('/api/v1/clerk/members/scan')
        .set('Authorization', clerk.auth)
        .send({ storeId: 'S001', memberCode: code, receiptNo: `SELF-D${i}`, amount: 150_000, confirmToken: i % 2 ? 'x' : `${Buffer.from('["u","S001","8800000009","SELF",1,99999999999999]').toString('base64url')}.${'A'.repeat(43)}` }),
    ),
  );
  t.true(direct.every((r) => r.status === 422 && r.body.error.code === 'SCAN_NOT_CONFIRMED'), JSON.stringify(direct[0].body));
  const after = await app.core.m.PointsEntry.find({ userId: clerk.user.id }).lean();
  t.deepEqual(after.map((e) => e._id), before.map((e) => e._id));
});

test('a confirmation is for exactly what was previewed: another amount, receipt, store or clerk is refused', async (t) => {
  const { app, mock } = await startTestAppWithHost(t);
  await seedSome(app, ['stores', 'users', 'memberCards']);
  const alice = await loginAs(app, mock, 'demo-alice');
  await app.api.post('/api/v1/member/phone').set('Authorization', alice.auth).send({ code: mock.phoneCode('demo-alice', '13800000001') });
  const clerk = await loginAs(app, mock, 'demo-clerk');
  const admin = await loginAs(app, mock, 'demo-admin');
  const code = (await app.api.get('/api/v1/member/code').set('Authorization', alice.auth)).body.code as string;
  const body = { storeId: 'S001', memberCode: code, receiptNo: 'R-77', amount: 8_800 };
  const preview = await app.api.post('/api/v1/clerk/members/scan/preview').set('Authorization', clerk.auth).send(body);
  t.is(preview.status, 200);
  // The confirmation screen shows the member masked and the points.
  t.like(preview.body, { member: { cardNo: '88****0001', nickname: '爱**' }, points: 88, amountCents: 8_800, capCents: app.config.POINTS_RECEIPT_CAP_CENTS });
  const confirm = (auth: string, b: Record<string, unknown>) => app.api.post('/api/v1/clerk/members/scan').set('Authorization', auth).send({ ...b, confirmToken: preview.body.confirmToken });
  const base = { storeId: 'S001', receiptNo: 'R-77', amount: 8_800 };
  for (const [auth, b] of [
    [clerk.auth, { ...base, amount: 880_000 }],
    [clerk.auth, { ...base, receiptNo: 'R-78' }],
    [admin.auth, base],
  ] as const) {
    const r = await confirm(auth, b);
    t.is(r.status, 422);
    t.is(r.body.error.code, 'SCAN_NOT_CONFIRMED');
  }
  t.is((await confirm(clerk.auth, { ...base, storeId: 'S002' })).body.error.code, 'WRONG_STORE');
  t.is(await app.core.m.PointsEntry.countDocuments({ reason: 'purchase' }), 0);

  // The genuine confirmation credits once, and the ledger entry names the clerk and the store.
  const ok = await confirm(clerk.auth, base);
  t.is(ok.status, 200);
  t.like(ok.body, { pointsCredited: 88, clerkId: clerk.user.id });
  const entry = await app.core.m.PointsEntry.findById('purchase:S001:R-77').lean();
  t.like(entry, { clerkId: clerk.user.id, storeId: 'S001', points: 88 });
  t.is((await confirm(clerk.auth, base)).body.error.code, 'RECEIPT_ALREADY_CREDITED');
  // The confirmation expires.
  app.clock.advance(3 * 60_000);
  t.is((await confirm(clerk.auth, { ...base })).body.error.code, 'SCAN_NOT_CONFIRMED');
});
