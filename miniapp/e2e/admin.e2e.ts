// The operator console (issue 15) in a real browser over the real stack. The operator creates a deal
// and a clerk invite on the console's screens; a brand-new account redeems the invite and becomes a
// clerk of S001; a scripted share story runs on the new deal (1 share, 3 visits, 2 joins, 2 paid,
// 1 collected by the new clerk), and the console's funnel chart, drawn by AntV F2 on a canvas, shows
// those numbers. Then the other screens: bulk stock, stores and hours, coupons, the audit.
import { randomBytes } from 'node:crypto';
import test from 'ava';
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { byId, E2ESuite, phone, shot, T, typeInto } from './browser.js';

const suite = new E2ESuite(test, 'admin');
const api = () => `${suite.stack.bffUrl}/api/v1`;

async function ok<R>(method: string, url: string, auth?: string, body?: unknown, headers: Record<string, string> = {}): Promise<R> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as R;
}

/** Records every text drawn on a canvas of the page (by the canvas' canvas-id), before the app loads. */
async function recordCanvasText(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const drawn: Record<string, string[]> = {};
    (window as unknown as { __drawn: typeof drawn }).__drawn = drawn;
    const fill = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (this: CanvasRenderingContext2D, text: string, x: number, y: number, w?: number) {
      const id = (this.canvas as HTMLCanvasElement).getAttribute?.('canvas-id') ?? '';
      (drawn[id] ??= []).push(String(text));
      return w === undefined ? fill.call(this, text, x, y) : fill.call(this, text, x, y, w);
    };
  });
}
const drawnOn = (page: Page, canvasId: string) => page.evaluate((id) => (window as unknown as { __drawn: Record<string, string[]> }).__drawn[id] ?? [], canvasId);

/** How many pixels of a canvas are painted (not transparent). */
const paintedPixels = (page: Page, canvasId: string) =>
  page.evaluate((id) => {
    const c = document.querySelector(`canvas[canvas-id="${id}"]`) as HTMLCanvasElement | null;
    if (!c) return -1;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  }, canvasId);

/** Waits until the BFF shows an order in a status matching `until`. */
async function waitStatus(auth: string, orderId: string, until: RegExp): Promise<{ status: string; voucher?: { shortCode: string } | null }> {
  for (let i = 0; i < 200; i++) {
    const { order } = await ok<{ order: { status: string; voucher?: { shortCode: string } | null } }>('GET', `${api()}/orders/${orderId}`, auth);
    if (until.test(order.status)) return order;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`order ${orderId} never reached ${until}`);
}

/** Pays an order's prepay on the mock host and waits until the BFF has applied it. */
async function pay(auth: string, orderId: string, prepayId: string): Promise<void> {
  await ok('POST', `${suite.stack.mockUrl}/dev/pay/confirm`, undefined, { prepayId });
  await waitStatus(auth, orderId, /^(?!pending_payment$)/);
}

let dealId = '';
let dealTitle = '';

test.serial('the operator creates a deal and an invite on the console; a new account becomes clerk; the funnel chart shows the share story', async (t) => {
  const admin = await phone(suite.browser);
  const page = await admin.newPage();
  await recordCanvasText(page);
  await page.goto(suite.h5('/pages/login/index?redirect=%2Fpages%2Fmember%2Findex'));
  await byId(page, 'login-demo-admin').click();
  await byId(page, 'admin-entry').click();
  await byId(page, 'go-deals').waitFor({ timeout: T });

  // A customer is turned away from the console.
  const shopper = await suite.loginAs('demo-bob', '/admin/home/index');
  await byId(shopper, 'not-admin').waitFor({ timeout: T });
  await shopper.close();

  // Deals → 新建: a form error in Chinese first, then the deal.
  await byId(page, 'go-deals').click();
  await byId(page, 'new-deal').click();
  await byId(page, 'deal-form').waitFor({ timeout: T });
  await byId(page, 'save-deal').click();
  await byId(page, 'deal-error').getByText('请填写活动名称').waitFor({ timeout: T });
  dealTitle = `后台新团 ${randomBytes(2).toString('hex')}`;
  await typeInto(page, 'deal-title', dealTitle);
  await typeInto(page, 'deal-productId', 'P0004');
  await byId(page, 'deal-store-S001').click();
  await typeInto(page, 'deal-groupSize', '3');
  await typeInto(page, 'deal-groupPrice', '19.9');
  await typeInto(page, 'deal-soloPrice', '9.9');
  await typeInto(page, 'deal-stockCap', '30');
  await byId(page, 'save-deal').click();
  // The BFF refuses a group price above the solo price; the form names the field.
  await byId(page, 'deal-error').getByText('请检查：拼团价').waitFor({ timeout: T });
  await typeInto(page, 'deal-soloPrice', '29.9');
  await shot(page, 'admin-deal-edit');
  await byId(page, 'save-deal').click();
  const row = byId(page, 'deal-row').filter({ hasText: dealTitle });
  await row.waitFor({ timeout: T });
  dealId = (await row.getAttribute('data-deal'))!;
  t.regex(dealId, /^D[0-9A-F]{12}$/);
  t.regex(await row.innerText(), /3 人团 ¥19\.90（单买 ¥29\.90）· 已售 0\/30/);
  t.is(await row.locator('[data-testid="deal-state"]').innerText(), '进行中');
  await shot(page, 'admin-deals');
  const deal = await suite.api<{ deal: { groupPriceCents: number; soloPriceCents: number; storeIds: string[]; groupSize: number } }>(`/deals/${dealId}`);
  t.like(deal.deal, { groupPriceCents: 1990, soloPriceCents: 2990, storeIds: ['S001'], groupSize: 3 });

  // Invites: one for S001, shown with a QR that scans to its code.
  await page.goto(suite.h5('/admin/invites/index'));
  await byId(page, 'store-S001').click();
  await byId(page, 'create-invite').click();
  const invite = byId(page, 'invite-row').first();
  await invite.locator('[data-testid="invite-qr"]').waitFor({ timeout: T });
  const code = (await invite.getAttribute('data-code'))!;
  t.regex(code, /^[A-HJ-NP-Z2-9]{10}$/);
  const src = await invite.locator('[data-testid="invite-qr"] img').getAttribute('src');
  const png = PNG.sync.read(Buffer.from(src!.replace(/^data:image\/png;base64,/, ''), 'base64'));
  t.is(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data, code, 'the QR is the invite code');
  await shot(page, 'admin-invites');

  // A brand-new account redeems it on the invite page and becomes clerk of S001.
  const openid = `e2e-admin-clerk-${randomBytes(4).toString('hex')}`;
  const session = await suite.apiLogin(openid);
  const clerkCtx = await phone(suite.browser);
  await clerkCtx.addInitScript((value) => {
    if (!localStorage.getItem('linli.session')) localStorage.setItem('linli.session', value);
  }, JSON.stringify({ data: JSON.stringify({ tokens: { accessToken: session.accessToken, refreshToken: session.refreshToken }, user: session.user, openid }) }));
  const clerkPage = await clerkCtx.newPage();
  await clerkPage.goto(suite.h5(`/clerk/invite/index?code=${code}`));
  await byId(clerkPage, 'invite-redeem').click();
  await byId(clerkPage, 'invite-ok').waitFor({ timeout: T });
  const clerkToken = await clerkPage.evaluate(() => (JSON.parse(JSON.parse(localStorage.getItem('linli.session')!).data) as { tokens: { accessToken: string } }).tokens.accessToken);
  const clerk = `Bearer ${clerkToken}`;
  const me = await ok<{ user: { roles: string[]; clerkStoreIds: string[] } }>('GET', `${api()}/me`, clerk);
  t.true(me.user.roles.includes('clerk'));
  t.deepEqual(me.user.clerkStoreIds, ['S001']);
  await page.reload();
  await byId(page, 'invite-row').filter({ hasText: '已使用' }).first().waitFor({ timeout: T });

  // The share story on the new deal: Alice opens and pays, shares once; Bob, Carol and Dave visit;
  // Bob and Carol join from the share and pay (the group of 3 fills); the new clerk hands Bob his order.
  const [alice, bob, carol, dave] = await Promise.all(['demo-alice', 'demo-bob', 'demo-carol', `e2e-dave-${randomBytes(3).toString('hex')}`].map((o) => suite.bearer(o)));
  const opened = await ok<{ groupId: string; order: { id: string }; payment: { prepayId: string } }>('POST', `${api()}/groups`, alice, { dealId, storeId: 'S001' }, { 'Idempotency-Key': `e2e-${randomBytes(6).toString('hex')}` });
  await pay(alice, opened.order.id, opened.payment.prepayId);
  const { share } = await ok<{ share: { id: string } }>('POST', `${api()}/shares`, alice, { targetType: 'group', targetId: opened.groupId, storeId: 'S001' });
  for (const who of [bob, carol, dave]) await ok('POST', `${api()}/shares/${share.id}/visit`, who);
  const joins = [];
  for (const who of [bob, carol]) {
    const j = await ok<{ order: { id: string }; payment: { prepayId: string } }>('POST', `${api()}/groups/${opened.groupId}/join`, who, { shareId: share.id });
    joins.push({ who, ...j });
  }
  for (const j of joins) await pay(j.who, j.order.id, j.payment.prepayId);
  const bobs = await waitStatus(bob, joins[0].order.id, /^awaiting_pickup$/);
  t.truthy(bobs.voucher, 'the group filled: Bob has his voucher');
  await ok('POST', `${api()}/clerk/vouchers/redeem`, clerk, { code: bobs.voucher!.shortCode });

  // The console: the funnel of this deal.
  const expected = { shares: 1, visits: 3, joins: 2, paid: 2, pickedUp: 1 };
  const funnel = await ok<{ totals: typeof expected }>('GET', `${api()}/admin/funnel?dealId=${dealId}`, await suite.bearer('demo-admin'));
  t.deepEqual(funnel.totals, expected, 'the BFF counted the story');
  await page.goto(suite.h5(`/admin/home/index?dealId=${dealId}`));
  const caption = byId(page, 'funnel-caption');
  await caption.waitFor({ timeout: T });
  t.is(await caption.innerText(), '分享 1 → 访问 3 → 参团 2 → 支付 2 → 核销 1');
  // What F2 drew on the funnel's canvas: each stage's name, then the count written on its band.
  const stages = ['分享', '访问', '参团', '支付', '核销'];
  let pairs: Record<string, string> = {};
  for (let i = 0; i < 100 && Object.keys(pairs).length < 5; i++) {
    const drawn = await drawnOn(page, 'funnel-chart');
    pairs = {};
    drawn.forEach((s, k) => {
      if (stages.includes(s) && /^\d+$/.test(drawn[k + 1] ?? '')) pairs[s] = drawn[k + 1];
    });
    if (Object.keys(pairs).length < 5) await page.waitForTimeout(100);
  }
  t.deepEqual(pairs, { 分享: '1', 访问: '3', 参团: '2', 支付: '2', 核销: '1' }, `drawn: ${(await drawnOn(page, 'funnel-chart')).join(' ')}`);
  t.true((await paintedPixels(page, 'funnel-chart')) > 5_000, 'the funnel bands are painted');
  // Sales per store per day and the group success rate are drawn too (the new deal's group filled: 100%).
  await byId(page, 'group-rate-caption').getByText(`${dealTitle}：成团 1，失败 0，进行中 0`).waitFor({ timeout: T });
  for (let i = 0; i < 100 && !(await drawnOn(page, 'group-chart')).includes('100%'); i++) await page.waitForTimeout(100);
  t.true((await drawnOn(page, 'group-chart')).includes('100%'), (await drawnOn(page, 'group-chart')).join(' '));
  t.true((await paintedPixels(page, 'sales-chart')) > 2_000, 'the sales chart is painted');
  t.true((await drawnOn(page, 'sales-chart')).some((s) => /南京|S001|店/.test(s)), (await drawnOn(page, 'sales-chart')).join(' '));
  await shot(page, 'admin-home', { fullPage: true });
  await byId(page, 'metric-orders').click();
  await page.waitForTimeout(300);
  t.true((await paintedPixels(page, 'sales-chart')) > 1_000);

  // The deal's groups: one, filled.
  await page.goto(suite.h5(`/admin/deal-groups/index?id=${dealId}`));
  await byId(page, 'group-row').filter({ hasText: '已成团' }).waitFor({ timeout: T });
  t.is(await byId(page, 'group-row').count(), 1);
  await shot(page, 'admin-deal-groups');
  await clerkCtx.close();
  await admin.close();
});

test.serial('the operator edits stock in bulk, store hours and coupons, and finds every action in the audit', async (t) => {
  const page = await suite.loginAs('demo-admin', '/admin/products/index');
  const adminAuth = await suite.bearer('demo-admin');
  const stockOf = async (productId: string) =>
    (await ok<{ items: { productId: string; inventory: { stock: number } | null }[] }>('GET', `${api()}/admin/inventory?storeId=S002`, adminAuth)).items.find((i) => i.productId === productId)!.inventory!.stock;

  // The chain's stores are many: a filter narrows the chips (the chosen store stays listed).
  await byId(page, 'store-S001').waitFor({ timeout: T });
  const allChips = await byId(page, 'store-chips').locator('[data-testid^="store-S"]').count();
  t.true(allChips > 8, `${allChips} stores`);
  await typeInto(page, 'store-filter', 'S002');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="store-chips"] [data-testid^="store-S"]').length === 2);
  await typeInto(page, 'store-filter', '没有这家店');
  await byId(page, 'store-chips').getByText('没有其他符合“没有这家店”的门店').waitFor({ timeout: T });
  await typeInto(page, 'store-filter', 'S002');
  // Bulk stock at S002: +7 on one product, an impossible −1,000,000 on another, garbage on a third.
  await byId(page, 'store-S002').click();
  await byId(page, 'inventory-row').first().waitFor({ timeout: T });
  const rows = byId(page, 'inventory-row');
  const [p1, p2, p3] = await Promise.all([0, 1, 2].map((i) => rows.nth(i).getAttribute('data-product')));
  const before1 = await stockOf(p1!);
  const before2 = await stockOf(p2!);
  await rows.nth(0).locator('[data-testid="stock-delta"] input').fill('+7');
  await rows.nth(1).locator('[data-testid="stock-delta"] input').fill('-1000000');
  await rows.nth(2).locator('[data-testid="stock-delta"] input').fill('abc');
  await byId(page, 'save-stock').click();
  await byId(page, 'stock-result').first().waitFor({ timeout: T });
  await rows.nth(0).locator('[data-testid="stock-result"]').getByText(`✓ 库存 ${before1 + 7}`).waitFor({ timeout: T });
  await rows.nth(1).locator('[data-testid="stock-result"]').getByText('库存不够减，调整后会变成负数').waitFor({ timeout: T });
  await rows.nth(2).locator('[data-testid="stock-result"]').getByText('请填 +10 或 -3 这样的整数').waitFor({ timeout: T });
  t.is(await stockOf(p1!), before1 + 7);
  t.is(await stockOf(p2!), before2, 'a refused line changes nothing');
  t.truthy(p3);
  await shot(page, 'admin-products');

  // A price edit at S002: member price above the price is refused with the reason; then saved.
  await rows.nth(0).locator('.admin__grow').first().click();
  await typeInto(page, 'edit-price', '8.8');
  await typeInto(page, 'edit-member-price', '9.9');
  await byId(page, 'save-price').click();
  await byId(page, 'price-editor').getByText('会员价不能高于售价').waitFor({ timeout: T });
  await typeInto(page, 'edit-member-price', '8.5');
  await shot(page, 'admin-product-price');
  await byId(page, 'save-price').click();
  await rows.nth(0).getByText('¥8.80 · 会员 ¥8.50').waitFor({ timeout: T });

  // Stores: a malformed opening time is refused on screen; a good one is saved and shown to shoppers.
  await page.goto(suite.h5('/admin/stores/index'));
  const card = page.locator('[data-testid="store-card"][data-store="S002"]:visible');
  await card.waitFor({ timeout: T });
  await card.locator('[data-testid="store-hours"] input').fill('8点到22点');
  await card.locator('[data-testid="store-save"]').click();
  await card.getByText('营业时间格式为 08:00-22:00').waitFor({ timeout: T });
  await card.locator('[data-testid="store-hours"] input').fill('07:30-21:30');
  await card.locator('[data-testid="store-save"]').click();
  for (let i = 0; i < 50; i++) {
    const s = await suite.api<{ store: { openHours: string } }>('/stores/S002');
    if (s.store.openHours === '07:30-21:30') break;
    await page.waitForTimeout(100);
  }
  t.is((await suite.api<{ store: { openHours: string } }>('/stores/S002')).store.openHours, '07:30-21:30');
  await shot(page, 'admin-stores');

  // Coupons: a 满减 coupon made on the console is in the list and in the shoppers' claim centre.
  await page.goto(suite.h5('/admin/promotions/index'));
  const title = `后台券 ${randomBytes(2).toString('hex')}`;
  await typeInto(page, 'coupon-title', title);
  await typeInto(page, 'coupon-min', '30');
  await typeInto(page, 'coupon-off', '40');
  await byId(page, 'coupon-save').click();
  await byId(page, 'coupon-error').getByText(/请检查：使用门槛/).waitFor({ timeout: T });
  await typeInto(page, 'coupon-off', '5');
  await byId(page, 'coupon-save').click();
  await byId(page, 'coupon-row').filter({ hasText: title }).getByText('满 ¥30.00 减 ¥5.00').waitFor({ timeout: T });
  const centre = await ok<{ templates: { title: string }[] }>('GET', `${api()}/coupons/centre?storeId=S001`, await suite.bearer('demo-alice'));
  t.true(centre.templates.some((c) => c.title === title));
  await shot(page, 'admin-promotions');
  await byId(page, 'tab-offers').click();
  await typeInto(page, 'offer-title', '满 59 减 6');
  await typeInto(page, 'offer-threshold', '59');
  await typeInto(page, 'offer-off', '6');
  await byId(page, 'offer-save').click();
  await byId(page, 'offer-row').filter({ hasText: '满 59 减 6' }).first().waitFor({ timeout: T });
  await shot(page, 'admin-offers');

  // The audit: every one of those actions, by the operator, with its outcome.
  await page.goto(suite.h5('/admin/audit/index'));
  await byId(page, 'admin-audit-row').first().waitFor({ timeout: T });
  const audit = (await byId(page, 'admin-audit-row').allInnerTexts()).join('\n');
  for (const what of ['批量调库存', '改价/上下架', '修改门店', '新建优惠券', '新建满减']) t.regex(audit, new RegExp(what), audit);
  t.regex(audit, /会员价不能高于售价/, 'the refused price edit is audited with its reason');
  await shot(page, 'admin-audit');
});
