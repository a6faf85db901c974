// Delivery (issue 16) in a real browser over the real stack: a shopper orders 送货上门 to an address of
// the book, pays, and shows the code; the S001 clerk assigns the delivery to a courier, sends it out and
// confirms it with the code; the shopper's order shows 已送达.
import test from 'ava';
import type { BrowserContext } from 'playwright-core';
import { byId, E2ESuite, phone, shot, T } from './browser.js';
import { internal } from './stack.js';

const suite = new E2ESuite(test, 'delivery');
const loginIn = (ctx: BrowserContext, openid: string, from?: string) => suite.loginIn(ctx, openid, from);
const api = <R>(pathname: string) => suite.api<R>(pathname);

/** A product of S001 in stock priced between the ¥20 minimum and the ¥39 free-delivery threshold. */
async function productWithFee(): Promise<{ id: string; title: string; priceCents: number }> {
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const page: { items: { id: string; title: string; priceCents: number; stock: number; available: boolean }[]; nextCursor: string | null } = await api(
      `/products?storeId=S001&limit=50${cursor ? `&cursor=${cursor}` : ''}`,
    );
    const hit = page.items.find((p) => p.available && p.stock > 2 && p.priceCents >= 2000 && p.priceCents < 3400);
    if (hit) return hit;
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  throw new Error('no product between ¥20 and ¥34 at S001');
}

test.serial('a shopper orders for delivery, the clerk prepares, assigns and confirms with the code, the shopper sees 已送达', async (t) => {
  const product = await productWithFee();
  const confirmPath = `/pages/order-confirm/index?type=solo&productId=${product.id}&storeId=S001`;
  const bob = await loginIn(await phone(suite.browser), 'demo-bob', confirmPath);
  await byId(bob, 'pay').waitFor({ timeout: T });

  // 送货上门: no address yet, so the page asks for one; the book's form takes it (about 1 km north).
  await byId(bob, 'fulfil-delivery').click();
  await byId(bob, 'fp-add-address').click();
  await byId(bob, 'address-add').click();
  await byId(bob, 'addr-name').locator('input').fill('小鲍');
  await byId(bob, 'addr-phone').locator('input').fill('1380000');
  await byId(bob, 'addr-address').locator('input').fill('上海市黄浦区福州路300号');
  await byId(bob, 'addr-detail').locator('input').fill('2号楼1201');
  await byId(bob, 'addr-lat').locator('input').fill('31.2407');
  await byId(bob, 'addr-lng').locator('input').fill('121.4846');
  await byId(bob, 'address-save').click();
  t.regex(await byId(bob, 'address-error').innerText(), /11 位手机号/, 'the phone is checked');
  await byId(bob, 'addr-phone').locator('input').fill('13800000002');
  await byId(bob, 'address-save').click();

  // Back on the confirm page: the address, 尽快送达 with an ETA, and the BFF's price with the fee.
  await byId(bob, 'fp-address').filter({ hasText: '福州路300号' }).waitFor({ timeout: T });
  await byId(bob, 'fp-asap').waitFor({ timeout: T });
  t.regex(await byId(bob, 'fp-asap').innerText(), /尽快送达 · 约\d+分钟/);
  t.regex(await byId(bob, 'fp-rules').innerText(), /配送费¥5\.00，满¥39\.00免配送费，¥20\.00起送/);
  await byId(bob, 'delivery-summary').waitFor({ timeout: T });
  const total = `¥${((product.priceCents + 500) / 100).toFixed(2)}`;
  await byId(bob, 'confirm-total').filter({ hasText: total }).waitFor({ timeout: T });
  t.regex(await bob.locator('.confirm:visible').innerText(), /配送费[\s\S]*¥5\.00/);
  await shot(bob, 'delivery-01-confirm');

  await byId(bob, 'pay').click();
  await bob.waitForURL(/\/dev\/wallet/, { timeout: T });
  t.regex(await bob.locator('body').innerText(), new RegExp(total.replace('.', '\\.').replace('¥', '')), 'the wallet asks for what was shown');
  await bob.locator('#pay').click();
  await bob.waitForURL((u) => !u.pathname.startsWith('/dev/'), { timeout: T });
  await byId(bob, 'order-status').filter({ hasText: '备货中' }).waitFor({ timeout: T });
  const code = (await byId(bob, 'delivery-code').innerText()).replace(/\s/g, '');
  t.regex(code, /^\d{8}$/);
  t.regex(await byId(bob, 'delivery-progress').innerText(), /福州路300号[\s\S]*尽快送达/);
  await shot(bob, 'delivery-02-preparing');
  const orderId = new URL(bob.url().replace('/#/', '/')).searchParams.get('id')!;

  // The clerk's delivery desk: where it goes, how far, map and phone; assign, send out.
  const clerk = await loginIn(await phone(suite.browser), 'demo-clerk', '/clerk/orders/index');
  await byId(clerk, 'go-delivery').click();
  const row = byId(clerk, 'delivery-row').filter({ hasText: '福州路300号' });
  await row.waitFor({ timeout: T });
  t.regex(await row.innerText(), /小鲍 13800000002/);
  t.regex(await row.locator('[data-testid="delivery-distance"]').innerText(), /距门店 1\.0km/);
  t.false((await row.innerText()).includes(code), 'the clerk never sees the code');
  await row.locator('[data-testid="courier-u_demo-clerk"]').click();
  await row.locator('[data-testid="send-out"]').filter({ hasText: '店员小王 出发配送' }).waitFor({ timeout: T });
  await shot(clerk, 'delivery-03-clerk-assigned');
  await row.locator('[data-testid="send-out"]').click();
  await byId(clerk, 'empty').waitFor({ timeout: T });

  // The shopper's page follows: 配送中, and the message that it left.
  await byId(bob, 'order-status').filter({ hasText: '配送中' }).waitFor({ timeout: 30_000 });
  t.regex(await byId(bob, 'delivery-progress').innerText(), /配送员：店员小王/);

  // At the door: the courier types the code the shopper shows; a wrong one is refused first.
  await byId(clerk, 'tab-delivering').click();
  const out = byId(clerk, 'delivery-row').filter({ hasText: '福州路300号' });
  await out.waitFor({ timeout: T });
  await out.locator('[data-testid="code-input"] input').fill(code === '00000000' ? '11111111' : '00000000');
  await out.locator('[data-testid="confirm-delivery"]').click();
  await clerk.getByText('收货码不正确，请核对后重试').waitFor({ timeout: T });
  await out.locator('[data-testid="code-input"] input').fill(code);
  await shot(clerk, 'delivery-04-clerk-code');
  await out.locator('[data-testid="confirm-delivery"]').click();
  await byId(clerk, 'empty').waitFor({ timeout: T });
  await byId(clerk, 'tab-delivered').click();
  await byId(clerk, 'delivery-row').filter({ hasText: '福州路300号' }).locator('.cdel__done').waitFor({ timeout: T });

  await byId(bob, 'order-status').filter({ hasText: '已送达' }).waitFor({ timeout: 30_000 });
  t.is(await byId(bob, 'delivery-code').count(), 0, 'no code once delivered');
  t.regex(await byId(bob, 'timeline').innerText(), /已送达[\s\S]*配送员已核对收货码[\s\S]*配送员已出发/);
  await shot(bob, 'delivery-05-delivered');

  // Bob allowed the delivery message when he paid: one dispatch (the minute timer) sends 订单配送中.
  await internal(suite.stack, '/internal/messages/dispatch', {});
  const inbox = (await fetch(`${suite.stack.mockUrl}/dev/inbox?openid=demo-bob`).then((r) => r.json())) as { messages: { templateId: string; text: string; page?: string }[] };
  const sent = inbox.messages.filter((m) => m.templateId === 'TPL_DELIVERY_OUT');
  t.is(sent.length, 1, JSON.stringify(inbox.messages.map((m) => m.templateId)));
  t.regex(sent[0].text, /店员小王/);
  t.regex(sent[0].page ?? '', new RegExp(orderId));
});
