// Times on screen are the store's (Asia/Shanghai) whatever zone the phone is set to: the same
// formatting run in child processes whose TZ really differs must print the same strings.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import test from 'ava';
import { distance, groupDigits, shortTime, storeTime, yuan } from '../src/utils/format.js';

const formatUrl = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/utils/format.ts')).href;

/** The times one order shows (placed, pay by, voucher valid until, history) and edge instants. */
const ORDER_TIMES = {
  createdAt: '2026-11-22T06:05:00.000Z',
  payBy: '2026-11-22T06:20:00.000Z',
  voucherExpiresAt: '2026-11-29T06:20:00.000Z',
  lastMinuteOfStoreDay: '2026-11-22T15:59:59.000Z',
  storeMidnight: '2026-11-22T16:00:00.000Z',
  // 02:10 in Shanghai is in New York's spring-forward gap, 01:05 in London's.
  inNewYorkDstGap: '2026-03-07T18:10:00.000Z',
  inLondonDstGap: '2026-03-28T17:05:00.000Z',
  newYorkFallBack: '2026-11-01T06:30:00.000Z',
};
const EXPECTED = {
  createdAt: '11-22 14:05',
  payBy: '11-22 14:20',
  voucherExpiresAt: '11-29 14:20',
  lastMinuteOfStoreDay: '11-22 23:59',
  storeMidnight: '11-23 00:00',
  inNewYorkDstGap: '03-08 02:10',
  inLondonDstGap: '03-29 01:05',
  newYorkFallBack: '11-01 14:30',
};

const childScript = (opts: { noIntl?: boolean } = {}) => `
${opts.noIntl ? 'globalThis.Intl = undefined;' : ''}
const { shortTime } = await import(${JSON.stringify(formatUrl)});
const times = ${JSON.stringify(ORDER_TIMES)};
console.log(JSON.stringify({
  zone: ${opts.noIntl ? 'process.env.TZ' : 'Intl.DateTimeFormat().resolvedOptions().timeZone'},
  localHour: new Date(times.createdAt).getHours(),
  shown: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, shortTime(v)])),
}));
`;

async function inZone(tz: string, opts?: { noIntl?: boolean }) {
  const r = await promisify(execFile)(process.execPath, ['--import=tsx', '--input-type=module', '-e', childScript(opts)], { encoding: 'utf8', env: { ...process.env, TZ: tz } });
  return JSON.parse(r.stdout) as { zone: string; localHour: number; shown: Record<string, string> };
}

test('an order shows the same times on phones set to New York, UTC and Shanghai', async (t) => {
  const zones = ['America/New_York', 'UTC', 'Asia/Shanghai'];
  const runs = await Promise.all(zones.map((z) => inZone(z)));
  t.deepEqual(runs.map((r) => r.zone), zones, 'each child really runs in its zone');
  t.deepEqual(runs.map((r) => r.localHour), [1, 6, 14], "the phone's own clock differs");
  for (const r of runs) t.deepEqual(r.shown, EXPECTED, `as shown with TZ=${r.zone}`);
});

test('a runtime whose Intl knows no time zones still shows Shanghai time', async (t) => {
  const r = await inZone('America/New_York', { noIntl: true });
  t.is(r.localHour, 1);
  t.deepEqual(r.shown, EXPECTED);
});

test('storeTime takes any dayjs pattern and another zone; a bad date shows nothing', (t) => {
  t.is(storeTime('2026-11-22T06:05:09Z', 'YYYY年M月D日 HH:mm:ss'), '2026年11月22日 14:05:09');
  t.is(storeTime(Date.parse('2026-07-01T12:00:00Z'), 'MM-DD HH:mm', 'America/New_York'), '07-01 08:00');
  t.is(storeTime(new Date('2026-12-01T12:00:00Z'), 'MM-DD HH:mm', 'America/New_York'), '12-01 07:00');
  t.is(shortTime('not a date'), '');
});

test('money, distance and code helpers keep their shapes', (t) => {
  t.is(yuan(1290), '¥12.90');
  t.is(distance(350), '350m');
  t.is(distance(1234), '1.2km');
  t.is(distance(undefined), '');
  t.is(groupDigits('123456789012'), '1234 5678 9012');
});
