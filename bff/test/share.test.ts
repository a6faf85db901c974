import test from 'ava';
import { adminAuth, customers, join, openPaidGroup, orderIdOf, pay, startGroupApp } from './group-fixtures.js';
import { backfillFirstTouches } from '../src/modules/share/share.model.js';

test('the funnel counts shares, visits, joins, paid and picked up of a scripted scenario, per deal and per sharer', async (t) => {
  const { app } = await startGroupApp(t);
  const [leader, bob, carol, dave, erin] = await customers(app, 'f', 5);
  const { groupId } = await openPaidGroup(app, leader, 'D002'); // a group of 3

  // The leader shares the group; bob shares the deal.
  const shareA = await app.api.post('/api/v1/shares').set('Authorization', leader.auth).send({ targetType: 'group', targetId: groupId });
  t.is(shareA.status, 201);
  const a = shareA.body.share.id as string;
  t.is(shareA.body.share.path, `/pages/group/index?id=${groupId}&shareId=${a}&storeId=S001`);
  const again = await app.api.post('/api/v1/shares').set('Authorization', leader.auth).send({ targetType: 'group', targetId: groupId });
  t.is(again.body.share.id, a, 'sharing the same thing twice is one share');
  const b = (await app.api.post('/api/v1/shares').set('Authorization', bob.auth).send({ targetType: 'deal', targetId: 'D002', storeId: 'S001' })).body.share.id as string;

  // Visits: bob twice (one counts), carol, dave on A; erin on B; carol later on B too; the leader on her own share (not a visit).
  const visit = (c: { auth: string }, id: string) => app.api.post(`/api/v1/shares/${id}/visit`).set('Authorization', c.auth).send({});
  const bobFirst = await visit(bob, a);
  t.true(bobFirst.body.firstVisit);
  t.false((await visit(bob, a)).body.firstVisit);
  await visit(carol, a);
  await visit(dave, a);
  await visit(erin, b);
  await visit(carol, b);
  t.false((await visit(leader, a)).body.firstVisit);

  // Dave only looks at the group page (this mints his own unconfirmed share: not counted).
  const view = await app.api.get(`/api/v1/groups/${groupId}`).set('Authorization', dave.auth);
  t.is(view.status, 200);
  t.regex(view.body.share.path, new RegExp(`^/pages/group/index\\?id=${groupId}&shareId=sh_`));

  // Bob joins naming the share; carol names bob's share but first touch (leader's) wins. Both pay.
  const jb = await join(app, bob, groupId, { shareId: a });
  t.is(jb.status, 201);
  const jc = await join(app, carol, groupId, { shareId: b });
  t.is(jc.status, 201);
  await pay(app, orderIdOf(jb));
  await pay(app, orderIdOf(jc));
  t.is((await app.core.services.order.mustGet(orderIdOf(jb))).shareId, a);
  t.is((await app.core.services.order.mustGet(orderIdOf(jc))).shareId, a);
  // Bob picks his order up.
  await app.core.services.order.transition(await app.core.services.order.mustGet(orderIdOf(jb)), 'awaiting_pickup', 'picked_up', { type: 'clerk', id: 'u_demo-clerk' }, 'redeemed');

  const res = await app.api.get('/api/v1/admin/funnel').query({ dealId: 'D002' }).set('Authorization', await adminAuth(app));
  t.is(res.status, 200);
  t.deepEqual(res.body.totals, { shares: 2, visits: 5, joins: 2, paid: 2, pickedUp: 1 });
  const bySharer = Object.fromEntries((res.body.bySharer as { sharerId: string }[]).map(({ sharerId, ...rest }) => [sharerId, rest]));
  t.deepEqual(bySharer[leader.id], { nickname: 'f0号', shares: 1, visits: 3, joins: 2, paid: 2, pickedUp: 1 });
  t.deepEqual(bySharer[bob.id], { nickname: 'f1号', shares: 1, visits: 2, joins: 0, paid: 0, pickedUp: 0 });
  t.is(res.body.bySharer.length, 2);

  // Another deal's funnel is empty; a customer may not read funnels.
  const other = await app.api.get('/api/v1/admin/funnel').query({ dealId: 'D001' }).set('Authorization', await adminAuth(app));
  t.deepEqual(other.body.totals, { shares: 0, visits: 0, joins: 0, paid: 0, pickedUp: 0 });
  t.is((await app.api.get('/api/v1/admin/funnel').query({ dealId: 'D002' }).set('Authorization', bob.auth)).status, 403);
});

test('visits recorded before first touches were kept are backfilled at start, the earliest visit of a deal winning, and a join is attributed to it', async (t) => {
  const { app } = await startGroupApp(t);
  const m = app.core.m;
  const [leader, bob, carol] = await customers(app, 'ft', 3);
  const { groupId } = await openPaidGroup(app, leader, 'D002');
  const a = (await app.api.post('/api/v1/shares').set('Authorization', leader.auth).send({ targetType: 'group', targetId: groupId })).body.share.id as string;
  const b = (await app.api.post('/api/v1/shares').set('Authorization', carol.auth).send({ targetType: 'deal', targetId: 'D002', storeId: 'S001' })).body.share.id as string;
  // Bob's visits as an older version wrote them: visits only, the later one (b) inserted first.
  const at = Date.now() - 3600_000;
  await m.ShareVisit.collection.insertMany([
    { _id: `${b}:${bob.id}`, shareId: b, sharerId: carol.id, visitorId: bob.id, dealId: 'D002', createdAt: new Date(at + 60_000), updatedAt: new Date(at + 60_000) },
    { _id: `${a}:${bob.id}`, shareId: a, sharerId: leader.id, visitorId: bob.id, dealId: 'D002', createdAt: new Date(at), updatedAt: new Date(at) },
  ] as never[]);
  t.is(await backfillFirstTouches(m), 1);
  t.is(await backfillFirstTouches(m), 0, 'a second start has nothing to do');
  t.is((await m.ShareFirstTouch.findById(`D002:${bob.id}`).lean())?.shareId, a);
  // Bob joins naming b: the first touch (a) is what the order is attributed to.
  const jb = await join(app, bob, groupId, { shareId: b });
  t.is(jb.status, 201, JSON.stringify(jb.body));
  t.is((await app.core.services.order.mustGet(orderIdOf(jb))).shareId, a);
});

test('the group view shows seats with avatars, the countdown, the viewer state and a share card', async (t) => {
  const { app } = await startGroupApp(t);
  const [leader, bob, carol] = await customers(app, 'v', 3);
  const { groupId } = await openPaidGroup(app, leader, 'D001'); // a group of 2

  const anon = await app.api.get(`/api/v1/groups/${groupId}`);
  t.is(anon.status, 200);
  t.is(anon.body.viewer.state, 'can_join');
  t.is(anon.body.share.shareId, null);
  t.is(anon.body.group.seatsLeft, 1);
  t.truthy(Date.parse(anon.body.group.expiresAt) > app.clock.now().getTime());
  t.is(anon.body.product.id, 'P0010');
  t.deepEqual(anon.body.seats.map((s: { nickname: string; avatar: string; leader: boolean; status: string }) => [s.nickname, s.avatar, s.leader, s.status]), [['v0号', '/avatars/v0.png', true, 'paid']]);

  const mine = await app.api.get(`/api/v1/groups/${groupId}`).set('Authorization', leader.auth);
  t.is(mine.body.viewer.state, 'leader');
  t.regex(mine.body.share.path, /shareId=sh_/);
  t.is(mine.body.share.imageUrl, anon.body.product.image);
  const twice = await app.api.get(`/api/v1/groups/${groupId}`).set('Authorization', leader.auth);
  t.is(twice.body.share.shareId, mine.body.share.shareId, 'the viewer keeps one share id per group');

  await join(app, bob, groupId);
  t.is((await app.api.get(`/api/v1/groups/${groupId}`).set('Authorization', bob.auth)).body.viewer.state, 'joined');
  t.is((await app.api.get(`/api/v1/groups/${groupId}`).set('Authorization', carol.auth)).body.viewer.state, 'full');
  const counts = await app.core.services.groupbuy.queries.openGroupCounts(['D001', 'D002'], 'S001');
  t.deepEqual(counts, { D001: 0, D002: 0 }, 'a full group is not listed as joinable');
  t.is((await app.api.get('/api/v1/groups/g_nope')).status, 400);
  t.is((await app.api.get('/api/v1/groups/g_AAAAAAAAAAAAAAAAAAAAAA')).status, 404);
});

test('openGroupCounts lists open groups with seats per deal at a store', async (t) => {
  const { app } = await startGroupApp(t);
  const [a, b, c] = await customers(app, 'o', 3);
  await openPaidGroup(app, a, 'D002');
  await openPaidGroup(app, b, 'D002');
  await openPaidGroup(app, c, 'D001');
  await app.api.post('/api/v1/groups').set('Authorization', c.auth).send({ dealId: 'D002', storeId: 'S001' }); // pending: not listed
  t.deepEqual(await app.core.services.groupbuy.queries.openGroupCounts(['D001', 'D002', 'D003'], 'S001'), { D001: 1, D002: 2, D003: 0 });
  t.deepEqual(await app.core.services.groupbuy.queries.openGroupCounts(['D001'], 'S002'), { D001: 0 });
});
