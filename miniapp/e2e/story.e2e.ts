// The whole story in a real browser over the real stack: database, mock host, BFF, h5 build.
import test from 'ava';

import { byId, E2ESuite, payInWallet, phone, shot, T, typeInto } from './browser.js';
import { internal } from './stack.js';

const suite = new E2ESuite(test, 'story');
const dealTitle = (dealId: string) => suite.dealTitle(dealId);
const loginAs = (openid: string, from?: string) => suite.loginAs(openid, from);

test.serial('Alice opens a group of 2, Bob joins through her link, both pay, the clerk redeems once and a replay is refused', async (t) => {
  // Alice: home at the nearest store, the deals strip, the product, open a group of 2 and pay.
  const alice = await loginAs('demo-alice');
  await byId(alice, 'current-store').getByText('南京东路').waitFor({ timeout: T });
  const title = await dealTitle('D001');
  const dealCard = byId(alice, 'deal-card').filter({ hasText: title });
  await dealCard.waitFor({ timeout: T });
  await byId(alice, 'product-card').first().waitFor({ timeout: T });
  await shot(alice, '01-home');
  await dealCard.click();
  await byId(alice, 'open-group-bar').waitFor({ timeout: T });
  await shot(alice, '02-product');
  await byId(alice, 'open-group-bar').click();
  await byId(alice, 'pay').waitFor({ timeout: T });
  await shot(alice, '03-confirm');
  await byId(alice, 'pay').click();
  await payInWallet(alice, '04-wallet');

  // Back on the group page: open, one seat left, a live countdown; Alice copies her share link.
  await byId(alice, 'group-open').waitFor({ timeout: T });
  t.regex(await byId(alice, 'seats-left').innerText(), /还剩 1 个位置/);
  const c1 = await byId(alice, 'countdown').innerText();
  await alice.waitForTimeout(1200);
  t.not(await byId(alice, 'countdown').innerText(), c1, 'the countdown ticks');
  await byId(alice, 'share').click();
  const link = (await byId(alice, 'share-link').innerText()).trim();
  t.regex(link, /#\/pages\/group\/index\?id=g_[\w-]+&shareId=sh_[\w-]+/);
  await alice.waitForTimeout(1200);
  await shot(alice, '05-group-open');

  // Bob opens the link without a session, taps join, logs in, and goes on to the join confirm and pays.
  const bobCtx = await phone(suite.browser);
  const bob = await bobCtx.newPage();
  await bob.goto(link);
  await byId(bob, 'join').waitFor({ timeout: T });
  await shot(bob, '06-bob-shared-link');
  await byId(bob, 'join').click();
  await byId(bob, 'login-demo-bob').click();
  await byId(bob, 'pay').click();
  await payInWallet(bob);

  // Both see the group succeed, then their voucher.
  await byId(bob, 'group-succeeded').waitFor({ timeout: T });
  await shot(bob, '07-group-succeeded');
  await byId(alice, 'group-succeeded').waitFor({ timeout: T });
  t.is(await byId(alice, 'seat').count(), 2);

  // Both allowed the messages when they paid, so one dispatch (the minute timer's cloud function)
  // puts exactly one "拼团成功" into each of their host inboxes.
  await internal(suite.stack, '/internal/messages/dispatch', {});
  for (const openid of ['demo-alice', 'demo-bob']) {
    const inbox = (await (await fetch(`${suite.stack.mockUrl}/dev/inbox?openid=${openid}`)).json()) as { messages: { title?: string; templateId?: string }[] };
    const success = inbox.messages.filter((m) => JSON.stringify(m).includes('拼团成功'));
    t.is(success.length, 1, `${openid}: ${JSON.stringify(inbox.messages)}`);
  }
  await byId(bob, 'my-order').click();
  await byId(bob, 'voucher-code').waitFor({ timeout: T });
  await byId(alice, 'my-order').click();
  await byId(alice, 'voucher-code').waitFor({ timeout: T });
  t.is(await byId(alice, 'order-status').innerText(), '待取货');
  const code = (await byId(alice, 'voucher-code').innerText()).replace(/\s/g, '');
  t.regex(code, /^\d{12}$/);
  t.regex((await byId(alice, 'voucher-qr').locator('img').getAttribute('src')) ?? '', /^data:image\/png;base64,/);
  await shot(alice, '08-order-voucher');

  // The clerk logs in, opens the workspace from the member tab and redeems Alice's code by typing it.
  const clerk = await loginAs('demo-clerk', '/pages/member/index');
  await byId(clerk, 'clerk-entry').click();
  await byId(clerk, 'clerk-order').first().waitFor({ timeout: T });
  t.true((await byId(clerk, 'clerk-order').count()) >= 2);
  await shot(clerk, '09-clerk-orders');
  await byId(clerk, 'go-redeem').click();
  await typeInto(clerk, 'voucher-input', code);
  await byId(clerk, 'preview').click();
  await byId(clerk, 'redeem-preview').waitFor({ timeout: T });
  t.regex(await byId(clerk, 'redeem-preview').innerText(), /下单时间/);
  await byId(clerk, 'redeem').click();
  await byId(clerk, 'redeem-ok').waitFor({ timeout: T });
  t.regex(await byId(clerk, 'redeem-ok').innerText(), /核销成功/);
  await shot(clerk, '10-clerk-redeemed');

  // Looking the same code up again is refused and says when and by whom.
  await byId(clerk, 'preview').click();
  await byId(clerk, 'redeem-replay').waitFor({ timeout: T });
  const replay = await byId(clerk, 'redeem-replay').innerText();
  t.regex(replay, /该券已核销/);
  t.regex(replay, /核销时间：\d{2}-\d{2} \d{2}:\d{2}/);
  t.regex(replay, /核销人：\S+/);
  await shot(clerk, '11-clerk-replay');

  // Alice's order shows picked up.
  await alice.reload();
  await byId(alice, 'order-status').filter({ hasText: '已取货' }).waitFor({ timeout: T });
  await shot(alice, '12-order-picked-up');
  t.pass();
});

test.serial('Carol binds her phone, her store card and points appear, and the clerk credits a till receipt by her rotating member code once', async (t) => {
  const carol = await loginAs('demo-carol', '/pages/member/index');
  await byId(carol, 'bind').waitFor({ timeout: T });
  await typeInto(carol, 'phone-input', '13800000003');
  await byId(carol, 'bind-phone').click();
  await byId(carol, 'member-card').waitFor({ timeout: T });
  t.regex(await byId(carol, 'member-card').innerText(), /8800000002/);
  const before = Number(await byId(carol, 'member-points').innerText());
  const memberCode = (await byId(carol, 'member-code-text').innerText()).trim();
  t.truthy(memberCode);
  await shot(carol, '15-member');

  const clerk = await loginAs('demo-clerk', '/clerk/member-scan/index');
  await typeInto(clerk, 'member-code-input', memberCode);
  await typeInto(clerk, 'receipt-input', 'R-E2E-0001');
  await typeInto(clerk, 'amount-input', '88.50');
  await byId(clerk, 'credit').click();
  // The till shows the member (masked) and the points first; the clerk confirms (issue 18, hole 4).
  await byId(clerk, 'credit-confirm-btn').click({ timeout: T });
  await byId(clerk, 'credit-ok').waitFor({ timeout: T });
  t.regex(await byId(clerk, 'credit-ok').innerText(), /积 88 分/);
  await shot(clerk, '16-clerk-member-credit');
  // The same receipt again (the till clears its form after a credit).
  await typeInto(clerk, 'member-code-input', memberCode);
  await typeInto(clerk, 'receipt-input', 'R-E2E-0001');
  await typeInto(clerk, 'amount-input', '88.50');
  await byId(clerk, 'credit').click();
  const answer = byId(clerk, 'credit-error').or(byId(clerk, 'credit-confirm-btn')).first();
  await answer.waitFor({ timeout: T });
  if (await byId(clerk, 'credit-confirm-btn').isVisible()) await byId(clerk, 'credit-confirm-btn').click();
  await byId(clerk, 'credit-error').waitFor({ timeout: T });
  t.regex(await byId(clerk, 'credit-error').innerText(), /该小票已积过分/);

  await carol.reload();
  await byId(carol, 'member-points').filter({ hasText: String(before + 88) }).waitFor({ timeout: T });
  await byId(carol, 'points-link').click();
  await byId(carol, 'points-row').first().waitFor({ timeout: T });
  t.regex(await byId(carol, 'points-row').first().innerText(), /\+88/);
});

test.serial('Bob switches to another store and buys alone; the S001 clerk typing that voucher sees it is not their store', async (t) => {
  const bob = await loginAs('demo-bob');
  await byId(bob, 'current-store').click();
  await byId(bob, 'store-row').filter({ hasText: '淮海中路' }).click();
  await byId(bob, 'current-store').getByText('淮海中路').waitFor({ timeout: T });
  await byId(bob, 'product-card').first().click();
  await byId(bob, 'buy-alone').click();
  await byId(bob, 'pay').click();
  await payInWallet(bob);
  await byId(bob, 'voucher-code').waitFor({ timeout: T });
  const code = (await byId(bob, 'voucher-code').innerText()).replace(/\s/g, '');

  const clerk = await loginAs('demo-clerk', '/clerk/redeem/index');
  await typeInto(clerk, 'voucher-input', code);
  await byId(clerk, 'preview').click();
  await byId(clerk, 'redeem-wrong-store').waitFor({ timeout: T });
  t.regex(await byId(clerk, 'redeem-wrong-store').innerText(), /不是本店的订单/);
  await shot(clerk, '17-clerk-wrong-store');
  await bob.reload();
  await byId(bob, 'order-status').filter({ hasText: '待取货' }).waitFor({ timeout: T });
});

test.serial('a group that is not full when it expires fails and both paid orders show refunded', async (t) => {
  // Carol opens a group of 3 on D002; Alice joins through the link; one seat stays empty.
  const carol = await loginAs('demo-carol');
  const title = await dealTitle('D002');
  await byId(carol, 'deal-card').filter({ hasText: title }).click();
  await byId(carol, 'open-group-bar').click();
  await byId(carol, 'pay').click();
  await payInWallet(carol);
  await byId(carol, 'group-open').waitFor({ timeout: T });
  await byId(carol, 'share').click();
  const link = (await byId(carol, 'share-link').innerText()).trim();

  const alice = await loginAs('demo-alice');
  await alice.goto(link);
  await byId(alice, 'join').click();
  await byId(alice, 'pay').click();
  await payInWallet(alice);
  await byId(alice, 'group-open').waitFor({ timeout: T });
  t.regex(await byId(alice, 'seats-left').innerText(), /还剩 1 个位置/);
  await byId(alice, 'seats').getByText('卡萝').waitFor({ timeout: T });

  // A day later the reconciler fails the group and refunds both paid orders.
  await internal(suite.stack, '/internal/clock', { advanceMs: 25 * 3600 * 1000 });
  await internal(suite.stack, '/internal/sweep');
  await byId(alice, 'group-failed').waitFor({ timeout: T });
  await byId(carol, 'group-failed').waitFor({ timeout: T });
  await shot(carol, '13-group-failed');

  for (const page of [carol, alice]) {
    await byId(page, 'my-order').click();
    await byId(page, 'order-status').filter({ hasText: '已退款' }).waitFor({ timeout: 30_000 });
    t.regex(await byId(page, 'refund').innerText(), /已到账/);
  }
  await shot(alice, '14-order-refunded');
});
