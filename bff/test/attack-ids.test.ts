import test from 'ava';
import { customers, makeDeal, openPaidGroup, join, startGroupApp } from './group-fixtures.js';

/** Issue 18, hole 3: host openids (`u_<openid>`) were shown to anyone, logged in or not, in group seats and open-group lists. */

test.serial('hole 3: a group view, an open-group list and share records show no host id to anyone but its owner', async (t) => {
  const { app } = await startGroupApp(t);
  const deal = await makeDeal(app, { groupSize: 3, perUserLimit: 2 });
  const [leader, member, stranger] = await customers(app, 'ids', 3);
  const one = await openPaidGroup(app, leader, deal.id);
  const two = await openPaidGroup(app, leader, deal.id);
  t.is((await join(app, member, one.groupId)).status, 201);
  t.is((await join(app, member, two.groupId)).status, 201);
  const share = await app.api.post('/api/v1/shares').set('Authorization', leader.auth).send({ targetType: 'group', targetId: one.groupId });
  t.is(share.status, 201);

  const users = await app.core.m.User.find({}, { openid: 1 }).lean();
  const hostIds = users.flatMap((u) => [u._id, u.openid]);
  t.true(hostIds.includes(leader.id));
  const leaks = (what: string, body: unknown) => {
    const text = JSON.stringify(body);
    return hostIds.filter((id) => text.includes(id)).map((id) => `${what}: ${id}`);
  };

  const seen: string[] = [];
  const views: Record<string, { seats: { id: string; mine: boolean; leader: boolean }[] }> = {};
  for (const [who, auth] of [['anonymous', undefined], ['stranger', stranger.auth], ['member', member.auth], ['leader', leader.auth]] as const) {
    for (const g of [one, two]) {
      const req = app.api.get(`/api/v1/groups/${g.groupId}`);
      const r = auth ? await req.set('Authorization', auth) : await req;
      t.is(r.status, 200);
      seen.push(...leaks(`GET /groups as ${who}`, r.body));
      views[`${who}:${g.groupId}`] = r.body;
    }
  }
  const list = await app.api.get(`/api/v1/deals/${deal.id}/groups`).query({ storeId: 'S001' });
  t.is(list.status, 200);
  t.is(list.body.groups.length, 2);
  t.true(list.body.groups.every((g: { leader: { nickname: string } }) => g.leader.nickname === 'ids0号'), 'the leader is shown by nickname');
  seen.push(...leaks('GET /deals/:id/groups', list.body));
  seen.push(...leaks('POST /shares', share.body));
  const visit = await app.api.post(`/api/v1/shares/${share.body.share.id}/visit`).set('Authorization', stranger.auth);
  seen.push(...leaks('POST /shares/:id/visit', visit.body));
  t.deepEqual(seen, []);

  // Seat ids name a seat in its group: the same for every viewer, unrelated across groups.
  const ids = (key: string) => views[key].seats.map((s) => s.id);
  t.deepEqual(ids(`anonymous:${one.groupId}`), ids(`leader:${one.groupId}`));
  const inOne = new Set(ids(`anonymous:${one.groupId}`));
  t.false(ids(`anonymous:${two.groupId}`).some((id) => inOne.has(id)), 'the same two people have other seat ids in another group');
  // Each viewer finds their own seat, and only theirs.
  t.deepEqual(views[`member:${one.groupId}`].seats.map((s) => s.mine), [false, true]);
  t.deepEqual(views[`leader:${one.groupId}`].seats.map((s) => s.mine), [true, false]);
  t.true(views[`stranger:${one.groupId}`].seats.every((s) => !s.mine));
  // The owner still sees their own id where it is theirs.
  t.is((await app.api.get('/api/v1/me').set('Authorization', leader.auth)).body.user.id, leader.id);
});
