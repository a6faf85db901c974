// Promotions (issue 14) in a real browser over the real stack: a new member's coupon, the claim
// centre, the confirm page's coupon picker and points, and the wallet charging the previewed amount.
import test from 'ava';
import { byId, E2ESuite, phone, shot, T } from './browser.js';

const suite = new E2ESuite(test, 'promotions');
const h5 = (hashPath: string) => suite.h5(hashPath);

async function json<T>(url: string, body?: unknown, auth?: string): Promise<T> {
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
const apiLogin = (openid: string) => suite.bearer(openid);

test.serial('a new member binds a phone, gets the new-member coupon, claims one more, and buys with the best coupon and points: the wallet charges the previewed amount', async (t) => {
  const admin = await apiLogin('demo-admin');
  const api = `${suite.stack.bffUrl}/api/v1`;
  await json(`${api}/admin/coupons`, { title: '新人立减3元', kind: 'cash', offCents: 300, total: 1000, validDays: 7, newMember: true }, admin);
  await json(`${api}/admin/coupons`, { title: '满5减0.5', kind: 'threshold', minSpendCents: 500, offCents: 50, total: 100, validDays: 7 }, admin);

  // Bob has no card: he binds a phone on the member page.
  const ctx = await phone(suite.browser);
  const page = await ctx.newPage();
  await page.goto(h5(`/pages/login/index?redirect=${encodeURIComponent('/pages/member/index')}`));
  await byId(page, 'login-demo-bob').click();
  await page.waitForURL((u) => !u.hash.includes('pages/login'), { timeout: T });
  await byId(page, 'bind').waitFor({ timeout: T });
  await byId(page, 'phone-input').locator('input').fill('13900000077');
  await byId(page, 'bind-phone').click();
  await byId(page, 'member-card').waitFor({ timeout: T });

  // The till credits him 200 points (so he has points to spend).
  const clerk = await apiLogin('demo-clerk');
  const bob = await apiLogin('demo-bob');
  const { code: memberCode } = await json<{ code: string }>(`${api}/member/code`, undefined, bob);
  // The till previews the receipt, then credits exactly what it previewed (issue 18, hole 4).
  const scan = { storeId: 'S001', receiptNo: 'R-PROMO-1', amount: 20000 };
  const { confirmToken } = await json<{ confirmToken: string }>(`${api}/clerk/members/scan/preview`, { ...scan, memberCode }, clerk);
  await json(`${api}/clerk/members/scan`, { ...scan, confirmToken }, clerk);

  // 我的优惠券: the new-member coupon is there.
  await byId(page, 'coupons-link').click();
  await byId(page, 'coupon').filter({ hasText: '新人立减3元' }).waitFor({ timeout: T });
  await shot(page, 'coupons-mine');
  // 领券中心: claim the 满减 coupon once.
  await byId(page, 'tab-centre').click();
  await byId(page, 'centre-coupon').filter({ hasText: '满5减0.5' }).waitFor({ timeout: T });
  await byId(page, 'claim').first().click();
  await byId(page, 'centre-coupon').filter({ hasText: '已领取' }).waitFor({ timeout: T });
  await shot(page, 'coupons-centre');

  // Buy the first product alone: the best coupon (3 元) is preselected; he turns points on.
  await page.goto(h5('/pages/home/index'));
  await byId(page, 'product-card').first().click();
  await page.waitForURL(/pages\/product\/index/, { timeout: T });
  await byId(page, 'buy-alone').click();
  await byId(page, 'coupon-chosen').filter({ hasText: '新人立减3元' }).waitFor({ timeout: T });
  await byId(page, 'use-points').click();
  await byId(page, 'adjustment').filter({ hasText: '积分抵扣' }).waitFor({ timeout: T });
  // The picker lists both coupons and can change the choice.
  await byId(page, 'coupon-row').click();
  t.is(await byId(page, 'pick-coupon').count(), 2);
  await shot(page, 'confirm-coupon-picker');
  await byId(page, 'pick-coupon').filter({ hasText: '新人立减3元' }).click();
  await byId(page, 'adjustment').filter({ hasText: '新人立减3元' }).waitFor({ timeout: T });
  await byId(page, 'adjustment').filter({ hasText: '积分抵扣' }).waitFor({ timeout: T });
  const total = (await byId(page, 'confirm-total').innerText()).trim();
  await shot(page, 'confirm-coupon-points');

  await byId(page, 'pay').click();
  await page.waitForURL(/\/dev\/wallet/, { timeout: T });
  const charged = (await page.locator('.amount').innerText()).trim();
  t.is(charged.replace(/[¥\s]/g, ''), total.replace(/[¥\s]/g, ''), 'the wallet charges what the confirm page showed');
  await page.locator('#pay').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/dev/'), { timeout: T });
  await byId(page, 'voucher-code').waitFor({ timeout: T });

  // The coupon is used now.
  const used = await json<{ coupons: { title: string }[] }>(`${api}/coupons/mine?status=used`, undefined, bob);
  t.deepEqual(used.coupons.map((c) => c.title), ['新人立减3元']);
});
