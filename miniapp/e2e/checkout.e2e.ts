// The shopper's checkout of issue 13 in a real browser over the real stack: a cart that survives a
// reload, server-priced confirm pages whose total is what the wallet charges, paying again after
// leaving the wallet, order tabs with row actions, search with an empty state, 再来一单.
import test from 'ava';
import type { Page } from 'playwright-core';
import { byId, E2ESuite, shot, T } from './browser.js';

const suite = new E2ESuite(test, 'checkout');
const h5 = (hashPath: string) => suite.h5(hashPath);
const idOf = (page: Page) => new URL(page.url().replace('/#/', '/')).searchParams.get('id')!;

/** An access token for a demo identity. */
const tokenOf = async (openid: string) => (await suite.apiLogin(openid)).accessToken;
async function bff<T>(method: string, pathname: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${suite.stack.bffUrl}/api/v1${pathname}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${pathname} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}
/** Stock is only ever changed by a delta (a concurrent sale's decrement is never overwritten): read it, then move it to `stock`. */
async function setStock(productId: string, stock: number): Promise<void> {
  const admin = await tokenOf('demo-admin');
  const { items } = await bff<{ items: { productId: string; inventory: { stock: number } }[] }>('GET', '/admin/inventory?storeId=S001', admin);
  const now = items.find((x) => x.productId === productId)!.inventory.stock;
  if (now !== stock) await bff('PATCH', `/admin/inventory/S001/${productId}`, admin, { stockDelta: stock - now });
}

const loginAs = (openid: string, from?: string) => suite.loginAs(openid, from);

/** Product cards that can be added to the cart (in stock: they have a ＋). */
const buyable = (page: Page) => byId(page, 'product-card').filter({ has: page.locator('[data-testid="card-stepper-plus"]') });

/** The cents of a ¥12.90 text. */
const cents = (text: string) => Math.round(Number(/¥\s*([\d.]+)/.exec(text)![1]) * 100);

/** On the mock wallet page: what it charges, then 确认支付 (or 返回商户 with `leave`). */
async function wallet(page: Page, opts: { leave?: boolean } = {}): Promise<number> {
  await page.waitForURL(/\/dev\/wallet/, { timeout: T });
  const amount = cents(await page.locator('.amount').innerText());
  await page.locator(opts.leave ? '#back' : '#pay').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/dev/'), { timeout: T });
  return amount;
}

/** Waits until a Taro button is enabled (h5 renders `disabled="false"` on an enabled one). */
async function enabled(page: Page, testid: string): Promise<void> {
  await page.waitForFunction((id) => {
    const b = document.querySelector(`[data-testid="${id}"]`);
    return !!b && b.getAttribute('disabled') !== 'true' && b.getAttribute('disabled') !== '';
  }, testid, { timeout: T });
}

/** The badge on the 购物车 tab ('' when none). */
const BADGE = '.taro-tabbar-badge:visible';

/** The cart tab's badge as shown now ('' when there is none). */
async function badge(page: Page): Promise<string> {
  const b = page.locator(BADGE);
  return (await b.count()) ? (await b.first().innerText()).trim() : '';
}

/** The badge once the page has set it (it is set after the page reads its storage). */
async function shownBadge(page: Page): Promise<string> {
  await page.locator(BADGE).first().waitFor({ timeout: T });
  return badge(page);
}

test.serial('a member fills a cart from home and a product page, reloads, checks out 2 lines, and the wallet charges the previewed total', async (t) => {
  const alice = await loginAs('demo-alice', '/pages/member/index');
  // Alice binds her phone: her offline card makes her a member (member prices from now on).
  await byId(alice, 'bind').waitFor({ timeout: T });
  await byId(alice, 'phone-input').locator('input').fill('13800000001');
  await byId(alice, 'bind-phone').click();
  await byId(alice, 'member-card').waitFor({ timeout: T });

  // Home: two taps on the first product's ＋ (the card itself is not opened).
  await alice.goto(h5('/pages/home/index'));
  const first = buyable(alice).nth(0);
  await first.waitFor({ timeout: T });
  await first.locator('[data-testid="card-stepper-plus"]').click();
  await first.locator('[data-testid="card-stepper-plus"]').click();
  t.is((await first.locator('[data-testid="card-stepper-qty"]').innerText()).trim(), '2');
  t.true(alice.url().includes('pages/home'), 'the stepper does not open the product');
  await alice.waitForFunction(() => document.querySelector('.taro-tabbar-badge')?.textContent?.trim() === '2', null, { timeout: T });

  // The second product from its own page.
  await buyable(alice).nth(1).locator('.pcard__title').click();
  await alice.waitForURL(/pages\/product\/index/, { timeout: T });
  const second = idOf(alice);
  await byId(alice, 'product-stepper-plus').click();
  await byId(alice, 'go-cart').click();
  await alice.waitForURL(/pages\/cart\/index/, { timeout: T });
  await byId(alice, 'cart-line').nth(1).waitFor({ timeout: T });
  t.is(await shownBadge(alice), '3');

  // A reload keeps the cart (Taro storage), priced again by the BFF.
  await alice.reload();
  await byId(alice, 'preview-line').nth(1).waitFor({ timeout: T });
  t.is(await byId(alice, 'cart-line').count(), 2);
  t.deepEqual(await byId(alice, 'cart-stepper-qty').allInnerTexts(), ['2', '1']);
  t.is(await shownBadge(alice), '3');
  t.true((await byId(alice, 'preview-line').nth(1).getAttribute('data-product')) === second);
  t.regex(await byId(alice, 'pricing').innerText(), /会员价/);
  await enabled(alice, 'cart-checkout');
  const cartTotal = cents(await byId(alice, 'cart-total').innerText());
  await shot(alice, 'checkout-01-cart');

  // Confirm: the lines and the total the BFF priced; the wallet charges exactly that.
  await byId(alice, 'cart-checkout').click();
  await alice.waitForURL(/pages\/order-confirm\/index/, { timeout: T });
  await byId(alice, 'confirm-total').waitFor({ timeout: T });
  t.is(await byId(alice, 'confirm-lines').locator('[data-testid="preview-line"]').count(), 2);
  const confirmTotal = cents(await byId(alice, 'confirm-total').innerText());
  t.is(confirmTotal, cartTotal);
  t.is(cents(await byId(alice, 'confirm-lines').locator('xpath=..').locator('[data-testid="pricing-total"]').innerText()), confirmTotal);
  await shot(alice, 'checkout-02-confirm');
  await byId(alice, 'pay').click();
  t.is(await wallet(alice), confirmTotal, 'the wallet charges the previewed total');
  await byId(alice, 'voucher-code').waitFor({ timeout: T });
  const order = await bff<{ order: { amountCents: number; items: unknown[]; paidAt: string } }>('GET', `/orders/${idOf(alice)}`, await tokenOf('demo-alice'));
  t.is(order.order.amountCents, confirmTotal);
  t.is(order.order.items.length, 2);
  t.regex(await byId(alice, 'pricing').innerText(), /实付/);

  // The ordered lines left the cart.
  await alice.goto(h5('/pages/cart/index'));
  await byId(alice, 'cart-shop').waitFor({ timeout: T });
  t.is(await badge(alice), '');
});

test.serial('leaving the wallet keeps the order unpaid (应付): it is paid again from its page; the order tabs and their row actions', async (t) => {
  const bob = await loginAs('demo-bob');
  await bob.goto(h5('/pages/home/index'));
  const card = buyable(bob).nth(2);
  await card.waitFor({ timeout: T });
  await card.locator('[data-testid="card-stepper-plus"]').click();
  await bob.goto(h5('/pages/cart/index'));
  await byId(bob, 'cart-checkout').waitFor({ timeout: T });
  await enabled(bob, 'cart-checkout');
  await byId(bob, 'cart-checkout').click();
  await byId(bob, 'confirm-total').waitFor({ timeout: T });
  const total = cents(await byId(bob, 'confirm-total').innerText());
  await byId(bob, 'pay').click();
  t.is(await wallet(bob, { leave: true }), total);

  // Back on the order: unpaid, 应付, and 去支付 until its deadline.
  await byId(bob, 'order-status').filter({ hasText: '待支付' }).waitFor({ timeout: T });
  const orderId = idOf(bob);
  t.regex(await byId(bob, 'pricing').innerText(), /应付/);
  t.notRegex(await byId(bob, 'pricing').innerText(), /实付/);
  await byId(bob, 'pay-again').click();
  t.is(await wallet(bob), total, 'paying again charges the same amount');
  await byId(bob, 'voucher-code').waitFor({ timeout: T });
  t.is(idOf(bob), orderId);

  // A second order left unpaid, then cancelled from its row in 待付款: it says 应付, not 实付.
  await bob.goto(h5('/pages/home/index'));
  await buyable(bob).nth(3).locator('[data-testid="card-stepper-plus"]').click();
  await bob.goto(h5('/pages/cart/index'));
  await enabled(bob, 'cart-checkout');
  await byId(bob, 'cart-checkout').click();
  await byId(bob, 'pay').click();
  await wallet(bob, { leave: true });
  await byId(bob, 'order-status').filter({ hasText: '待支付' }).waitFor({ timeout: T });

  await bob.goto(h5('/pages/orders/index'));
  await byId(bob, 'tab-unpaid').click();
  const unpaidRow = byId(bob, 'order-row').filter({ hasText: '待支付' });
  await unpaidRow.waitFor({ timeout: T });
  t.is(await byId(bob, 'order-row').count(), 1);
  t.is(await unpaidRow.locator('[data-testid="row-pay"]').count(), 1);
  t.regex(await unpaidRow.innerText(), /应付/);
  await shot(bob, 'checkout-03-order-tabs-unpaid');
  await unpaidRow.locator('[data-testid="row-cancel"]').click();
  await bob.locator('.taro-model__confirm:visible').click();
  await byId(bob, 'order-row').first().waitFor({ state: 'detached', timeout: T });

  await byId(bob, 'tab-pickup').click();
  await byId(bob, 'order-row').first().waitFor({ timeout: T });
  t.is(await byId(bob, 'order-row').count(), 1);
  t.regex(await byId(bob, 'order-row').first().innerText(), /待取货[\s\S]*实付/);
  await shot(bob, 'checkout-04-order-tabs-pickup');

  await byId(bob, 'tab-all').click();
  await byId(bob, 'order-row').nth(1).waitFor({ timeout: T });
  const cancelled = byId(bob, 'order-row').filter({ hasText: '已取消' });
  t.regex(await cancelled.innerText(), /应付/);
  t.notRegex(await cancelled.innerText(), /实付/);
  await byId(bob, 'tab-done').click();
  await byId(bob, 'empty').waitFor({ timeout: T }).catch(() => undefined);
  t.is(await byId(bob, 'order-row').count(), 0);
  await byId(bob, 'tab-refund').click();
  t.is(await byId(bob, 'order-row').count(), 0);
});

test.serial('再来一单 refills the cart; a line that sold out meanwhile is flagged and left out of the checkout', async (t) => {
  const bob = await loginAs('demo-bob', '/pages/orders/index');
  await byId(bob, 'tab-pickup').click();
  const row = byId(bob, 'order-row').first();
  await row.waitFor({ timeout: T });
  const ordered = await bff<{ orders: { items: { productId: string; qty: number }[] }[] }>('GET', '/orders?tab=pickup', await tokenOf('demo-bob'));
  const productId = ordered.orders[0].items[0].productId;
  await row.locator('[data-testid="row-again"]').click();
  await bob.waitForURL(/pages\/cart\/index/, { timeout: T });
  await byId(bob, 'preview-line').first().waitFor({ timeout: T });
  t.is(await byId(bob, 'cart-line').count(), 1);
  t.is(await byId(bob, 'preview-line').first().getAttribute('data-product'), productId);

  // Add a second product from search, then sell out the first: the cart flags it, checkout takes the rest.
  await bob.goto(h5('/pages/search/index'));
  await byId(bob, 'search-input').locator('input').fill('苹果');
  await byId(bob, 'search-go').click();
  await byId(bob, 'search-result').first().waitFor({ timeout: T });
  await byId(bob, 'search-result').filter({ has: bob.locator('[data-testid="search-stepper-plus"]') }).filter({ hasNotText: '已售罄' }).first().locator('[data-testid="search-stepper-plus"]').click();
  await setStock(productId, 0);
  await bob.goto(h5('/pages/cart/index'));
  await byId(bob, 'line-problem').waitFor({ timeout: T });
  t.regex(await byId(bob, 'line-problem').innerText(), /已售罄/);
  t.regex(await byId(bob, 'cart-checkout').innerText(), /\(1\)/, 'one line goes to the checkout');
  await shot(bob, 'checkout-05-cart-sold-out');
  await byId(bob, 'cart-checkout').click();
  await byId(bob, 'confirm-total').waitFor({ timeout: T });
  const total = cents(await byId(bob, 'confirm-total').innerText());
  await byId(bob, 'pay').click();
  t.is(await wallet(bob), total);
  await byId(bob, 'voucher-code').waitFor({ timeout: T });
  // The sold-out line stays in the cart, flagged.
  await bob.goto(h5('/pages/cart/index'));
  await byId(bob, 'line-problem').waitFor({ timeout: T });
  t.is(await byId(bob, 'cart-line').count(), 1);
});

test.serial('search finds a product by name or category at the store, and says so when nothing matches', async (t) => {
  const carol = await loginAs('demo-carol');
  await byId(carol, 'search-box').click();
  await carol.waitForURL(/pages\/search\/index/, { timeout: T });
  await byId(carol, 'search-input').locator('input').fill('苹果');
  await byId(carol, 'search-go').click();
  await byId(carol, 'search-result').first().waitFor({ timeout: T });
  t.regex(await byId(carol, 'search-result').first().innerText(), /苹果/);
  await byId(carol, 'search-input').locator('input').fill('水果');
  await byId(carol, 'search-go').click();
  await carol.waitForFunction(() => document.querySelectorAll('[data-testid="search-result"]').length > 3, null, { timeout: T });
  await shot(carol, 'checkout-06-search');
  await byId(carol, 'search-input').locator('input').fill('量子纠缠xyzzy');
  await byId(carol, 'search-go').click();
  await byId(carol, 'empty').waitFor({ timeout: T });
  t.regex(await byId(carol, 'empty').innerText(), /没有找到“量子纠缠xyzzy”相关的商品/);
  t.is(await byId(carol, 'search-result').count(), 0);
  await shot(carol, 'checkout-07-search-empty');
});
