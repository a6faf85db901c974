// The clerk workspace (issue 15) in a real browser over the real stack: the operator makes a deal and
// a clerk invite (through the admin API: the operator console has no screens yet), a brand-new
// account redeems the invite on the invite page and becomes clerk of S001, previews and redeems a
// customer's voucher, and finds it in the audit and in today's summary; S002 is out of its reach.
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { byId, E2ESuite, phone, shot, T, typeInto } from './browser.js';

const suite = new E2ESuite(test, 'clerk');
const h5 = (hashPath: string) => suite.h5(hashPath);
const api = () => `${suite.stack.bffUrl}/api/v1`;

async function call<T>(method: string, url: string, auth?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as T };
}
async function ok<T>(method: string, url: string, auth?: string, body?: unknown): Promise<T> {
  const r = await call<T>(method, url, auth, body);
  if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const login = (openid: string) => suite.apiLogin(openid);

/** A customer's paid pickup order at a store, and its 12-digit voucher code. */
async function paidOrder(openid: string, storeId: string): Promise<{ id: string; code: string }> {
  const auth = `Bearer ${(await login(openid)).accessToken}`;
  const placed = await ok<{ order: { id: string }; payment: { prepayId: string } }>('POST', `${api()}/orders`, auth, { storeId, items: [{ productId: 'P0002', qty: 1 }] });
  await ok('POST', `${suite.stack.mockUrl}/dev/pay/confirm`, undefined, { prepayId: placed.payment.prepayId });
  for (let i = 0; i < 200; i++) {
    const { order } = await ok<{ order: { status: string; voucher?: { shortCode: string } | null } }>('GET', `${api()}/orders/${placed.order.id}`, auth);
    if (order.status === 'awaiting_pickup' && order.voucher) return { id: placed.order.id, code: order.voucher.shortCode };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`order ${placed.order.id} never became awaiting_pickup`);
}

test.serial('a new account redeems an invite and becomes clerk of S001: it previews and redeems a voucher, sees it in the audit and today, and cannot act on S002', async (t) => {
  // The operator: a deal at S001 and a clerk invite for S001.
  const admin = `Bearer ${(await login('demo-admin')).accessToken}`;
  const now = Date.now();
  const { deal } = await ok<{ deal: { id: string; title: string } }>('POST', `${api()}/admin/deals`, admin, {
    productId: 'P0003',
    storeIds: ['S001'],
    title: '店长新开团 三人团',
    groupSize: 3,
    groupPriceCents: 990,
    soloPriceCents: 1590,
    durationMinutes: 60,
    stockCap: 30,
    startAt: new Date(now - 60_000).toISOString(),
    endAt: new Date(now + 7 * 24 * 3600_000).toISOString(),
  });
  const invite = await ok<{ code: string; storeId: string }>('POST', `${api()}/admin/invites`, admin, { storeId: 'S001' });
  t.regex(invite.code, /^[A-Z2-9]{10}$/);

  // A shopper's paid order at S001 (what the new clerk will hand over), and one at S002.
  const mine = await paidOrder('demo-alice', 'S001');
  const foreign = await paidOrder('demo-bob', 'S002');

  // A brand-new account (never seen before) opens the invite link in the app, logged in.
  const openid = `e2e-newclerk-${randomBytes(4).toString('hex')}`;
  const session = await login(openid);
  const ctx = await phone(suite.browser);
  await ctx.addInitScript((value) => {
    if (!localStorage.getItem('linli.session')) localStorage.setItem('linli.session', value);
  }, JSON.stringify({ data: JSON.stringify({ tokens: { accessToken: session.accessToken, refreshToken: session.refreshToken }, user: session.user, openid }) }));
  const page = await ctx.newPage();

  // The new deal is on the home page of S001 for everyone.
  await page.goto(h5('/pages/home/index'));
  await byId(page, 'deal-card').filter({ hasText: deal.title }).waitFor({ timeout: T });

  // Before the invite the workspace refuses this account.
  const before = await call('GET', `${api()}/clerk/summary`, `Bearer ${session.accessToken}`);
  t.is(before.status, 403, 'not a clerk yet');

  await page.goto(h5(`/clerk/invite/index?code=${invite.code}`));
  await shot(page, 'clerk-invite');
  await byId(page, 'invite-redeem').click();
  await byId(page, 'invite-ok').waitFor({ timeout: T });
  t.regex(await byId(page, 'invite-ok').innerText(), /S001|南京东路/);
  await shot(page, 'clerk-invite-ok');
  // The invite is spent: another account cannot use it.
  const other = await login(`e2e-late-${randomBytes(4).toString('hex')}`);
  const reused = await call<{ error: { code: string } }>('POST', `${api()}/clerk/invites/${invite.code}/redeem`, `Bearer ${other.accessToken}`);
  t.true(reused.status >= 400 && reused.status < 500, `a spent invite is refused (${reused.status})`);

  // The desk: today's summary before the pickup.
  await byId(page, 'to-desk').click();
  await byId(page, 'sum-waiting').waitFor({ timeout: T });
  t.is(await byId(page, 'sum-collected').innerText(), '0');
  t.true(Number(await byId(page, 'sum-waiting').innerText()) >= 1);

  // Redeem: type the code, check the preview, confirm.
  await byId(page, 'go-redeem').click();
  await typeInto(page, 'voucher-input', mine.code);
  await byId(page, 'preview').click();
  await byId(page, 'redeem-preview').waitFor({ timeout: T });
  const preview = await byId(page, 'redeem-preview').innerText();
  t.regex(preview, /下单时间/);
  t.regex(preview, /顾客：\S+\*/, 'the customer is masked');
  await shot(page, 'clerk-redeem-preview');
  await byId(page, 'redeem').click();
  await byId(page, 'redeem-ok').waitFor({ timeout: T });
  await shot(page, 'clerk-redeemed');

  // An empty code and a malformed one get a message, not a request.
  await typeInto(page, 'voucher-input', '');
  await byId(page, 'preview').click();
  await byId(page, 'redeem-error').getByText('请输入或扫描提货码').waitFor({ timeout: T });
  await typeInto(page, 'voucher-input', '12345');
  await byId(page, 'preview').click();
  await byId(page, 'redeem-error').getByText('提货码应为 12 位数字').waitFor({ timeout: T });

  // S002's voucher: the preview says it is not this store's, and the order stays awaiting pickup.
  await typeInto(page, 'voucher-input', foreign.code);
  await byId(page, 'preview').click();
  await byId(page, 'redeem-wrong-store').waitFor({ timeout: T });
  await shot(page, 'clerk-wrong-store');

  // The audit shows the redeem (who, when, result) and the refused foreign code. Its first load fails
  // (no network): the page says so instead of "no records", and its retry loads them.
  await page.route('**/api/v1/clerk/audit*', (route) => route.abort());
  await page.goto(h5('/clerk/audit/index'));
  await byId(page, 'error').getByText('网络不给力').waitFor({ timeout: T });
  t.is(await byId(page, 'audit-row').count(), 0);
  t.is(await page.getByText('暂无核销记录').count(), 0);
  await page.unroute('**/api/v1/clerk/audit*');
  await byId(page, 'error').locator('.state__retry').click();
  await byId(page, 'audit-row').first().waitFor({ timeout: T });
  const rows = await byId(page, 'audit-row').allInnerTexts();
  t.true(rows.some((r) => /核销成功|已核销|redeemed/.test(r)), rows.join('\n'));
  t.true(rows.some((r) => /非本店|不是本店|wrong/.test(r)), rows.join('\n'));
  await shot(page, 'clerk-audit');

  // Today's summary counts the pickup.
  await page.goto(h5('/clerk/today/index'));
  await byId(page, 'sum-collected').filter({ hasText: /^1$/ }).waitFor({ timeout: T });
  await shot(page, 'clerk-today');

  // The clerk's own token cannot see or act on S002.
  const token = await page.evaluate(() => (JSON.parse(JSON.parse(localStorage.getItem('linli.session')!).data) as { tokens: { accessToken: string } }).tokens.accessToken);
  const clerk = `Bearer ${token}`;
  t.is((await call('GET', `${api()}/clerk/summary`, clerk)).status, 200);
  const seeS002 = await call<{ error: { code: string } }>('GET', `${api()}/clerk/summary?storeId=S002`, clerk);
  t.is(seeS002.status, 403, JSON.stringify(seeS002.body));
  const auditS002 = await call('GET', `${api()}/clerk/audit?storeId=S002`, clerk);
  t.is(auditS002.status, 403);
  const redeemS002 = await call<{ error: { code: string } }>('POST', `${api()}/clerk/vouchers/redeem`, clerk, { code: foreign.code });
  t.is(redeemS002.status, 403, JSON.stringify(redeemS002.body));
  const still = await ok<{ order: { status: string } }>('GET', `${api()}/orders/${foreign.id}`, `Bearer ${(await login('demo-bob')).accessToken}`);
  t.is(still.order.status, 'awaiting_pickup', "S002's order is untouched");
  const picked = await ok<{ order: { status: string } }>('GET', `${api()}/orders/${mine.id}`, `Bearer ${(await login('demo-alice')).accessToken}`);
  t.is(picked.order.status, 'picked_up');
});
