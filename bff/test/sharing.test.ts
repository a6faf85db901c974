import test from 'ava';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { POSTER_SIZE, parseScene } from '@linli/contracts';
import { customers, join, openPaidGroup, pay, orderIdOf, adminAuth, startGroupApp } from './group-fixtures.js';
import { startMockHost, startTestApp } from './helpers.js';

/** Decodes a PNG and answers its size and the text of the QR code it shows (null when none is found). */
function scan(png: Buffer): { width: number; height: number; text: string | null } {
  const img = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height);
  return { width: img.width, height: img.height, text: code?.data ?? null };
}

/** Narrows a deal to S001 (admin API) and answers its product and a store where it is not offered. */
const dealAt = async (app: Awaited<ReturnType<typeof startGroupApp>>['app'], dealId: string) => {
  const res = await app.api.patch(`/api/v1/admin/deals/${dealId}`).set('Authorization', await adminAuth(app)).send({ storeIds: ['S001'] });
  if (res.status !== 200) throw new Error(`patch failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { productId: res.body.deal.productId as string, elsewhere: 'S002' };
};

test('share links carry the store and the share id; one share per sharer and target; a prepared link is not counted until shared', async (t) => {
  const { app } = await startGroupApp(t);
  const [ann, ben] = await customers(app, 'l', 2);
  const post = (c: { auth: string }, body: object) => app.api.post('/api/v1/shares').set('Authorization', c.auth).send(body);

  const p = await post(ann, { targetType: 'product', targetId: 'P0010', storeId: 'S001' });
  t.is(p.status, 201);
  const sid = p.body.share.id as string;
  t.regex(sid, /^sh_[A-Za-z0-9_-]{22}$/);
  t.is(p.body.share.path, `/pages/product/index?id=P0010&shareId=${sid}&storeId=S001`);
  t.is(p.body.share.storeId, 'S001');
  t.is(p.body.share.posterUrl, `/shares/${sid}/poster?storeId=S001`);
  t.regex(p.body.share.title, /¥\d+\.\d\d｜.+店/);
  t.is((await post(ann, { targetType: 'product', targetId: 'P0010', storeId: 'S002' })).body.share.id, sid, 'the same product shared at another store is the same share');
  t.is((await post(ann, { targetType: 'product', targetId: 'P0010', storeId: 'S002' })).body.share.path, `/pages/product/index?id=P0010&shareId=${sid}&storeId=S002`);

  // A deal's link opens the deal page at the store; a group's at the group's own store.
  const d = await post(ann, { targetType: 'deal', targetId: 'D001', storeId: 'S001' });
  t.is(d.body.share.path, `/pages/deal/index?id=D001&shareId=${d.body.share.id}&storeId=S001`);
  const { groupId } = await openPaidGroup(app, ben, 'D001');
  const g = await post(ben, { targetType: 'group', targetId: groupId, storeId: 'S999' });
  t.is(g.body.share.path, `/pages/group/index?id=${groupId}&shareId=${g.body.share.id}&storeId=S001`);
  const view = await app.api.get(`/api/v1/groups/${groupId}`).set('Authorization', ben.auth);
  t.is(view.body.share.path, g.body.share.path, 'the group page card is the same link');

  // Anyone holding the id can see what it opens (the mini-program code's landing page does).
  const r = await app.api.get(`/api/v1/shares/${sid}`).query({ storeId: 'S001' });
  t.is(r.status, 200);
  t.is(r.body.share.path, p.body.share.path);

  // GET /shares/link prepares ben's card of the product: same id every time, not in the deal funnel.
  const l1 = await app.api.get('/api/v1/shares/link').query({ targetType: 'deal', targetId: 'D002', storeId: 'S001' }).set('Authorization', ben.auth);
  t.is(l1.status, 200);
  const l2 = await app.api.get('/api/v1/shares/link').query({ targetType: 'deal', targetId: 'D002', storeId: 'S001' }).set('Authorization', ben.auth);
  t.is(l2.body.share.id, l1.body.share.id);
  const funnel = await app.api.get('/api/v1/admin/funnel').query({ dealId: 'D002' }).set('Authorization', await adminAuth(app));
  t.is(funnel.body.totals.shares, 0, 'a prepared card is not a share');
  t.is((await post(ben, { targetType: 'deal', targetId: 'D002', storeId: 'S001' })).body.share.id, l1.body.share.id, 'sharing it confirms the same id');
  const after = await app.api.get('/api/v1/admin/funnel').query({ dealId: 'D002' }).set('Authorization', await adminAuth(app));
  t.is(after.body.totals.shares, 1);
});

test('bad share requests are 4xx with a code and change nothing', async (t) => {
  const { app } = await startGroupApp(t);
  const [ann] = await customers(app, 'b', 1);
  const { elsewhere } = await dealAt(app, 'D001');
  const post = (body: object) => app.api.post('/api/v1/shares').set('Authorization', ann.auth).send(body);
  const cases: [object, number, string][] = [
    [{ targetType: 'product', targetId: 'P0010' }, 400, 'VALIDATION_FAILED'],
    [{ targetType: 'product', targetId: 'P0010', storeId: 'nope' }, 400, 'VALIDATION_FAILED'],
    [{ targetType: 'product', targetId: 'P9999', storeId: 'S001' }, 404, 'PRODUCT_NOT_FOUND'],
    [{ targetType: 'product', targetId: 'P0010', storeId: 'S999' }, 404, 'PRODUCT_NOT_FOUND'],
    [{ targetType: 'deal', targetId: 'D001', storeId: elsewhere }, 404, 'DEAL_NOT_AT_STORE'],
    [{ targetType: 'deal', targetId: 'D999', storeId: 'S001' }, 404, 'DEAL_NOT_FOUND'],
    [{ targetType: 'group', targetId: 'g_AAAAAAAAAAAAAAAAAAAAAA' }, 404, 'GROUP_NOT_FOUND'],
    [{ targetType: 'store', targetId: 'S001' }, 400, 'VALIDATION_FAILED'],
  ];
  for (const [body, status, code] of cases) {
    const res = await post(body);
    t.is(res.status, status, JSON.stringify(body));
    t.is(res.body.error.code, code, JSON.stringify(body));
  }
  t.is(await app.core.m.Share.countDocuments({}), 0, 'no share was made');
  t.is((await app.api.post('/api/v1/shares').send({ targetType: 'product', targetId: 'P0010', storeId: 'S001' })).status, 401);

  const bad = await app.api.get('/api/v1/shares/not-a-share');
  t.is(bad.status, 400);
  t.is(bad.body.error.code, 'VALIDATION_FAILED');
  const unknown = await app.api.get('/api/v1/shares/sh_AAAAAAAAAAAAAAAAAAAAAA');
  t.is(unknown.status, 404);
  t.is(unknown.body.error.code, 'SHARE_NOT_FOUND');
  t.is((await app.api.post('/api/v1/shares/sh_AAAAAAAAAAAAAAAAAAAAAA/visit').set('Authorization', ann.auth).send({})).body.error.code, 'SHARE_NOT_FOUND');
  const sid = (await post({ targetType: 'product', targetId: 'P0010', storeId: 'S001' })).body.share.id as string;
  const noStore = await app.api.get(`/api/v1/shares/${sid}`);
  t.is(noStore.status, 400);
  t.is(noStore.body.error.code, 'STORE_REQUIRED');
});

test('attribution through a shared deal: visits, and only joiners the group admitted count as joins (50 racing for 2 seats)', async (t) => {
  const { app } = await startGroupApp(t);
  const [leader, ...friends] = await customers(app, 'a', 51);
  const { groupId } = await openPaidGroup(app, leader, 'D002'); // a group of 3: 2 seats left
  const share = (await app.api.post('/api/v1/shares').set('Authorization', leader.auth).send({ targetType: 'deal', targetId: 'D002', storeId: 'S001' })).body.share;

  // Two friends open the link (visits), then all 50 race to join naming the share.
  for (const f of friends.slice(0, 2)) t.true((await app.api.post(`/api/v1/shares/${share.id}/visit`).set('Authorization', f.auth).send({})).body.firstVisit);
  const results = await Promise.all(friends.map((f) => join(app, f, groupId, { shareId: share.id })));
  const admitted = results.filter((r) => r.status === 201);
  t.is(admitted.length, 2);
  t.true(results.every((r) => r.status === 201 || r.status === 409), 'losers are told the group is full');
  for (const r of admitted) await pay(app, orderIdOf(r));

  const funnel = (await app.api.get('/api/v1/admin/funnel').query({ dealId: 'D002' }).set('Authorization', await adminAuth(app))).body;
  t.is(funnel.totals.shares, 1);
  t.is(funnel.totals.joins, 2, 'only admitted joiners are joins');
  t.is(funnel.totals.paid, 2);
  t.true(funnel.totals.visits >= 2 && funnel.totals.visits <= 4, `the two visitors, plus an admitted joiner recorded at its join (${funnel.totals.visits})`);
  const refusedVisits = await app.core.m.ShareVisit.countDocuments({ shareId: share.id, visitorId: { $nin: [...friends.slice(0, 2).map((f) => f.id), ...(await Promise.all(admitted.map(async (r) => (await app.core.services.order.mustGet(orderIdOf(r))).userId)))] } });
  t.is(refusedVisits, 0, 'a joiner the group refused leaves no trace in the funnel');
  for (const r of admitted) t.is((await app.core.services.order.mustGet(orderIdOf(r))).shareId, share.id);
});

test('the deal page: the deal, its group price against this store\'s shelf price, open groups with leaders, and the viewer\'s share card', async (t) => {
  const { app } = await startGroupApp(t);
  const [leader, viewer] = await customers(app, 'd', 2);
  const { productId, elsewhere } = await dealAt(app, 'D002');
  const { groupId } = await openPaidGroup(app, leader, 'D002');

  const anon = await app.api.get('/api/v1/deals/D002/page').query({ storeId: 'S001' });
  t.is(anon.status, 200);
  const shelf = (await app.api.get(`/api/v1/products/${productId}`).query({ storeId: 'S001' })).body.product;
  t.is(anon.body.product.id, productId);
  t.is(anon.body.prices.shelfPriceCents, shelf.priceCents);
  t.is(anon.body.prices.memberPriceCents, shelf.memberPriceCents);
  t.is(anon.body.prices.groupPriceCents, anon.body.deal.groupPriceCents);
  t.is(anon.body.prices.savingCents, Math.max(0, shelf.priceCents - anon.body.deal.groupPriceCents));
  t.is(anon.body.state, 'open');
  t.is(anon.body.store.id, 'S001');
  t.deepEqual(anon.body.groups.map((g: { id: string; leader: { nickname: string }; seatsLeft: number }) => [g.id, g.leader.nickname, g.seatsLeft]), [[groupId, 'd0号', 2]]);
  t.is(anon.body.share.shareId, null);
  t.is(anon.body.share.path, '/pages/deal/index?id=D002&storeId=S001');

  const mine = await app.api.get('/api/v1/deals/D002/page').query({ storeId: 'S001' }).set('Authorization', viewer.auth);
  t.regex(mine.body.share.path, new RegExp(`^/pages/deal/index\\?id=D002&shareId=${mine.body.share.shareId}&storeId=S001$`));

  const notHere = await app.api.get('/api/v1/deals/D002/page').query({ storeId: elsewhere });
  t.is(notHere.status, 404);
  t.is(notHere.body.error.code, 'DEAL_NOT_AT_STORE');
  t.is((await app.api.get('/api/v1/deals/D002/page')).body.error.code, 'VALIDATION_FAILED');
  t.is((await app.api.get('/api/v1/deals/D999/page').query({ storeId: 'S001' })).body.error.code, 'DEAL_NOT_FOUND');
  t.is((await app.api.get('/api/v1/deals/xx/page').query({ storeId: 'S001' })).status, 400);
});

test('the poster is a 750×1200 PNG whose QR code decodes back to the share link; bad ids are 4xx with a code', async (t) => {
  // Behind the h5 server's proxy, which is trusted to say the origin (X-Forwarded-Host/Proto).
  const { app } = await startGroupApp(t, { TRUSTED_PROXIES: '1' });
  const [ann] = await customers(app, 'p', 1);
  const share = (await app.api.post('/api/v1/shares').set('Authorization', ann.auth).send({ targetType: 'deal', targetId: 'D001', storeId: 'S001' })).body.share;

  // Without SHARE_LINK_BASE the link is on the origin the request came through (the h5 server's proxy says which).
  const res = await app.api.get(`/api/v1${share.posterUrl}`).set('X-Forwarded-Host', 'h5.linli.test').set('X-Forwarded-Proto', 'https');
  t.is(res.status, 200);
  t.is(res.headers['content-type'], 'image/png');
  t.is(res.headers['x-poster-code'], 'link');
  const png = scan(res.body as Buffer);
  t.deepEqual([png.width, png.height], [POSTER_SIZE.width, POSTER_SIZE.height]);
  t.is(png.text, `https://h5.linli.test/#/pages/deal/index?id=D001&shareId=${share.id}&storeId=S001`);

  // The same poster again is served from memory and revalidates.
  const again = await app.api.get(`/api/v1${share.posterUrl}`).set('X-Forwarded-Host', 'h5.linli.test').set('X-Forwarded-Proto', 'https').set('If-None-Match', res.headers.etag);
  t.is(again.status, 304);

  for (const [path, status, code] of [
    ['/shares/nope/poster?storeId=S001', 400, 'VALIDATION_FAILED'],
    ['/shares/sh_AAAAAAAAAAAAAAAAAAAAAA/poster?storeId=S001', 404, 'SHARE_NOT_FOUND'],
    [`/shares/${share.id}/poster`, 400, 'STORE_REQUIRED'],
    [`/shares/${share.id}/poster?storeId=S001&code=gif`, 400, 'VALIDATION_FAILED'],
    [`/shares/${share.id}/poster?storeId=S999`, 404, 'DEAL_NOT_AT_STORE'],
  ] as const) {
    const bad = await app.api.get(`/api/v1${path}`);
    t.is(bad.status, status, path);
    t.is(bad.body.error.code, code, path);
  }
});

test('with SHARE_LINK_BASE the poster links there; a product poster shows a product link', async (t) => {
  const app = await startTestApp(t, { seed: true, env: { SHARE_LINK_BASE: 'https://m.linli.example' } });
  const [ann] = await customers(app, 'q', 1);
  const share = (await app.api.post('/api/v1/shares').set('Authorization', ann.auth).send({ targetType: 'product', targetId: 'P0001', storeId: 'S002' })).body.share;
  const res = await app.api.get(`/api/v1${share.posterUrl}`);
  t.is(res.status, 200);
  t.is(scan(res.body as Buffer).text, `https://m.linli.example/#/pages/product/index?id=P0001&shareId=${share.id}&storeId=S002`);
});

test('code=wxacode draws the host\'s mini-program code: its scene names the share and store; without the host the poster falls back to the link', async (t) => {
  const mock = await startMockHost(t);
  const app = await startTestApp(t, { seed: true, env: { MOCK_HOST_URL: mock.url, SHARE_LINK_BASE: 'https://m.linli.example' } });
  const [ann] = await customers(app, 'w', 1);
  const share = (await app.api.post('/api/v1/shares').set('Authorization', ann.auth).send({ targetType: 'product', targetId: 'P0010', storeId: 'S001' })).body.share;

  const res = await app.api.get(`/api/v1${share.posterUrl}&code=wxacode`);
  t.is(res.status, 200);
  t.is(res.headers['x-poster-code'], 'wxacode');
  const made = mock.host.parts.wxacode.made;
  t.is(made.length, 1);
  t.true(made[0].scene.length <= 32);
  t.is(made[0].page, 'pages/share/index');
  t.deepEqual(parseScene(made[0].scene), { shareId: share.id, storeId: 'S001' });
  const png = scan(res.body as Buffer);
  t.deepEqual([png.width, png.height], [750, 1200]);
  t.is(png.text, `wxacode:pages/share/index?scene=${encodeURIComponent(made[0].scene)}`);

  // The landing page resolves the scene to the same link.
  const resolved = await app.api.get(`/api/v1/shares/${parseScene(made[0].scene)!.shareId}`).query({ storeId: 'S001' });
  t.is(resolved.body.share.path, share.path);

  // A host that does not answer: the poster still opens the share, by its link.
  const down = await startTestApp(t, { seed: true, env: { MOCK_HOST_URL: 'http://127.0.0.1:9', SHARE_LINK_BASE: 'https://m.linli.example' } });
  const [bo] = await customers(down, 'x', 1);
  const s2 = (await down.api.post('/api/v1/shares').set('Authorization', bo.auth).send({ targetType: 'product', targetId: 'P0010', storeId: 'S001' })).body.share;
  const fallback = await down.api.get(`/api/v1${s2.posterUrl}&code=wxacode`);
  t.is(fallback.status, 200);
  t.is(fallback.headers['x-poster-code'], 'link');
  t.is(scan(fallback.body as Buffer).text, `https://m.linli.example/#${s2.path}`);
});
