// The store's day (Asia/Shanghai, UTC+8) starts at 16:00 UTC whatever the zone the server runs in:
// the helpers alone, the same helpers in child processes under other TZ values, and the clerk
// queue's `today` flag across the boundary.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import test from 'ava';
import { formatStoreTime, isSameStoreDay, startOfStoreDay } from '../src/common/time.js';
import { startTestApp } from './helpers.js';
import { clerk, insertOrder, smallWorld } from './voucher-fixtures.js';

const bffDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (iso: string) => new Date(iso);

test('the store day turns at 16:00 UTC: 15:59:59.999 is yesterday, 16:00 is today', (t) => {
  t.is(startOfStoreDay(at('2026-11-22T15:59:59.999Z')).toISOString(), '2026-11-21T16:00:00.000Z');
  t.is(startOfStoreDay(at('2026-11-22T16:00:00.000Z')).toISOString(), '2026-11-22T16:00:00.000Z');
  t.is(startOfStoreDay(at('2026-11-23T15:59:59.999Z')).toISOString(), '2026-11-22T16:00:00.000Z');
  t.false(isSameStoreDay(at('2026-11-22T15:59:59.999Z'), at('2026-11-22T16:00:00.000Z')));
  t.true(isSameStoreDay(at('2026-11-22T16:00:00.000Z'), at('2026-11-23T15:59:59.999Z')));
  t.is(formatStoreTime(at('2026-11-22T16:00:00.000Z')), '2026-11-23 00:00');
  t.is(formatStoreTime(at('2026-11-22T15:59:00.000Z'), 'MM-DD HH:mm'), '11-22 23:59');
});

test('a store in a zone with daylight saving gets its 23- and 25-hour days', (t) => {
  const ny = 'America/New_York';
  t.is(startOfStoreDay(at('2026-03-08T20:00:00Z'), ny).toISOString(), '2026-03-08T05:00:00.000Z');
  t.is(startOfStoreDay(at('2026-03-09T20:00:00Z'), ny).toISOString(), '2026-03-09T04:00:00.000Z');
  t.is(startOfStoreDay(at('2026-11-01T20:00:00Z'), ny).toISOString(), '2026-11-01T04:00:00.000Z');
  t.is(startOfStoreDay(at('2026-11-02T20:00:00Z'), ny).toISOString(), '2026-11-02T05:00:00.000Z');
});

// Every 53 minutes of 2026 (so every hour of the year is hit) in a child process whose TZ is set: the
// start of the store day must be the UTC+8 midnight, and its wall clock the one Intl gives for
// Asia/Shanghai. Under New York or London dayjs's plain `.tz(zone)` gets the host's DST days wrong.
const childScript = `
import { formatStoreTime, startOfStoreDay } from ${JSON.stringify(pathToFileURL(path.join(bffDir, 'src/common/time.ts')).href)};
const DAY = 86_400_000, H8 = 8 * 3_600_000;
const ref = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
let checked = 0; const wrong = [];
for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 53 * 60_000) {
  checked++;
  const start = startOfStoreDay(new Date(t)).getTime();
  const shown = formatStoreTime(new Date(t));
  if (start !== Math.floor((t + H8) / DAY) * DAY - H8 || shown !== ref.format(new Date(t)).replace(',', '')) wrong.push(new Date(t).toISOString());
}
console.log(JSON.stringify({ zone: Intl.DateTimeFormat().resolvedOptions().timeZone, checked, wrong: wrong.slice(0, 5), wrongCount: wrong.length }));
`;

for (const tz of ['America/New_York', 'Europe/London', 'UTC']) {
  test(`with the server in ${tz}, a whole year of store days and wall clocks are those of Asia/Shanghai`, async (t) => {
    const r = await promisify(execFile)(process.execPath, ['--import=tsx', '--input-type=module', '-e', childScript], { cwd: bffDir, encoding: 'utf8', env: { ...process.env, TZ: tz } });
    const out = JSON.parse(r.stdout) as { zone: string; checked: number; wrong: string[]; wrongCount: number };
    t.is(out.zone, tz, 'the child really runs in that zone');
    t.true(out.checked > 9_000);
    t.deepEqual(out.wrong, []);
  });
}

test('the clerk queue marks an order today from 00:00 store time, not from 00:00 UTC', async (t) => {
  const app = await startTestApp(t);
  await smallWorld(app);
  // 00:00:30 on 23 Nov in the store, 16:00:30 on 22 Nov in UTC.
  app.clock.advance(Date.parse('2026-11-22T16:00:30Z') - app.clock.now().getTime());
  const c = await clerk(app, 'u_clerk_day', ['S001']);
  const lastEvening = await insertOrder(app, { createdAt: at('2026-11-22T15:59:59Z') });
  const afterMidnight = await insertOrder(app, { createdAt: at('2026-11-22T16:00:10Z') });
  const utcMorning = await insertOrder(app, { createdAt: at('2026-11-22T01:00:00Z') });

  const res = await app.api.get('/api/v1/clerk/orders').set('Authorization', c.auth);
  t.is(res.status, 200, JSON.stringify(res.body));
  const today = Object.fromEntries(res.body.orders.map((o: { id: string; today: boolean }) => [o.id, o.today]));
  t.deepEqual(today, { [afterMidnight]: true, [lastEvening]: false, [utcMorning]: false });
});
