// After-sale, the store card and the dead ends of issue 13, in a real browser over the real suite.stack.
import test from 'ava';
import type { Page } from 'playwright-core';
import { byId, E2ESuite, payInWallet, phone, shot, shownPage, T } from './browser.js';
import { internal } from './stack.js';

const suite = new E2ESuite(test, 'aftersale');
const h5 = (hashPath: string) => suite.h5(hashPath);
const api = <R>(pathname: string) => suite.api<R>(pathname);
/** Minhang, about 16 km from store S001. */
const FAR_FROM_S001 = { latitude: 31.1128, longitude: 121.3817 };

const stockOf = async (productId: string) => (await api<{ product: { stock: number } }>(`/products/${productId}?storeId=S001`)).product.stock;
const dealTitle = (dealId: string) => suite.dealTitle(dealId);

const loginAs = (openid: string, from?: string) => suite.loginAs(openid, from);

/** Buys the n-th product of the home page alone, pays, and waits for the voucher. Answers the product and order ids. */
async function buyAlone(page: Page, nth = 0): Promise<{ productId: string; orderId: string }> {
  await page.goto(h5('/pages/home/index'));
  await byId(page, 'product-card').nth(nth).click();
  await page.waitForURL(/pages\/product\/index/, { timeout: T });
  const productId = new URL(page.url().replace('/#/', '/')).searchParams.get('id')!;
  await byId(page, 'buy-alone').click();
  await byId(page, 'pay').click();
  await payInWallet(page);
  await byId(page, 'voucher-code').waitFor({ timeout: T });
  const orderId = new URL(page.url().replace('/#/', '/')).searchParams.get('id')!;
  return { productId, orderId };
}

/** On the order page: 申请退款, picks the first reason chip, adds a note, submits. */
async function askRefund(page: Page, note: string): Promise<void> {
  await byId(page, 'ask-refund').click();
  await byId(page, 'refund-reason-choice').first().click();
  await byId(page, 'refund-reason-input').locator('input').fill(note);
  await byId(page, 'refund-reason-confirm').click();
  await byId(page, 'order-status').filter({ hasText: '退款审核中' }).waitFor({ timeout: T });
}

/** Opens a group on a deal from the home strip and pays; answers the share link. */
async function openGroup(page: Page, dealId: string): Promise<string> {
  await page.goto(h5('/pages/home/index'));
  await byId(page, 'deal-card').filter({ hasText: await dealTitle(dealId) }).click();
  await byId(page, 'open-group-bar').click();
  await byId(page, 'pay').click();
  await payInWallet(page);
  await byId(page, 'group-open').waitFor({ timeout: T });
  await byId(page, 'share').click();
  return (await byId(page, 'share-link').innerText()).trim();
}

test.serial('a refund asked by the shopper and approved by the clerk: stock back, the order 已退款; a refused one goes back to 待取货 with the store\'s words', async (t) => {
  const alice = await loginAs('demo-alice');
  const { productId } = await buyAlone(alice);
  const afterBuy = await stockOf(productId);

  // The order page shows where to collect, and the way to ask for a refund.
  await byId(alice, 'store-card').getByText('营业时间').waitFor({ timeout: T });
  t.regex(await byId(alice, 'store-card').innerText(), /南京东路/);
  await askRefund(alice, '临时出差');
  t.regex(await byId(alice, 'refund-state').innerText(), /退款审核中/);
  t.regex(await byId(alice, 'refund-note').innerText(), /临时出差/);
  t.is(await byId(alice, 'voucher').count(), 0, 'no voucher while the refund is reviewed');
  t.regex(await byId(alice, 'timeline').innerText(), /申请退款，等待商家审核[\s\S]*原因：.*临时出差/);
  await shot(alice, 'aftersale-01-refund-review');

  // The clerk sees the request with its reason and approves it.
  const clerk = await loginAs('demo-clerk', '/clerk/orders/index');
  await byId(clerk, 'go-refunds').click();
  const row = byId(clerk, 'clerk-refund').filter({ hasText: '临时出差' });
  await row.waitFor({ timeout: T });
  t.regex(await row.innerText(), /爱丽丝/);
  t.regex(await row.innerText(), /拒绝后恢复为「待取货」/);
  await byId(clerk, 'clerk-store').getByText('营业时间').waitFor({ timeout: T });
  await shot(clerk, 'aftersale-02-clerk-refunds');
  await row.locator('[data-testid="approve-refund"]').click();
  await clerk.locator('.taro-model__confirm:visible').click();
  await byId(clerk, 'refund-decided').waitFor({ timeout: T });
  t.regex(await byId(clerk, 'refund-decided').innerText(), /已同意退款/);
  await byId(clerk, 'empty').waitFor({ timeout: T });

  // Alice's page follows the order to refunded; the stock is back on the shelf once.
  await byId(alice, 'order-status').filter({ hasText: '已退款' }).waitFor({ timeout: 30_000 });
  t.regex(await byId(alice, 'refund-state').innerText(), /退款已到账/);
  t.regex(await byId(alice, 'timeline').innerText(), /商家同意退款/);
  t.is(await stockOf(productId), afterBuy + 1);
  t.is(await byId(alice, 'ask-refund').count(), 0);
  await shot(alice, 'aftersale-03-refunded');

  // A second order: the clerk refuses, saying why; the order is back to 待取货 with its voucher.
  const second = await buyAlone(alice);
  const afterSecond = await stockOf(second.productId);
  await askRefund(alice, '不想要了');
  await clerk.reload();
  const row2 = byId(clerk, 'clerk-refund').filter({ hasText: '不想要了' });
  await row2.locator('[data-testid="refuse-refund"]').click();
  await byId(clerk, 'refuse-reason-choice').first().click();
  await byId(clerk, 'refuse-reason-confirm').click();
  await byId(clerk, 'refund-decided').filter({ hasText: '已拒绝退款' }).waitFor({ timeout: T });
  await alice.reload();
  await byId(alice, 'order-status').filter({ hasText: '待取货' }).waitFor({ timeout: T });
  t.regex(await byId(alice, 'refund-state').innerText(), /商家拒绝了退款申请/);
  t.regex(await byId(alice, 'refund-note').innerText(), /商家说明：商品已为你备好/);
  await byId(alice, 'voucher-code').waitFor({ timeout: T });
  t.regex(await byId(alice, 'timeline').innerText(), /商家拒绝退款，订单恢复/);
  t.is(await stockOf(second.productId), afterSecond, 'a refused refund gives no stock back: the goods wait for pickup');
  await shot(alice, 'aftersale-04-refund-refused');
});

test.serial('a bad group id, a malformed one and an unknown page each say so in Chinese with a way home', async (t) => {
  const ctx = await phone(suite.browser);
  const page = await ctx.newPage();
  await page.goto(h5('/pages/group/index?id=g_doesnotexist000000000000'));
  await byId(page, 'not-found').waitFor({ timeout: T });
  t.regex(await byId(page, 'not-found').innerText(), /这个团不存在/);
  await shot(page, 'aftersale-05-group-not-found');
  await byId(page, 'go-home').click();
  await byId(page, 'product-card').first().waitFor({ timeout: T });

  // Same document, new hash: the earlier group page may still be in the DOM (sliding out, or kept in
  // the page stack) with the same message, so read the newest page's, which comes last.
  await page.goto(h5('/pages/group/index?id=nonsense'));
  await page.waitForURL(/id=nonsense/, { timeout: T });
  const message = byId(page, 'not-found').getByText(/链接有误/).last();
  await message.waitFor({ timeout: T });
  t.regex(await message.innerText(), /链接有误/);

  await page.goto(h5('/pages/product/index?id=P9999&storeId=S001'));
  await byId(page, 'not-found').getByText('这个商品不存在').waitFor({ timeout: T });

  const lost = await ctx.newPage();
  await lost.goto(h5('/pages/nowhere/index?x=1'));
  await byId(lost, 'page-not-found').waitFor({ timeout: T });
  t.regex(await byId(lost, 'page-not-found').innerText(), /页面不存在/);
  await shot(lost, 'aftersale-06-page-not-found');
  await byId(lost, 'go-home').click();
  await byId(lost, 'product-card').first().waitFor({ timeout: T });
});

test.serial('a join tapped while logged out goes on to the join confirm after login (far store warned), and a second group link in the same tab shows the second group', async (t) => {
  const carol = await loginAs('demo-carol');
  const linkA = await openGroup(carol, 'D001');
  await byId(carol, 'store-card').getByText('营业时间').waitFor({ timeout: T });
  await shot(carol, 'aftersale-07-group-store');
  const alice = await loginAs('demo-alice');
  const linkB = await openGroup(alice, 'D002');

  // Bob, 16 km away and logged out, opens Carol's link and taps join: after login he is on the confirm.
  const bobCtx = await suite.browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', geolocation: FAR_FROM_S001, permissions: ['geolocation'] });
  const bob = await bobCtx.newPage();
  await bob.goto(linkA);
  await byId(bob, 'join').click();
  await byId(bob, 'login-demo-bob').click();
  await byId(bob, 'pay').waitFor({ timeout: T });
  t.regex(bob.url(), /pages\/order-confirm\/index\?type=join/);
  await byId(bob, 'store-far').waitFor({ timeout: T });
  t.regex(await byId(bob, 'store-far').innerText(), /超过 5 公里/);
  await shot(bob, 'aftersale-08-confirm-far-store');
  await byId(bob, 'pay').click();
  await payInWallet(bob);
  await byId(bob, 'group-succeeded').waitFor({ timeout: T });

  // From the group to his order: the h5 back arrow returns to the group.
  await byId(bob, 'my-order').click();
  await byId(bob, 'voucher-code').waitFor({ timeout: T });
  await bob.locator('.taro-navigation-bar-back:visible').click();
  await byId(bob, 'group-succeeded').waitFor({ timeout: T });
  await byId(bob, 'my-order').click();
  await byId(bob, 'voucher-code').waitFor({ timeout: T });

  // Alice's link opened in the same tab shows Alice's group, not Carol's (once the order page has
  // finished opening: a link landing mid-navigation can leave the old page shown).
  await shownPage(bob, '/pages/order-detail/index');
  await bob.goto(linkB);
  await byId(bob, 'join').waitFor({ timeout: T });
  const groupB = new URL(linkB.replace('/#/', '/')).searchParams.get('id');
  const shown = await api<{ product: { title: string } }>(`/groups/${groupB}`);
  t.regex(await byId(bob, 'seats').innerText(), /爱丽丝/);
  t.notRegex(await byId(bob, 'seats').innerText(), /卡萝/);
  await bob.locator('.group__title:visible').filter({ hasText: shown.product.title }).waitFor({ timeout: T });
});

test.serial('location refused: home says so and offers the store list', async (t) => {
  const ctx = await suite.browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', permissions: [] });
  const page = await ctx.newPage();
  await page.goto(h5('/pages/home/index'));
  await byId(page, 'location-refused').waitFor({ timeout: T });
  t.regex(await byId(page, 'location-refused').innerText(), /没有获取到你的位置/);
  t.is(await byId(page, 'home-store').locator('[data-testid="store-distance"]').count(), 0, 'no distance from a point the user is not at');
  await shot(page, 'aftersale-09-location-refused');
  await byId(page, 'pick-store').click();
  await byId(page, 'store-row').first().waitFor({ timeout: T });
  await byId(page, 'store-row').filter({ hasText: '淮海中路' }).click();
  await byId(page, 'current-store').getByText('淮海中路').waitFor({ timeout: T });
  await byId(page, 'home-store').locator('[data-testid="store-address"]').filter({ hasText: '淮海中路' }).waitFor({ timeout: T });
  t.is(await byId(page, 'location-refused').count(), 0, 'a chosen store ends the notice');
});

test.serial('an order never collected is refunded by the sweep when its voucher expires: the order shows 已退款 and why', async (t) => {
  const bob = await loginAs('demo-bob');
  // Another product than Alice's: her refused order above is never collected either, and is refunded too.
  const { productId, orderId } = await buyAlone(bob, 1);
  const afterBuy = await stockOf(productId);
  // The voucher lives 7 days (VOUCHER_TTL_HOURS); a week and an hour later the minute sweep refunds it.
  await internal(suite.stack, '/internal/clock', { advanceMs: (7 * 24 + 1) * 3600_000 });
  const r = (await internal(suite.stack, '/internal/sweep')) as { expiredVouchersRefunded: number };
  t.true(r.expiredVouchersRefunded >= 1, JSON.stringify(r));
  // The host's REFUND.SUCCESS is signed at the host's time, a week behind the BFF's test clock, so
  // the BFF refuses it as stale; the next passes ask the host about the refund and complete it.
  await internal(suite.stack, '/internal/clock', { advanceMs: 2 * 60_000 });
  await internal(suite.stack, '/internal/sweep');
  await bob.goto(h5(`/pages/order-detail/index?id=${orderId}`));
  await byId(bob, 'order-status').filter({ hasText: '已退款' }).waitFor({ timeout: 30_000 });
  t.regex(await byId(bob, 'refund-note').innerText(), /超过取货期限未取货/);
  t.regex(await byId(bob, 'timeline').innerText(), /超过取货期限未取货，自动退款/);
  t.is(await stockOf(productId), afterBuy + 1);
  await shot(bob, 'aftersale-10-expired-refunded');
});
