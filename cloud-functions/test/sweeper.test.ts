import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { startStack } from '../../bff/test/messages.fixtures.js';
import type { SweepReport } from '../sweeper/index.js';
import { invoke } from '../runner.js';
import { startTimers } from '../timers.js';
import { BffCallError } from '../shared/bff.js';

/** A stand-in BFF that records the calls it gets and answers sweep counts. */
async function stubBff(t: import('ava').ExecutionContext, answer: unknown) {
  const calls: { method?: string; url?: string; token?: string }[] = [];
  const server = http.createServer((req, res) => {
    calls.push({ method: req.method, url: req.url, token: req.headers['x-internal-token'] as string | undefined });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
}

test('sweeper calls /internal/sweep with the internal token and reports its counts', async (t) => {
  const counts = { expiredCancelled: 0, refundsRetried: 2, groupbuy: { groupsFailed: 1, holdsFreed: 0 } };
  const bff = await stubBff(t, counts);
  const report = await invoke<SweepReport>('sweeper', undefined, { env: { BFF_URL: bff.url, INTERNAL_TOKEN: 'token-of-this-deployment', LOG_LEVEL: 'silent' } });
  t.deepEqual(bff.calls, [{ method: 'POST', url: '/api/v1/internal/sweep', token: 'token-of-this-deployment' }]);
  t.deepEqual(report.counts, counts);
  t.is(report.summary, 'refundsRetried=2 groupbuy.groupsFailed=1');
  t.is(report.trigger, 'everyMinute');
});

test('the demo timers schedule sweeper and dispatch-messages from their config.json and run them', async (t) => {
  const bff = await stubBff(t, { relayed: 0, sent: 0, failed: 0, skipped: 0, retrying: 0 });
  const lines: string[] = [];
  const timers = startTimers({ env: { BFF_URL: bff.url, LOG_LEVEL: 'silent' }, runAtStart: true, log: (l) => lines.push(l) });
  t.teardown(() => timers.stop());
  for (let i = 0; i < 100 && !(timers.runs.sweeper && timers.runs['dispatch-messages']); i++) await new Promise((r) => setTimeout(r, 50));
  timers.stop();
  // Each ran at start; a minute boundary inside the wait adds a scheduled sweep, so count distinct paths.
  t.deepEqual([...new Set(bff.calls.map((c) => c.url))].sort(), ['/api/v1/internal/messages/dispatch', '/api/v1/internal/sweep']);
  t.truthy(lines.find((l) => /^\[timers\] sweeper: trigger everyMinute "0 \*\/1 \* \* \* \* \*", next .*:00\.000Z$/.test(l)), lines.join('\n'));
  t.truthy(lines.find((l) => l.startsWith('[timers] dispatch-messages ok')));
});

test('sweeper says when there was nothing to do', async (t) => {
  const bff = await stubBff(t, { expiredCancelled: 0, refundsRetried: 0 });
  const report = await invoke<SweepReport>('sweeper', undefined, { env: { BFF_URL: bff.url, LOG_LEVEL: 'silent' } });
  t.is(report.summary, 'nothing to do');
});

test('sweeper with a wrong internal token is refused with 401 by the BFF', async (t) => {
  const { fnEnv } = await startStack(t);
  const err = await t.throwsAsync(invoke('sweeper', undefined, { env: { ...fnEnv, INTERNAL_TOKEN: 'guessed-token-guessed' } }), { instanceOf: BffCallError });
  t.is(err?.status, 401);
  t.is(err?.code, 'INTERNAL_TOKEN_INVALID');
});

test('sweeper reports an unreachable BFF as a failed run', async (t) => {
  const err = await t.throwsAsync(invoke('sweeper', undefined, { env: { BFF_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'silent' } }), { instanceOf: BffCallError });
  t.is(err?.code, 'BFF_UNREACHABLE');
});

test('sweeper expires a group short of members and triggers refunds of its paid members; dispatch then tells them', async (t) => {
  const { recordingProvider, customers, makeDeal, openPaidGroup, join, pay, orderIdOf, group, order } = await import('../../bff/test/group-fixtures.js');
  const rec = recordingProvider();
  const { app, mock, fnEnv } = await startStack(t, { seed: true, overrides: { paymentProvider: rec.provider } });
  await app.core.m.Inventory.updateOne({ _id: 'S001:P0001' }, { $set: { stock: 1000, active: true } });
  const [leader, member, idler] = await customers(app, 'sw', 3);
  for (const c of [leader, member]) {
    mock.host.parts.subscribe.accept(`sw-${c.id.slice(-1)}`, ['TPL_GROUP_FAILED']);
    await app.core.services.messages.consent.record(c.id, ['TPL_GROUP_FAILED']);
  }
  const deal = await makeDeal(app, { groupSize: 4, durationMinutes: 30 });
  const { groupId, orderId: leaderOrder } = await openPaidGroup(app, leader, deal.id);
  const paid = await join(app, member, groupId);
  await pay(app, orderIdOf(paid));
  const unpaid = await join(app, idler, groupId);

  // Before the end nothing expires.
  const early = await invoke<SweepReport>('sweeper', undefined, { env: fnEnv });
  t.like(early.counts, { groupbuy: { failed: 0 } });
  t.is((await group(app, groupId)).status, 'open');

  app.clock.advance(31 * 60_000);
  const report = await invoke<SweepReport>('sweeper', undefined, { env: fnEnv });
  t.like(report.counts, { groupbuy: { failed: 1 } });
  t.regex(report.summary, /groupbuy\.failed=1/);
  t.is((await group(app, groupId)).status, 'failed');
  for (const id of [leaderOrder, orderIdOf(paid)]) t.is((await order(app, id)).status, 'refunding');
  t.is((await order(app, orderIdOf(unpaid))).status, 'cancelled');
  t.deepEqual([...new Set(rec.refunds.map((r) => r.orderId))].sort(), [leaderOrder, orderIdOf(paid)].sort());

  // A second run finds nothing more to fail and asks for no second refund number.
  const again = await invoke<SweepReport>('sweeper', undefined, { env: fnEnv });
  t.like(again.counts, { groupbuy: { failed: 0 } });
  for (const id of [leaderOrder, orderIdOf(paid)]) t.is(new Set(rec.refunds.filter((r) => r.orderId === id).map((r) => r.outRefundNo)).size, 1);

  // The members who asked to be told are told once.
  const sent = await invoke<{ sent: number }>('dispatch-messages', undefined, { env: fnEnv });
  t.is(sent.sent, 2);
  for (const openid of ['sw-0', 'sw-1']) {
    const box = mock.host.parts.inbox.list({ openid });
    t.is(box.length, 1, openid);
    t.regex(box[0].text, /^拼团失败\n商品名称：测试团/);
  }
});
