// Sharing (issue 13): a product shared by link, the deal page and its groups, and the 朋友圈 poster,
// in a real browser over the real suite.stack.
import test from 'ava';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

import { byId, E2ESuite, payInWallet, phone, shot, T } from './browser.js';

const suite = new E2ESuite(test, 'sharing');
const api = <R>(pathname: string) => suite.api<R>(pathname);
const paramsOf = (url: string) => new URL(url.replace('/#/', '/')).searchParams;

const dealTitle = (dealId: string) => suite.dealTitle(dealId);

const loginAs = (openid: string, from?: string) => suite.loginAs(openid, from);

test.serial('a product shared with 复制链接 opens, in a fresh browser, the same product at the same store', async (t) => {
  const alice = await loginAs('demo-alice');
  await byId(alice, 'product-card').first().click();
  await alice.waitForURL(/pages\/product\/index/, { timeout: T });
  const title = (await alice.locator('.product__title:visible').innerText()).trim();
  const price = (await byId(alice, 'price').innerText()).trim();
  await byId(alice, 'product-store').getByText('营业时间').waitFor({ timeout: T });
  const storeName = (await byId(alice, 'product-store').locator('[data-testid="store-name"]').innerText()).trim();
  const productId = paramsOf(alice.url()).get('id')!;

  await byId(alice, 'share-copy').click();
  const link = (await byId(alice, 'share-link-text').innerText()).trim();
  t.regex(link, new RegExp(`#/pages/product/index\\?id=${productId}&shareId=sh_[\\w-]{22}&storeId=S001$`));
  const copied = await alice.evaluate(() => navigator.clipboard.readText()).catch(() => null);
  if (copied !== null) t.is(copied, link, 'the link is on the clipboard');
  await shot(alice, 'sharing-01-product-copied');

  // A friend's phone: no session, no chosen store.
  const friend = await (await phone(suite.browser)).newPage();
  await friend.goto(link);
  await byId(friend, 'product-store').getByText('营业时间').waitFor({ timeout: T });
  t.is((await friend.locator('.product__title:visible').innerText()).trim(), title);
  t.is((await byId(friend, 'price').innerText()).trim(), price);
  t.is((await byId(friend, 'product-store').locator('[data-testid="store-name"]').innerText()).trim(), storeName);
  await shot(friend, 'sharing-02-friend-product');
});

test.serial('the deal page opens from home with its price against the shelf price; a group opened there is on the deal page and its link shows the group', async (t) => {
  const alice = await loginAs('demo-alice');
  const title = await dealTitle('D002');
  await byId(alice, 'deal-card').filter({ hasText: title }).click();
  await alice.waitForURL(/pages\/deal\/index/, { timeout: T });
  await byId(alice, 'deal-title').filter({ hasText: title }).waitFor({ timeout: T });
  const q = paramsOf(alice.url());
  t.is(q.get('id'), 'D002');
  const page = await api<{ product: { id: string }; prices: { groupPriceCents: number; shelfPriceCents: number } }>(`/deals/D002/page?storeId=${q.get('storeId')}`);
  const shelf = await api<{ product: { priceCents: number } }>(`/products/${page.product.id}?storeId=${q.get('storeId')}`);
  const yuan = (c: number) => `¥${(c / 100).toFixed(2)}`;
  t.is((await byId(alice, 'deal-group-price').innerText()).trim(), yuan(page.prices.groupPriceCents));
  t.is((await byId(alice, 'deal-shelf-price').innerText()).trim(), `门店价 ${yuan(shelf.product.priceCents)}`, 'the shelf price is the store\'s price of the product');
  await byId(alice, 'deal-no-groups').waitFor({ timeout: T });
  await shot(alice, 'sharing-03-deal');

  // Alice opens a group from the deal page and pays.
  await byId(alice, 'open-group-bar').click();
  await byId(alice, 'pay').click();
  await payInWallet(alice);
  await byId(alice, 'group-open').waitFor({ timeout: T });
  const groupId = paramsOf(alice.url()).get('id')!;

  // Carol, on her own phone, finds it on the deal page, opens it, and shares its link.
  const carol = await loginAs('demo-carol');
  await byId(carol, 'deal-card').filter({ hasText: title }).click();
  const row = byId(carol, 'deal-group').filter({ hasText: '爱丽丝' });
  await row.waitFor({ timeout: T });
  t.regex(await row.innerText(), /还差2人/);
  await shot(carol, 'sharing-04-deal-open-group');
  await row.locator('[data-testid="deal-join"]').click();
  await carol.waitForURL(/pages\/group\/index/, { timeout: T });
  t.is(paramsOf(carol.url()).get('id'), groupId);
  await byId(carol, 'join').waitFor({ timeout: T });
  await byId(carol, 'share').click();
  const link = (await byId(carol, 'share-link').innerText()).trim();
  t.regex(link, new RegExp(`#/pages/group/index\\?id=${groupId}&shareId=sh_[\\w-]+&storeId=S001$`));

  const friend = await (await phone(suite.browser)).newPage();
  await friend.goto(link);
  await byId(friend, 'join').waitFor({ timeout: T });
  t.regex(await byId(friend, 'seats-left').innerText(), /还剩 2 个位置/);
  await byId(friend, 'seats').getByText('爱丽丝').waitFor({ timeout: T });
  t.is(paramsOf(friend.url()).get('id'), groupId);
});

test.serial('the poster screen shows the poster; its QR code opens the deal at the same store for a friend', async (t) => {
  const bob = await loginAs('demo-bob');
  const title = await dealTitle('D001');
  await byId(bob, 'deal-card').filter({ hasText: title }).click();
  await byId(bob, 'deal-title').waitFor({ timeout: T });
  const storeId = paramsOf(bob.url()).get('storeId');
  await byId(bob, 'share-poster').click();
  await bob.waitForURL(/pages\/poster\/index/, { timeout: T });
  const img = bob.locator('[data-testid="poster-image"]:visible img');
  await img.waitFor({ timeout: T });
  await bob.waitForFunction(() => {
    const i = document.querySelector('[data-testid="poster-image"] img') as HTMLImageElement | null;
    return !!i && i.complete && i.naturalWidth > 0;
  }, undefined, { timeout: 30_000 });
  t.deepEqual(await img.evaluate((i: HTMLImageElement) => [i.naturalWidth, i.naturalHeight]), [750, 1200]);
  await byId(bob, 'poster-save').waitFor({ timeout: T });
  await shot(bob, 'sharing-05-poster');

  // The same PNG the page shows: its QR code is the share link on the h5 origin.
  const src = await img.getAttribute('src');
  const res = await bob.request.get(new URL(src!, bob.url()).toString());
  t.is(res.headers()['content-type'], 'image/png');
  const png = PNG.sync.read(await res.body());
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  t.truthy(code, 'the poster holds a QR code');
  t.regex(code!.data, new RegExp(`^${suite.stack.h5Url.replace(/[.:/]/g, '\\$&')}/#/pages/deal/index\\?id=D001&shareId=sh_[\\w-]{22}&storeId=${storeId}$`));

  // Downloading it (h5) says so.
  const download = bob.waitForEvent('download', { timeout: T }).catch(() => null);
  await byId(bob, 'poster-save').click();
  await byId(bob, 'poster-saved').waitFor({ timeout: T });
  t.truthy(await download, 'the poster is downloaded');

  // A friend scans it: the deal at the same store.
  const friend = await (await phone(suite.browser)).newPage();
  await friend.goto(code!.data);
  await byId(friend, 'deal-title').filter({ hasText: title }).waitFor({ timeout: T });
  t.is(paramsOf(friend.url()).get('storeId'), storeId);
  await byId(friend, 'store-card').getByText('营业时间').waitFor({ timeout: T });
});
