import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { startStack } from '../../bff/test/messages.fixtures.js';
import type { SweepReport } from '../sweeper/index.js';
import { invoke } from '../runner.js';
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
